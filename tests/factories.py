"""Build test data through the real services, so tests exercise the same paths as users."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.test import APIClient

from accounts.models import ChildProfile, ConsentScope, Device, User
from accounts.services.children import child_create
from accounts.services.devices import device_pair, pairing_code_create
from accounts.services.guardians import invitation_accept, invitation_create

PASSWORD = "correct-horse-battery-staple"


def make_parent(email: str, *, display_name: str = "Parent", language: str = "zh-hans") -> User:
    return User.objects.create_user(email=email, password=PASSWORD, display_name=display_name, language=language)


def make_child(parent: User, *, name: str = "Kid", age: int = 8, scopes: list[str] | None = None) -> ChildProfile:
    return child_create(actor=parent, display_name=name, age=age, consent_scopes=scopes or [ConsentScope.CHAT])


def make_co_guardian(owner: User, child: ChildProfile, email: str) -> User:
    co = make_parent(email, display_name="Co-guardian")
    _invitation, token = invitation_create(actor=owner, child=child, email=email)
    invitation_accept(actor=co, token=token)
    return co


def pair_device(
    parent: User, child: ChildProfile, *, name: str = "Tablet", ip: str = "10.9.9.9"
) -> tuple[Device, dict]:
    _pairing, code = pairing_code_create(actor=parent, child=child)
    return device_pair(code=code, device_name=name, ip=ip)


def bearer(client: APIClient, access: str) -> APIClient:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def login(email: str, password: str = PASSWORD) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return bearer(client, response.json()["access"])


@dataclass
class Cast:
    """The fixed personas every permission test runs against.

    parent_a owns child_a1 (paired device_a1) and child_a2; co_guardian guards child_a1 only;
    parent_b owns child_b1 (paired device_b1); staff is a Django superuser with no children.
    """

    parent_a: User
    parent_b: User
    co_guardian: User
    staff: User
    child_a1: ChildProfile
    child_a2: ChildProfile
    child_b1: ChildProfile
    device_a1: Device
    device_a1_tokens: dict
    device_b1: Device
    device_b1_tokens: dict

    def path_ids(self) -> dict[str, int]:
        """The ids the request tables put into ``{placeholders}`` in their paths."""
        return {
            "a1": self.child_a1.pk,
            "a2": self.child_a2.pk,
            "b1": self.child_b1.pk,
            "dev_a1": self.device_a1.pk,
            "dev_b1": self.device_b1.pk,
        }

    def client_for(self, persona: str) -> APIClient:
        if persona == "anonymous":
            return APIClient()
        if persona == "device_a1":
            return bearer(APIClient(), self.device_a1_tokens["access"])
        if persona == "device_b1":
            return bearer(APIClient(), self.device_b1_tokens["access"])
        user = {
            "parent_a": self.parent_a,
            "parent_b": self.parent_b,
            "co_guardian": self.co_guardian,
            "staff": self.staff,
        }[persona]
        return login(user.email)


def build_cast() -> Cast:
    parent_a = make_parent("parent.a@example.com", display_name="Parent A")
    parent_b = make_parent("parent.b@example.com", display_name="Parent B", language="en")
    staff = User.objects.create_superuser(email="staff@example.com", password=PASSWORD, display_name="Staff")
    child_a1 = make_child(parent_a, name="Alice", scopes=[ConsentScope.CHAT, ConsentScope.VOICE])
    child_a2 = make_child(parent_a, name="Aaron", age=6)
    child_b1 = make_child(parent_b, name="Bella", age=11)
    co_guardian = make_co_guardian(parent_a, child_a1, "co.guardian@example.com")
    device_a1, tokens_a1 = pair_device(parent_a, child_a1, name="Alice's tablet")
    device_b1, tokens_b1 = pair_device(parent_b, child_b1, name="Bella's phone")
    return Cast(
        parent_a, parent_b, co_guardian, staff, child_a1, child_a2, child_b1, device_a1, tokens_a1, device_b1, tokens_b1
    )
