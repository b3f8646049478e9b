"""The parent dashboard's pages of conversations (server-rendered): the children at a glance, one child's
conversations and insights, and the alerts (live over the parent socket, ``hp/live.js``).

Views only translate: the guardian's children come from ``accounts.selectors`` (another family's
child is a 404, as in the API), the rest from this app's selectors and services.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.pages import page_child, page_parent
from accounts.selectors import children_for_guardian
from conversations import words
from conversations.charts import bar_chart
from conversations.models import Message
from conversations.models.messages import FLAGGED_ACTIONS
from conversations.models.safety import AccessVia
from conversations.selectors.care import memories_for_child, memory_get_for_child
from conversations.selectors.dashboard import alerts_for_guardian, alerts_get_for_guardian, child_cards_for_guardian
from conversations.selectors.history import HistoryFilters, messages_for_child
from conversations.selectors.insights import (
    activity_for_child,
    emotion_totals,
    emotions_for_child,
    hard_moments,
    learning_for_child,
)
from conversations.services.alerts import safety_alerts_acknowledge
from conversations.services.audit import transcript_read_record
from conversations.services.memories import memory_delete
from happy_partner.errors import ApplicationError

PAGE_SIZE = 50
RANGES = (7, 30)  # days the insights cover


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    cards = child_cards_for_guardian(user=page_parent(request), now=timezone.now())
    return render(request, "dashboard/overview.html", {"cards": cards, "emotion": words.EMOTION})


class HistoryForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=100)
    agent = forms.ChoiceField(
        label=gettext_lazy("Who answered"),
        required=False,
        choices=[("", gettext_lazy("Anyone")), *((code, text) for code, text in words.AGENT.items())],
    )
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    flagged = forms.BooleanField(label=gettext_lazy("Only flagged messages"), required=False)


@login_required
@require_GET
def child_conversations(request: HttpRequest, child_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    form = HistoryForm(request.GET or None)
    filters = HistoryFilters()
    if form.is_valid():
        zone = ZoneInfo(child.controls.time_zone)
        data = form.cleaned_data
        until = min(data["until"], date.max - timedelta(days=1)) if data["until"] else None  # 9999-12-31: the end
        filters = HistoryFilters(
            agent=data["agent"] or None,
            since=datetime.combine(data["since"], time.min, tzinfo=zone) if data["since"] else None,
            until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone) if until else None,
            flagged=data["flagged"],
            query=data["q"] or None,
        )
    history = messages_for_child(child_id=child.pk, filters=filters).order_by("-created_at", "-id")
    before = request.GET.get("before", "")
    last = (
        Message.objects.filter(pk=int(before), child=child).values_list("created_at", flat=True).first()
        if before.isascii() and before.isdigit()
        else None
    )
    if last is not None:  # older than the page's last message: keyset paging, no COUNT over a long history
        history = history.filter(Q(created_at__lt=last) | Q(created_at=last, id__lt=int(before)))
    found = list(history[: PAGE_SIZE + 1])
    shown = found[:PAGE_SIZE]
    rows = [_row(message) for message in reversed(shown)]  # oldest first, as a chat reads
    query = request.GET.copy()
    query.pop("before", None)
    older = shown[-1].pk if len(found) > PAGE_SIZE else None
    transcript_read_record(reader=page_parent(request), child_id=child.pk, via=AccessVia.DASHBOARD)
    context = {"child": child, "form": form, "rows": rows, "query": query.urlencode(), "older": older}
    with timezone.override(child.controls.zone):  # times as the family reads them
        return render(request, "dashboard/conversations.html", context)


def _row(message: Message) -> dict[str, Any]:
    flagged = message.safety_action in FLAGGED_ACTIONS
    return {
        "message": message,
        "flagged": flagged,
        "severity": words.word(words.SEVERITY, message.safety_severity),
        "why": words.words(words.CATEGORY, message.safety_categories) if flagged else "",
        "done": words.word(words.ACTION, message.safety_action) if flagged else "",
        "agent": words.word(words.AGENT, message.agent) if message.agent else "",
        "emotion": words.word(words.EMOTION, message.emotion) if message.emotion else "",
    }


@login_required
@require_GET
def child_insights(request: HttpRequest, child_id: int) -> HttpResponse:
    child = page_child(request, child_id)
    days = int(request.GET.get("days", RANGES[0])) if request.GET.get("days", "") in {str(r) for r in RANGES} else 7
    now, zone = timezone.now(), child.controls.time_zone
    activity = activity_for_child(child_id=child.pk, days=days, now=now, time_zone=zone)
    feelings = emotions_for_child(child_id=child.pk, days=days, now=now, time_zone=zone)
    learning = learning_for_child(child_id=child.pk, days=days, now=now, time_zone=zone)
    charts = [
        bar_chart(
            title=_("Minutes per day, against the daily limit"),
            values=[(d["date"].strftime("%m-%d"), d["minutes"]) for d in activity["days"]],
            limit=child.controls.daily_minutes,
        ),
        bar_chart(
            title=_("Hard moments per day (sad, scared, worried, lonely, angry or upset)"),
            values=[(day.strftime("%m-%d"), n) for day, n in hard_moments(feelings)],
        ),
        bar_chart(
            title=_("Feelings the companion noticed"),
            values=[(words.word(words.EMOTION, e), n) for e, n in emotion_totals(feelings).items()],
        ),
        bar_chart(
            title=_("Questions to the teacher, by subject"),
            values=[(words.word(words.SUBJECT, subject), n) for subject, n in learning["subjects"].items()],
        ),
    ]
    context = {"child": child, "days": days, "ranges": RANGES, "charts": charts, "totals": activity["totals"]}
    return render(request, "dashboard/insights.html", context)


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    page = Paginator(alerts_for_guardian(user=page_parent(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "severity": words.word(words.SEVERITY, event.severity),
            "what": words.words(words.CATEGORY, event.categories) or _("a message the check could not judge"),
            "done": words.word(words.ACTION, event.action),
            "zone": event.child.controls.zone,  # each alert in its family's time
        }
        for event in page.object_list
    ]
    names = {str(child.pk): child.display_name for child in children_for_guardian(user=page_parent(request))}
    context = {"page": page, "rows": rows, "vocabulary": {**words.vocabulary(), "children": names}}  # for live.js
    return render(request, "dashboard/alerts.html", context)


@login_required
@require_POST
def alert_seen(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        events = alerts_get_for_guardian(user=page_parent(request), event_ids=[event_id])
    except ApplicationError:
        raise Http404(_("No such alert.")) from None
    safety_alerts_acknowledge(actor=page_parent(request), events=events)
    return redirect("alerts")


@login_required
@require_http_methods(["GET", "POST"])
def child_memories(request: HttpRequest, child_id: int) -> HttpResponse:
    """What the companion remembers about the child (only with the memory consent and switch); each
    can be deleted, and is gone, not hidden."""
    child = page_child(request, child_id)
    if request.method == "POST":
        try:
            memory = memory_get_for_child(child=child, memory_id=int(request.POST.get("delete", "")))
        except (ApplicationError, ValueError):
            raise Http404(_("No such memory.")) from None
        memory_delete(actor=page_parent(request), memory=memory)
        messages.success(request, _("Forgotten: %(text)s") % {"text": memory.text})
        return redirect("child-memories", child_id=child.pk)
    memories = memories_for_child(child=child).order_by("-created_at")[:200]
    return render(request, "dashboard/memories.html", {"child": child, "memories": memories})


urlpatterns = [
    path("dashboard/", overview, name="dashboard"),
    path("dashboard/children/<int:child_id>/", child_conversations, name="child"),
    path("dashboard/children/<int:child_id>/insights/", child_insights, name="child-insights"),
    path("dashboard/children/<int:child_id>/memories/", child_memories, name="child-memories"),
    path("dashboard/alerts/", alerts, name="alerts"),
    path("dashboard/alerts/<int:event_id>/seen/", alert_seen, name="alert-seen"),
]
