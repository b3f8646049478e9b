"""The parent dashboard's data pages: a child's data (export with progress and its expiring link, the
retention choice, archived conversations, erasing the child with a typed confirmation after the list
of what goes), an archived month's transcript (logged as a read) with its restore button, and the
account page (erasing the account, likewise)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import ChildProfile, GuardianRole
from accounts.pages import page_child, page_parent
from accounts.services.children import child_delete
from accounts.services.users import account_erase, account_erase_confirm
from archive.models import ConversationArchive, ExportStatus, RetentionChoice
from archive.services.archiving import archive_get_for_child, archive_messages, archive_restore, archives_for_child
from archive.services.exports import export_link, export_request, exports_for_child
from archive.services.retention import retention_choices, retention_choose
from conversations.models.safety import AccessVia
from conversations.services.audit import transcript_read_record
from happy_partner.errors import ApplicationError, Failure


class RetentionForm(forms.Form):
    transcript_days = forms.TypedChoiceField(
        label=gettext_lazy("Keep conversations for"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.RETENTION_TRANSCRIPT_DAYS
        field = self.fields["transcript_days"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("%(days)d days (the default)") % {"days": default})] + [
            (days, _("%(days)d days") % {"days": days}) for days in retention_choices()
        ]


class ConfirmForm(forms.Form):
    confirm = forms.CharField(label=gettext_lazy("Type it here to confirm"), max_length=254)


def what_goes(child: ChildProfile) -> list[tuple[str, int]]:
    """What erasing the child deletes, counted, as the page lists it before anything happens."""
    archived = ConversationArchive.objects.filter(child=child).aggregate(n=Sum("message_count"))["n"] or 0
    return [
        (_("chats"), child.chat_sessions.count()),
        (_("messages"), child.messages.count() + archived),
        (_("memories"), child.memories.count()),
        (_("paired devices"), child.devices.count()),
        (_("safety alerts"), child.safety_events.count()),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def child_data(request: HttpRequest, child_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    parent = page_parent(request)
    choice = RetentionChoice.objects.filter(child=child).first()
    retention = RetentionForm(initial={"transcript_days": choice.transcript_days if choice else None})
    confirm = ConfirmForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "export":
                export_request(actor=parent, child=child)
                messages.success(request, _("Your export is being prepared. This page shows when it is ready."))
                return redirect("child-data", child_id=child.pk)
            if action == "retention":
                retention = RetentionForm(request.POST)
                if retention.is_valid():
                    days = retention.cleaned_data["transcript_days"]
                    retention_choose(actor=parent, child=child, transcript_days=days)
                    messages.success(request, _("Saved."))
                    return redirect("child-data", child_id=child.pk)
                status = 400
            elif action == "erase":
                confirm = ConfirmForm(request.POST)
                if confirm.is_valid() and confirm.cleaned_data["confirm"].strip() == child.display_name:
                    child_delete(actor=parent, child=child)
                    messages.success(request, _("%(name)s's data was deleted.") % {"name": child.display_name})
                    return redirect("dashboard")
                confirm.add_error("confirm", _("Type the child's name exactly as shown."))
                status = 400
            else:
                status = 400
        except ApplicationError as error:
            if error.kind is Failure.NOT_FOUND:
                raise Http404(error.message) from None
            messages.error(request, error.message)
            status = 400
    exports = [(job, export_link(job)) for job in exports_for_child(child=child)[:5]]
    context = {
        "child": child,
        "exports": exports,
        "building": any(job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for job, _url in exports),
        "retention": retention,
        "legal_hold": bool(choice and choice.legal_hold),
        "archives": archives_for_child(child=child),
        "what_goes": what_goes(child),
        "owner": getattr(child, "my_role", None) == GuardianRole.OWNER,
        "confirm": confirm,
    }
    with timezone.override(child.controls.zone):
        return render(request, "dashboard/data.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def child_archive(request: HttpRequest, child_id: int, archive_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    try:
        archive = archive_get_for_child(child=child, archive_id=archive_id)
    except ApplicationError:
        raise Http404(_("No such archive.")) from None
    if request.method == "POST":
        restored = archive_restore(actor=page_parent(request), archive=archive)
        messages.success(request, _("%(n)d messages are back in the conversations.") % {"n": restored})
        return redirect("child", child_id=child.pk)
    transcript_read_record(reader=page_parent(request), child_id=child.pk, via=AccessVia.DASHBOARD)
    context = {"child": child, "archive": archive, "rows": list(archive_messages(archive=archive))}
    with timezone.override(child.controls.zone):
        return render(request, "dashboard/archive.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    parent = page_parent(request)
    confirm = ConfirmForm()
    status = 200
    owned = list(ChildProfile.objects.filter(guardianships__guardian=parent, guardianships__role=GuardianRole.OWNER))
    if request.method == "POST":
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                account_erase_confirm(actor=parent, typed=confirm.cleaned_data["confirm"])
                account_erase(actor=parent)
            except ApplicationError as error:
                if not error.fields:  # refused whole (a legal hold, a staff account): said above the page
                    messages.error(request, error.message)
                    return redirect("account")
                confirm.add_error("confirm", error.fields["confirm"][0])
            else:
                logout(request)
                messages.success(request, _("Your account and your children's data were deleted."))
                return redirect("home")
        status = 400
    context = {"confirm": confirm, "owned": [(child, what_goes(child)) for child in owned]}
    return render(request, "dashboard/account.html", context, status=status)


urlpatterns = [
    path("dashboard/children/<int:child_id>/data/", child_data, name="child-data"),
    path("dashboard/children/<int:child_id>/archives/<int:archive_id>/", child_archive, name="child-archive"),
    path("dashboard/account/", account, name="account"),
]
