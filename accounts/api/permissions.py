from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.models import User
from accounts.principals import ChildPrincipal


class IsParent(BasePermission):
    """A grown-up's account (JWT of scope parent, or the dashboard session). Never a child device."""

    message = _("This needs a parent's account.")
    code = "parent_required"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, User) and request.user.is_authenticated and request.user.is_active


class IsChildDevice(BasePermission):
    message = _("This needs a paired child device.")
    code = "child_device_required"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, ChildPrincipal)


class IsParentOrChildDevice(BasePermission):
    message = _("Sign in first.")
    code = "not_authenticated"

    def has_permission(self, request, view) -> bool:
        return IsParent().has_permission(request, view) or IsChildDevice().has_permission(request, view)
