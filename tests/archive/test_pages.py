"""The data pages: export with progress and its link, the retention choice, archived months to read
(a logged read) and restore, erasing a child and the account after a typed confirmation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ChildProfile, User
from archive.models import ConversationArchive, ExportJob, RetentionChoice
from archive.services.archiving import conversations_archive
from conversations.models import Message, TranscriptAccess
from tests.archive.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(family) -> Client:
    client = Client()
    client.force_login(family.parent)
    return client


def test_the_data_page_exports_and_sets_the_retention(family, browser, at_now, django_capture_on_commit_callbacks):
    url = reverse("child-data", kwargs={"child_id": family.child.pk})
    page = browser.get(url)
    assert page.status_code == 200 and "Lily" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert browser.post(url, {"action": "export"}).status_code == 302
    building = browser.get(url).content.decode()
    assert 'http-equiv="refresh"' in building and "<progress" in building  # the page follows the build
    for callback in queued:
        callback()
    job = ExportJob.objects.get()
    shown = browser.get(url).content.decode()
    assert job.status == "done" and f"/api/v1/exports/{job.pk}/download/?token=" in shown
    assert browser.post(url, {"action": "retention", "transcript_days": "90"}).status_code == 302
    assert RetentionChoice.objects.get(child=family.child).transcript_days == 90
    assert browser.post(url, {"action": "retention", "transcript_days": "7"}).status_code == 400


def test_an_archived_month_is_read_logged_and_restored(family, browser, at_now):
    conversations_archive(older_than_days=30, now=NOW)
    archive = ConversationArchive.objects.order_by("first_at").first()
    assert archive is not None
    data = browser.get(reverse("child-data", kwargs={"child_id": family.child.pk})).content.decode()
    assert archive.month.strftime("%Y-%m") in data
    url = reverse("child-archive", kwargs={"child_id": family.child.pk, "archive_id": archive.pk})
    page = browser.get(url)
    assert page.status_code == 200 and "我喜欢恐龙" in page.content.decode()
    assert TranscriptAccess.objects.filter(reader=family.parent, via="dashboard").exists()
    count = Message.objects.count()
    assert browser.post(url).status_code == 302
    assert Message.objects.count() == count + archive.message_count
    assert not ConversationArchive.objects.filter(pk=archive.pk).exists()


def test_erasing_a_child_needs_their_name_typed(family, browser, at_now):
    url = reverse("child-data", kwargs={"child_id": family.child.pk})
    shown = browser.get(url).content.decode()
    assert "messages" in shown or "消息" in shown  # what goes is listed first
    assert browser.post(url, {"action": "erase", "confirm": "lily"}).status_code == 400
    assert ChildProfile.objects.filter(pk=family.child.pk).exists()
    assert browser.post(url, {"action": "erase", "confirm": "Lily"}).status_code == 302
    assert not ChildProfile.objects.filter(pk=family.child.pk).exists()


def test_erasing_the_account_needs_the_address_typed(family, browser, at_now):
    url = reverse("account")
    assert "Lily" in browser.get(url).content.decode()
    assert browser.post(url, {"confirm": "someone@else.example"}).status_code == 400
    done = browser.post(url, {"confirm": family.parent.email})
    assert done.status_code == 302 and not User.objects.filter(pk=family.parent.pk).exists()
    assert browser.get(reverse("dashboard")).status_code == 302  # signed out


def test_reads_of_transcripts_are_logged_for_grown_ups_not_for_the_child(family, at_now):
    family.web().get(f"/api/v1/children/{family.child.pk}/messages/")
    family.device_client().get(f"/api/v1/children/{family.child.pk}/messages/")
    session = Message.objects.filter(child=family.child).first().session_id
    family.web().get(f"/api/v1/sessions/{session}/messages/")
    client = Client()
    client.force_login(family.parent)
    client.get(reverse("child", kwargs={"child_id": family.child.pk}))
    logged = list(TranscriptAccess.objects.order_by("pk").values_list("reader_id", "via", "session_id"))
    assert logged == [
        (family.parent.pk, "api", None),
        (family.parent.pk, "api", session),
        (family.parent.pk, "dashboard", None),
    ]
