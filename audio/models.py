"""Speech-to-text, text-to-speech and voiceprints arrive with the audio issue."""
