"""The child's voice page of the parent dashboard: can the child talk out loud (switch and consent),
their voiceprint (enrol from recordings — a phone's file picker records them — or delete), and the
last recognitions, with their scores."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.features import Feature
from accounts.models import ConsentScope
from accounts.pages import page_child, page_parent
from accounts.selectors import child_features, consent_is_active
from audio.clips import upload_require_size
from audio.errors import audio_too_large
from audio.models import Voiceprint, VoiceprintAttempt
from audio.services.voiceprints import MAX_SAMPLES, MIN_SAMPLES, voiceprint_delete, voiceprint_enrol
from happy_partner.errors import ApplicationError, Failure

RECENT_ATTEMPTS = 10


class MultipleAudioInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): as many as an enrolment takes, each a
    file within the size limit, checked before any is read."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        if not MIN_SAMPLES <= len(files) <= MAX_SAMPLES:
            raise forms.ValidationError(
                _("Send between %(low)d and %(high)d recordings.") % {"low": MIN_SAMPLES, "high": MAX_SAMPLES}
            )
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        if any(item.size > settings.AUDIO_MAX_BYTES for item in cleaned):
            raise forms.ValidationError(audio_too_large(settings.AUDIO_MAX_BYTES).message)
        return cleaned


class EnrolForm(forms.Form):
    samples = MultipleFileField(
        label=gettext_lazy("Recordings"),
        widget=MultipleAudioInput(attrs={"accept": "audio/*", "capture": "user", "multiple": True}),
        help_text=gettext_lazy("Three to ten short recordings of your child talking, a few seconds each."),
    )
    keep_recordings = forms.BooleanField(
        label=gettext_lazy("Also keep the recordings (encrypted)"),
        required=False,
        help_text=gettext_lazy("Without this only a summary of the voice is kept, never the recordings."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def voice(request: HttpRequest, child_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    form = EnrolForm()
    status = 200
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                voiceprint_delete(actor=page_parent(request), child_id=child.pk)
                messages.success(request, _("The voiceprint was deleted."))
                return redirect("child-voice", child_id=child.pk)
            upload_require_size(request.META.get("CONTENT_LENGTH"), files=MAX_SAMPLES)  # before it is read
            form = EnrolForm(request.POST, request.FILES)
            if form.is_valid():
                files = form.cleaned_data["samples"]
                voiceprint_enrol(
                    actor=page_parent(request),
                    child_id=child.pk,
                    recordings=[(f.read(), f.content_type or "") for f in files],
                    keep_recordings=form.cleaned_data["keep_recordings"],
                )
                messages.success(request, _("Voiceprint saved."))
                return redirect("child-voice", child_id=child.pk)
            status = 400
        except ApplicationError as error:
            if error.kind is Failure.NOT_FOUND and "delete" not in request.POST:
                raise Http404(error.message) from None
            form.add_error(None, error.message)
            status = 400
    context = {
        "child": child,
        "form": form,
        "voice_allowed": child_features(child=child)[Feature.VOICE.value],
        "voiceprint_consent": consent_is_active(child_id=child.pk, scope=ConsentScope.VOICEPRINT),
        "voiceprint": Voiceprint.objects.filter(child=child).first(),
        "attempts": VoiceprintAttempt.objects.filter(child=child)[:RECENT_ATTEMPTS],
        "low": MIN_SAMPLES,
        "high": MAX_SAMPLES,
    }
    with timezone.override(child.controls.zone):
        return render(request, "dashboard/voice.html", context, status=status)


urlpatterns = [path("dashboard/children/<int:child_id>/voice/", voice, name="child-voice")]
