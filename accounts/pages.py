"""The parents' pages of accounts (server-rendered): the product's home, sign up, sign in, sign out.

Views only translate, as the API's do: a form validates, one service acts (``user_register``,
``parent_authenticate`` with its lockout), the page renders. Errors from a service are shown on the
form in the service's words.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api.views.base import client_ip
from accounts.services.auth import parent_authenticate
from accounts.services.users import user_register
from happy_partner.errors import ApplicationError


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


def _fail(form: forms.Form, error: ApplicationError) -> None:
    """A service's refusal on the form: per field when it names fields, else for the whole form."""
    if error.fields:
        for field, messages in error.fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(field if field in form.fields else None, str(message))
    else:
        form.add_error(None, error.message)


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
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request) or "dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signin.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                language=get_language(),
            )
        except ApplicationError as error:
            _fail(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("dashboard")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "policy_version": settings.CONSENT_POLICY_VERSION}
    return render(request, "accounts/signup.html", context, status=status)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


def _safe_next(request: HttpRequest) -> str | None:
    """``?next=`` only when it is a path on this site (never another host)."""
    target = request.GET.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


urlpatterns = [
    path("", home, name="home"),
    path("signin/", signin, name="signin"),
    path("signup/", signup, name="signup"),
    path("signout/", signout, name="signout"),
]
