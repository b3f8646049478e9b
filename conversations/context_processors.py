"""What every signed-in page shows: how many alerts nobody in the family has seen yet (the badge).
Lazy: counted only when a template shows it (the admin's pages never do)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from conversations.selectors.dashboard import open_alerts_for_guardian


def open_alerts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"open_alerts": SimpleLazyObject(lambda: open_alerts_for_guardian(user=user).count())}
