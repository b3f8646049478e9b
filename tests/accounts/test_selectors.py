"""Access scoping lives in accounts.selectors: a foreign id is 404 there, whoever asks and however."""

import pytest
from django.http import Http404
from rest_framework.exceptions import APIException

from accounts.models import Guardianship
from accounts.principals import ChildPrincipal
from accounts.selectors import (
    child_get_for_actor,
    controls_get_for_child,
    guardianship_get_for_child,
    invitation_get_for_child,
)
from accounts.services.guardians import invitation_create
from happy_partner.errors import ApplicationError
from tests.factories import login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db
NOT_FOUND = (ApplicationError, Http404, APIException)


def _is_404(call) -> None:
    with pytest.raises(NOT_FOUND) as caught:
        call()
    if isinstance(caught.value, ApplicationError):
        assert caught.value.code == "not_found"


@pytest.fixture
def two_families():
    a, b = make_parent("sel.a@example.com"), make_parent("sel.b@example.com")
    child_a, child_b = make_child(a, name="A"), make_child(b, name="B")
    invitation_b, _token = invitation_create(actor=b, child=child_b, email="friend.b@example.com")
    return a, b, child_a, child_b, invitation_b


def test_foreign_ids_are_not_found(two_families):
    a, b, child_a, child_b, invitation_b = two_families
    foreign = Guardianship.objects.get(child=child_b)
    _is_404(lambda: guardianship_get_for_child(child=child_a, guardianship_id=foreign.pk))
    _is_404(lambda: guardianship_get_for_child(child=child_a, guardianship_id="x"))
    _is_404(lambda: invitation_get_for_child(child=child_a, invitation_id=invitation_b.pk))
    _is_404(lambda: child_get_for_actor(actor=a, child_id=child_b.pk))
    assert guardianship_get_for_child(child=child_b, guardianship_id=foreign.pk) == foreign
    assert invitation_get_for_child(child=child_b, invitation_id=invitation_b.pk) == invitation_b
    assert controls_get_for_child(child=child_a).child_id == child_a.pk


def test_a_device_sees_only_its_own_child(two_families):
    a, _b, child_a, child_b, _invitation = two_families
    device, _tokens = pair_device(a, child_a)
    principal = ChildPrincipal(child=child_a, device=device)
    assert child_get_for_actor(actor=principal, child_id=child_a.pk) == child_a
    assert child_get_for_actor(actor=principal, child_id=str(child_a.pk)) == child_a
    _is_404(lambda: child_get_for_actor(actor=principal, child_id=child_b.pk))


def test_views_answer_404_for_foreign_guardians_and_invitations(two_families):
    a, _b, child_a, child_b, invitation_b = two_families
    client = login(a.email)
    foreign = Guardianship.objects.get(child=child_b)
    assert client.delete(f"/api/v1/children/{child_a.pk}/guardians/{foreign.pk}/").status_code == 404
    revoke = f"/api/v1/children/{child_a.pk}/invitations/{invitation_b.pk}/revoke/"
    assert client.post(revoke).status_code == 404
    assert Guardianship.objects.filter(pk=foreign.pk).exists()
