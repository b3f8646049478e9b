"""The staff admin of accounts: every page renders with real data, and no secret is ever shown."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import (
    ChildProfile,
    ConsentRecord,
    GuardianInvitation,
    Guardianship,
    PairingCode,
    PairingRequest,
    ParentalControls,
    User,
)
from accounts.services.children import child_delete
from accounts.services.controls import controls_update
from accounts.services.devices import pairing_code_create
from accounts.services.guardians import invitation_create
from accounts.services.pairing_requests import pairing_request_claim, pairing_request_create
from accounts.services.users import account_erase
from tests.factories import build_cast, make_child, make_parent

pytestmark = pytest.mark.django_db

ACCOUNTS_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "accounts"),
    key=lambda model: model._meta.model_name,
)
MODEL_IDS = [model._meta.model_name for model in ACCOUNTS_MODELS]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world():
    """The cast, plus a PIN, a pending invitation and an unused pairing code (the secrets to hide)."""
    cast = build_cast()
    controls_update(actor=cast.parent_a, child=cast.child_a1, data={"pin": "135790"})
    controls_update(actor=cast.parent_b, child=cast.child_b1, data={"pin": "864202"})
    invitation_create(actor=cast.parent_b, child=cast.child_b1, email="grandma@example.com")
    pairing_code_create(actor=cast.parent_a, child=cast.child_a2)
    pairing_request_create(device_name="Story Owl")
    _request, code, _secret = pairing_request_create(device_name="Robo Bear")
    pairing_request_claim(actor=cast.parent_a, child=cast.child_a2, code=code)
    gone = make_child(cast.parent_b, name="Gone")
    child_delete(actor=cast.parent_b, child=gone)  # leaves its erasure record
    leaving = make_parent("leaving@example.com")
    make_child(leaving, name="Away")
    account_erase(actor=leaving)  # and one of an erased account
    return cast


@pytest.fixture
def staff_client(world) -> Client:
    client = Client()
    client.force_login(world.staff)
    return client


def _secrets() -> list[str]:
    values: list[str] = []
    values += [v for v in ParentalControls.objects.values_list("pin_hash", flat=True) if v]
    values += list(PairingCode.objects.values_list("code_digest", flat=True))
    values += list(GuardianInvitation.objects.values_list("token_digest", flat=True))
    for code_digest, secret_digest in PairingRequest.objects.values_list("code_digest", "secret_digest"):
        values += [code_digest, secret_digest]
    for encoded in User.objects.values_list("password", flat=True):
        values.append(encoded)
        values.append(encoded.rsplit("$", 1)[-1])  # the hash itself, without algorithm and salt
    return values


def test_all_accounts_models_are_registered():
    # Guard against the parametrised tests below silently testing fewer models.
    assert set(MODEL_IDS) >= {
        "user",
        "childprofile",
        "guardianship",
        "guardianinvitation",
        "parentalcontrols",
        "consentrecord",
        "device",
        "pairingcode",
        "pairingrequest",
    }


def test_the_world_holds_the_secrets_to_look_for(world):
    assert ParentalControls.objects.exclude(pin_hash="").count() == 2
    assert PairingCode.objects.filter(used_at__isnull=True).exists()
    assert GuardianInvitation.objects.filter(accepted_at__isnull=True).exists()
    assert len(_secrets()) >= 2 + 3 + 2 + 2 * User.objects.count()


@pytest.mark.parametrize("model", ACCOUNTS_MODELS, ids=MODEL_IDS)
def test_changelist_renders_with_real_rows(staff_client, model):
    assert model.objects.exists(), f"the cast has no {model._meta.model_name}"
    response = staff_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()
    searched = staff_client.get(_url(model, "changelist"), {"q": "x"})
    assert searched.status_code == 200
    assert "cl" in searched.context


SEARCH_TERMS = {
    "erasurerecord": "account",
    "user": "parent.a",
    "childprofile": "Alice",
    "guardianship": "parent.b",
    "guardianinvitation": "grandma",
    "parentalcontrols": "Bella",
    "consentrecord": "Bella",
    "device": "Bella",
    "pairingcode": "Aaron",
    "pairingrequest": "Robo",
}


@pytest.mark.parametrize("model", ACCOUNTS_MODELS, ids=MODEL_IDS)
def test_search_narrows_to_matching_rows(staff_client, model):
    # A matching search returns some rows but not all, so search_fields point at real columns.
    term = SEARCH_TERMS[model._meta.model_name]
    response = staff_client.get(_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    found = response.context["cl"].result_count
    assert 1 <= found < model.objects.count(), (term, found)


@pytest.mark.parametrize("model", ACCOUNTS_MODELS, ids=MODEL_IDS)
def test_change_page_of_a_real_object_renders(staff_client, model):
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    response = staff_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


def test_no_page_shows_a_secret(staff_client):
    secrets = _secrets()
    pages: list[str] = []
    for model in ACCOUNTS_MODELS:
        pages.append(_url(model, "changelist"))
        pages.extend(_url(model, "change", pk) for pk in model.objects.values_list("pk", flat=True))
    for page in pages:
        response = staff_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        leaked = [secret for secret in secrets if secret in html]
        assert not leaked, f"{page} shows {leaked}"


def test_consent_records_are_read_only(world):
    model_admin = admin.site._registry[ConsentRecord]
    request = RequestFactory().get("/admin/")
    request.user = world.staff
    record = ConsentRecord.objects.first()
    assert model_admin.has_view_permission(request, record) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_change_permission(request, record) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, record) is False


def test_consent_records_cannot_be_added_changed_or_deleted_over_http(staff_client):
    record = ConsentRecord.objects.order_by("pk").first()
    before = list(ConsentRecord.objects.order_by("pk").values())
    assert staff_client.get(_url(ConsentRecord, "add")).status_code == 403
    assert staff_client.post(_url(ConsentRecord, "delete", record.pk), {"post": "yes"}).status_code == 403
    response = staff_client.post(
        _url(ConsentRecord, "change", record.pk), {"scope": "memory", "guardian_email": "x@example.com"}
    )
    assert response.status_code == 403
    bulk = staff_client.post(
        _url(ConsentRecord, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert list(ConsentRecord.objects.order_by("pk").values()) == before
    # The read-only view has no save button.
    page = staff_client.get(_url(ConsentRecord, "change", record.pk)).content.decode()
    assert 'name="_save"' not in page


def test_pairing_codes_cannot_be_added(staff_client):
    assert staff_client.get(_url(PairingCode, "add")).status_code == 403


def test_pairing_requests_are_read_only(staff_client):
    request = PairingRequest.objects.order_by("pk").first()
    before = list(PairingRequest.objects.order_by("pk").values())
    assert staff_client.get(_url(PairingRequest, "add")).status_code == 403
    response = staff_client.post(_url(PairingRequest, "change", request.pk), {"device_name": "Hacked"})
    assert response.status_code == 403
    assert list(PairingRequest.objects.order_by("pk").values()) == before


def test_non_staff_parent_is_sent_to_the_admin_login(world):
    client = Client()
    client.force_login(world.parent_a)
    for url in [reverse("admin:index"), _url(ChildProfile, "changelist"), _url(User, "change", world.parent_a.pk)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), response["Location"]


def test_staff_cannot_delete_an_owner_guardianship(admin_client, db):
    """Deleting the owner row in the admin would leave a child with nobody responsible for it."""
    cast = build_cast()
    owner_row = Guardianship.objects.get(child=cast.child_a1, role="owner")
    co_row = Guardianship.objects.get(child=cast.child_a1, role="co_guardian")
    url = reverse("admin:accounts_guardianship_delete", args=[owner_row.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Guardianship.objects.filter(pk=owner_row.pk).exists()
    co_url = reverse("admin:accounts_guardianship_delete", args=[co_row.pk])
    assert admin_client.post(co_url, {"post": "yes"}).status_code == 302
    assert not Guardianship.objects.filter(pk=co_row.pk).exists()


def _guardianship_formset(rf, admin_user, child, delete_role: str):
    from accounts.admin import GuardianshipInline

    request = rf.post("/")
    request.user = admin_user
    formset_class = GuardianshipInline(ChildProfile, admin.site).get_formset(request, child)
    prefix = formset_class.get_default_prefix()
    rows = list(Guardianship.objects.filter(child=child).order_by("pk"))
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-id": str(row.pk), f"{prefix}-{i}-child": str(child.pk)})
        data.update({f"{prefix}-{i}-guardian": str(row.guardian_id), f"{prefix}-{i}-role": row.role})
        if row.role == delete_role:
            data[f"{prefix}-{i}-DELETE"] = "on"
    return formset_class(data, instance=child, prefix=prefix)


def test_the_child_page_keeps_the_owner_guardianship_inline(rf, admin_user, db):
    """The child's change page has the guardianships inline: its owner row cannot be deleted there
    either, while a co-guardian's can."""
    cast = build_cast()
    owner_deleted = _guardianship_formset(rf, admin_user, cast.child_a1, "owner")
    with translation.override("en"):
        assert not owner_deleted.is_valid()
        assert "owner guardianship cannot be deleted" in str(owner_deleted.non_form_errors())
    co_deleted = _guardianship_formset(rf, admin_user, cast.child_a1, "co_guardian")
    assert co_deleted.is_valid(), co_deleted.errors
