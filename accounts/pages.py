"""The parents' pages of accounts (server-rendered): the product's home, sign up, sign in, sign out.

Views only translate, as the API's do: a form validates, one service acts (``user_register``,
``parent_authenticate`` with its lockout), the page renders. Errors from a service are shown on the
form in the service's words.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api.views.base import client_ip
from accounts.models import ChildProfile, ConsentMethod, ConsentScope, ParentalControls, User
from accounts.models.controls import CONTROL_FIELDS
from accounts.models.users import UserManager
from accounts.selectors import (
    child_get_for_guardian,
    consents_for_child,
    controls_get_for_child,
    device_get_for_child,
    devices_for_child,
)
from accounts.services.auth import parent_authenticate, parent_tokens_revoke
from accounts.services.children import child_create
from accounts.services.consent import consent_grant, consent_withdraw
from accounts.services.controls import controls_update
from accounts.services.devices import device_revoke, pairing_code_create
from accounts.services.guardians import invitation_accept
from accounts.services.lockout import lockout_admit
from accounts.services.users import user_register
from happy_partner.errors import ApplicationError, Failure


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class SignUpForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=60)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, max_length=128, help_text=_("At least 10 characters.")
    )
    agree = forms.BooleanField(label=_("I have read the privacy policy and agree to it."), required=True)


def page_parent(request: HttpRequest) -> User:
    """The signed-in user of a page behind ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("login_required lets signed-in users only")
    return user


def page_child(request: HttpRequest, child_id: int) -> ChildProfile:
    """One of the signed-in guardian's children; any other id is a 404, as in the API."""
    try:
        return child_get_for_guardian(user=page_parent(request), child_id=child_id)
    except ApplicationError:
        raise Http404(_("No such child.")) from None


def _fail(form: forms.BaseForm, error: ApplicationError) -> None:
    """A service's refusal on the form: per field when it names fields, else for the whole form."""
    if error.fields:
        for field, messages in error.fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(field if field in form.fields else None, str(message))
    else:
        form.add_error(None, error.message)


class ControlsForm(forms.ModelForm):
    """Every rule a parent sets, validated by the model (limits, windows, the time zone); the PIN is
    set only when typed, removed only when asked."""

    blocked_words_text = forms.CharField(
        label=_("Blocked words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Messages with them are gently redirected, and you are told."),
    )
    pin = forms.RegexField(
        label=_("New parent PIN"),
        regex=r"^[0-9]{6}$",
        required=False,
        widget=forms.PasswordInput,
        help_text=_("6 digits; leave empty to keep the current one."),
    )
    remove_pin = forms.BooleanField(label=_("Remove the parent PIN"), required=False)

    class Meta:
        model = ParentalControls
        fields = [name for name in CONTROL_FIELDS if name != "blocked_words"]
        widgets = {
            name: forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            for name in ("weekday_start", "weekday_end", "weekend_start", "weekend_end")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["blocked_words_text"].initial = "\n".join(self.instance.blocked_words)

    def changes(self) -> dict[str, object]:
        """What the parent changed, as ``controls_update`` takes it."""
        data: dict[str, object] = {
            name: self.cleaned_data[name] for name in self.changed_data if name in CONTROL_FIELDS
        }
        if "blocked_words_text" in self.changed_data:
            data["blocked_words"] = [
                w.strip() for w in self.cleaned_data["blocked_words_text"].splitlines() if w.strip()
            ]
        if self.cleaned_data.get("remove_pin"):
            data["pin"] = None
        elif self.cleaned_data.get("pin"):
            data["pin"] = self.cleaned_data["pin"]
        return data


class ChildForm(forms.Form):
    display_name = forms.CharField(label=_("Your child's name or nickname"), max_length=40)
    age = forms.IntegerField(label=_("Age"), min_value=3, max_value=14)
    language = forms.ChoiceField(label=_("Language the companion speaks"), choices=settings.LANGUAGES)
    consent_scopes = forms.MultipleChoiceField(
        label=_("What the companion may do"),
        choices=ConsentScope.choices,
        initial=[ConsentScope.CHAT],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chatting is needed; the rest you can change at any time."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            child = child_create(
                actor=page_parent(request),
                display_name=form.cleaned_data["display_name"],
                age=form.cleaned_data["age"],
                language=form.cleaned_data["language"],
                consent_scopes=form.cleaned_data["consent_scopes"],
                policy_version=settings.CONSENT_POLICY_VERSION,
                consent_method=ConsentMethod.DASHBOARD,
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            return redirect("devices", child_id=child.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "policy_version": settings.CONSENT_POLICY_VERSION}
    return render(request, "dashboard/child_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def controls(request: HttpRequest, child_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    current = controls_get_for_child(child=child)
    form = ControlsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            controls_update(actor=page_parent(request), child=child, data=form.changes())
        except ApplicationError as error:
            _fail(form, error)
        else:
            messages.success(
                request, _("Saved. The new rules apply to %(name)s's next message.") % {"name": child.display_name}
            )
            return redirect("controls", child_id=child.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "dashboard/controls.html", {"child": child, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest, child_id: int) -> HttpResponse:
    """The child's devices; a new pairing code (shown once); revoke one."""
    child = page_child(request, child_id)
    code = None
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                device = device_get_for_child(child=child, device_id=request.POST["revoke"])
                device_revoke(actor=page_parent(request), device=device)
                messages.success(request, _("%(device)s was removed.") % {"device": device.name})
                return redirect("devices", child_id=child.pk)
            _pairing, code = pairing_code_create(actor=page_parent(request), child=child)
        except ApplicationError as error:
            if error.kind is Failure.NOT_FOUND:
                raise Http404(error.message) from None
            messages.error(request, error.message)
            return redirect("devices", child_id=child.pk)
    context = {
        "child": child,
        "devices": devices_for_child(child=child).order_by("-created_at"),
        "code": code,
        "code_minutes": int(settings.PAIRING_CODE_TTL.total_seconds() // 60),
    }
    with timezone.override(child.controls.zone):
        return render(request, "dashboard/devices.html", context)


# What each consent lets the companion do, as the consent page explains it before a parent decides.
SCOPE_TEXT = {
    ConsentScope.CHAT: _(
        "Your child may chat with the companion by text. Messages and replies are stored for you to read; "
        "phone numbers and addresses are masked first. Without it nothing else works."
    ),
    ConsentScope.VOICE: _(
        "Your child may talk and listen instead of typing. Recordings are turned into text to answer, "
        "and the text is kept like a typed message."
    ),
    ConsentScope.VOICEPRINT: _(
        "The companion may recognise your child's voice on a shared device. A voiceprint is kept until you "
        "withdraw this."
    ),
    ConsentScope.MEMORY: _(
        "The companion may remember a few things your child shares (likes, pets, goals) to talk about them "
        "later. You can read and delete each one; withdrawing deletes them all."
    ),
    ConsentScope.EMOTION_COMPANION: _(
        "The companion may notice how your child feels, comfort them, and tell you when they seem very "
        "distressed. Feelings appear in your insights."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest, child_id: int) -> HttpResponse:
    """Each scope with its text: given or not, given when, and a button to change it."""
    child = page_child(request, child_id)
    active = {record.scope: record for record in consents_for_child(child=child).filter(withdrawn_at__isnull=True)}
    if request.method == "POST":
        scope, action = request.POST.get("scope", ""), request.POST.get("action", "")
        try:
            # What the button said, not the opposite of the current state: a double click or a page
            # left open while another guardian changed the scope does nothing instead of undoing it.
            if action == "withdraw" and scope in active:
                consent_withdraw(actor=page_parent(request), consent=active[scope])
            elif action == "grant" and scope not in active:
                consent_grant(actor=page_parent(request), child=child, scope=scope, method=ConsentMethod.DASHBOARD)
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("consents", child_id=child.pk)
    scopes = [
        {
            "scope": value,
            "label": label,
            "text": SCOPE_TEXT[ConsentScope(value)],
            "record": active.get(value),
            "required": value == ConsentScope.CHAT,
        }
        for value, label in ConsentScope.choices
    ]
    context = {"child": child, "scopes": scopes, "policy_version": settings.CONSENT_POLICY_VERSION}
    with timezone.override(child.controls.zone):
        return render(request, "dashboard/consents.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept_page(request: HttpRequest) -> HttpResponse:
    """The invitation e-mail's link: sign in (or up) with the invited address, then accept."""
    token = request.POST.get("token") or request.GET.get("token", "")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('signin')}?{urlencode({'next': request.get_full_path()})}")
    if request.method == "POST":
        try:
            guardianship = invitation_accept(actor=page_parent(request), token=token)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            name = guardianship.child.display_name
            messages.success(request, _("You now look after %(name)s too.") % {"name": name})
            return redirect("dashboard")
    return render(
        request, "accounts/invitation.html", {"token": token}, status=400 if request.method == "POST" else 200
    )


def home(request: HttpRequest) -> HttpResponse:
    """What Happy Partner is, and the way in."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html", {"policy_version": settings.CONSENT_POLICY_VERSION})


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = parent_authenticate(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            return _signed_in(request, user)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signin.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lockout_admit(kind="signup_ip", key=client_ip(request))
            user = user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                language=get_language(),
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            return _signed_in(request, user)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "policy_version": settings.CONSENT_POLICY_VERSION}
    return render(request, "accounts/signup.html", context, status=status)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


def _signed_in(request: HttpRequest, user: User) -> HttpResponse:
    """Start the dashboard session and go where the parent was headed (this site only)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(_safe_next(request) or "dashboard")


def _safe_next(request: HttpRequest) -> str | None:
    """``?next=`` only when it is a path on this site (never another host)."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts=set(), require_https=request.is_secure())
    return target if target.startswith("/") and allowed else None


# Password reset: Django's views (signed, single-use, expiring links), the product's pages and e-mail.
class PasswordResetPage(auth_views.PasswordResetView):
    """Counted per address and per IP before any mail is sent: an inbox cannot be flooded."""

    def form_valid(self, form):
        try:
            lockout_admit(kind="reset_ip", key=client_ip(self.request))
            lockout_admit(kind="reset_account", key=UserManager.normalize_email_address(form.cleaned_data["email"]))
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return super().form_valid(form)


class NewPasswordForm(SetPasswordForm):
    """The new password also ends the parent's app sessions (their refresh tokens)."""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        parent_tokens_revoke(user=user)
        return user


_reset = {
    "password_reset": PasswordResetPage.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        extra_email_context={"site_url": settings.SITE_URL},  # as every e-mail links: never the request's Host
        success_url=reverse_lazy("password_reset_done"),
    ),
    "password_reset_done": auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
    "password_reset_confirm": auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=NewPasswordForm,
        success_url=reverse_lazy("password_reset_complete"),
    ),
    "password_reset_complete": auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    ),
}

urlpatterns = [
    path("", home, name="home"),
    path("signin/", signin, name="signin"),
    path("signup/", signup, name="signup"),
    path("signout/", signout, name="signout"),
    path("invitations/accept/", invitation_accept_page, name="invitation-accept"),
    path("password/reset/", _reset["password_reset"], name="password_reset"),
    path("password/reset/sent/", _reset["password_reset_done"], name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", _reset["password_reset_confirm"], name="password_reset_confirm"),
    path("password/reset/done/", _reset["password_reset_complete"], name="password_reset_complete"),
    path("dashboard/children/new/", child_add, name="child-add"),
    path("dashboard/children/<int:child_id>/controls/", controls, name="controls"),
    path("dashboard/children/<int:child_id>/devices/", devices, name="devices"),
    path("dashboard/children/<int:child_id>/consents/", consents, name="consents"),
]
