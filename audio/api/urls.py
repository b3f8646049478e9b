from django.urls import path

from audio.api import views

urlpatterns = [
    path("audio/process/", views.ProcessView.as_view(), name="audio-process"),
    path("audio/transcribe/", views.TranscribeView.as_view(), name="audio-transcribe"),
    path("audio/synthesize/", views.SynthesizeView.as_view(), name="audio-synthesize"),
    path("chat/voice/", views.VoiceChatView.as_view(), name="chat-voice"),
    path("children/<id:child_id>/voiceprint/", views.VoiceprintView.as_view(), name="child-voiceprint"),
    path("me/voiceprint/", views.VoiceprintView.as_view(), name="me-voiceprint"),
    path("voice/verify/", views.VerifyView.as_view(), name="voice-verify"),
    path("voice/identify/", views.IdentifyView.as_view(), name="voice-identify"),
]
