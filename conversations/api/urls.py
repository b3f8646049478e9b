from django.urls import path

from conversations.api.views import care, chat, history

urlpatterns = [
    path("chat/", chat.ChatView.as_view(), name="chat"),
    path("edu/ask/", chat.EduAskView.as_view(), name="edu-ask"),
    path("emotion/support/", chat.EmotionSupportView.as_view(), name="emotion-support"),
    path("safety/check/", chat.SafetyCheckView.as_view(), name="safety-check"),
    path("sessions/", history.SessionListView.as_view(), name="session-list"),
    path("sessions/<id:session_id>/", history.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<id:session_id>/end/", history.SessionEndView.as_view(), name="session-end"),
    path("sessions/<id:session_id>/messages/", history.SessionMessagesView.as_view(), name="session-messages"),
    path("children/<id:child_id>/messages/", history.ChildMessagesView.as_view(), name="child-messages"),
    path("children/<id:child_id>/memories/", care.MemoryListView.as_view(), name="child-memories"),
    path(
        "children/<id:child_id>/memories/<id:memory_id>/", care.MemoryDetailView.as_view(), name="child-memory-detail"
    ),
    path("children/<id:child_id>/insights/activity/", care.ActivityInsightsView.as_view(), name="insights-activity"),
    path("children/<id:child_id>/insights/learning/", care.LearningInsightsView.as_view(), name="insights-learning"),
    path("children/<id:child_id>/insights/emotions/", care.EmotionInsightsView.as_view(), name="insights-emotions"),
    path("children/<id:child_id>/safety-events/", care.ChildSafetyEventsView.as_view(), name="child-safety-events"),
    path("safety-events/", care.StaffSafetyEventsView.as_view(), name="staff-safety-events"),
    path(
        "safety-events/<id:event_id>/review/",
        care.StaffSafetyEventReviewView.as_view(),
        name="staff-safety-event-review",
    ),
]
