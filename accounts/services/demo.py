"""Demo data for ``make run``: one family to click around with, created once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import ConsentScope, User
from accounts.services.children import child_create
from accounts.services.controls import controls_update

DEMO_EMAIL = "demo@happypartner.local"
DEMO_PASSWORD = "happy-partner-demo"  # noqa: S105  (a published demo credential, local only)
DEMO_PIN = "246810"
ADMIN_EMAIL = "admin@happypartner.local"
ADMIN_PASSWORD = "happy-partner-admin"  # noqa: S105


@dataclass(frozen=True)
class DemoFamily:
    created: bool
    parent_email: str
    parent_password: str
    admin_email: str
    admin_password: str
    pin: str
    children: list[str]


@transaction.atomic
def demo_family_ensure() -> DemoFamily:
    """Create the demo parent (two children) and a staff account unless they exist already."""
    created = False
    parent = User.objects.filter(email=DEMO_EMAIL).first()
    if parent is None:
        created = True
        parent = User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="Demo Parent")
        all_scopes = [ConsentScope.CHAT, ConsentScope.VOICE, ConsentScope.MEMORY, ConsentScope.EMOTION_COMPANION]
        mingming = child_create(
            actor=parent,
            display_name="明明",
            age=8,
            grade=2,
            language="zh-hans",
            interests=["恐龙", "数学"],
            avatar="dinosaur",
            consent_scopes=all_scopes,
        )
        controls_update(actor=parent, child=mingming, data={"pin": DEMO_PIN, "memory_enabled": True})
        lily = child_create(
            actor=parent,
            display_name="Lily",
            age=11,
            grade=5,
            language="en",
            interests=["stories", "space"],
            avatar="rocket",
            consent_scopes=[ConsentScope.CHAT, ConsentScope.VOICE],
        )
        controls_update(actor=parent, child=lily, data={"pin": DEMO_PIN})
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        created = True
        User.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, display_name="Demo Admin")
    names = list(parent.children.order_by("pk").values_list("display_name", flat=True))
    return DemoFamily(created, DEMO_EMAIL, DEMO_PASSWORD, ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PIN, names)
