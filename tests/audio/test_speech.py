"""Speech to text and text to speech: espeak-ng's voices honour rate, pitch and volume; identical
requests come from the cache; pocketsphinx with a grammar recovers espeak's English exactly; Chinese
needs a recognition server and says so; an OpenAI-compatible server (the local fake speaking its
protocol) serves both directions, and its failures are errors a client can act on."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audio.clips import clip_decode
from audio.processing import clip_preprocess
from audio.speech_to_text import speech_transcribe
from audio.text_to_speech import SpeechFormat, Voice, espeak_input, speech_synthesize
from audio.voiceprints import analyse
from happy_partner.errors import ApplicationError
from tests.audio.conftest import PHRASES, speak
from tests.conversations.fake_openai import Mode


def _heard(data: bytes):
    return clip_preprocess(clip_decode(data))


@pytest.mark.parametrize("phrase", PHRASES)
def test_english_tts_then_stt_with_a_grammar_recovers_the_words_exactly(phrase):
    spoken = speech_synthesize(text=phrase, voice=Voice(language="en"))
    transcript = speech_transcribe(audio=_heard(spoken.audio), language="en", phrases=PHRASES)
    assert transcript.text == phrase and transcript.engine == "pocketsphinx" and transcript.language == "en"


def test_free_form_english_returns_words_and_no_false_confidence():
    transcript = speech_transcribe(audio=_heard(speak("tell me a story about the moon")), language="en")
    assert transcript.text and transcript.confidence is None


def test_chinese_without_a_server_is_refused_plainly(settings):
    settings.STT_ENGINE_ZH = "none"
    with pytest.raises(ApplicationError) as refused:
        speech_transcribe(audio=_heard(speak("你好", "zh")), language="zh-hans")
    assert refused.value.code == "language_unsupported"


def test_chinese_is_spoken_through_pinyin_and_sounds_like_speech():
    voice, text = espeak_input("你好，我们来讲故事吧。[[h@l'oU]]", "zh")
    assert voice == "cmn-latn-pinyin" and text.startswith("ni3 hao3 ,") and "[[" not in text
    spoken = speech_synthesize(text="你好，我们来讲一个关于月亮的故事吧。", voice=Voice(language="zh"))
    clip = clip_decode(spoken.audio)
    assert spoken.content_type == "audio/wav" and spoken.sample_rate == clip.rate == 22050
    assert spoken.duration == pytest.approx(clip.duration, abs=0.001) and spoken.duration > 2
    assert analyse(_heard(spoken.audio).samples)[0].speech_like(1.0)


def _pitch(data: bytes) -> float:
    _analysis, _mel, voiced, pitch = analyse(_heard(data).samples)
    return float(np.median(pitch[voiced]))


def test_rate_pitch_and_volume_are_honoured():
    text = "The little fox ran across the snowy field."
    base = speech_synthesize(text=text, voice=Voice(language="en"))
    fast = speech_synthesize(text=text, voice=Voice(language="en", rate=300))
    high = speech_synthesize(text=text, voice=Voice(language="en", pitch=90))
    quiet = speech_synthesize(text=text, voice=Voice(language="en", volume=30))
    assert fast.duration < base.duration * 0.7
    assert _pitch(high.audio) > _pitch(base.audio) * 1.2
    rms = lambda d: float(np.sqrt(np.mean(clip_decode(d).samples ** 2)))  # noqa: E731
    assert rms(quiet.audio) < rms(base.audio) * 0.5


@pytest.mark.parametrize("fmt, content_type", [("wav", "audio/wav"), ("ogg", "audio/ogg"), ("mp3", "audio/mpeg")])
def test_formats_carry_their_true_rate_and_duration(fmt, content_type):
    spoken = speech_synthesize(text="Good night, sleep well.", voice=Voice(language="en"), fmt=SpeechFormat(fmt))
    clip = clip_decode(spoken.audio)
    assert spoken.content_type == content_type and clip.rate == spoken.sample_rate
    assert clip.duration == pytest.approx(spoken.duration, abs=0.01)


def test_identical_requests_of_one_requester_are_served_from_their_cache():
    voice = Voice(language="en", rate=170)
    first = speech_synthesize(text="A cached sentence.", voice=voice, cache_for="7")
    second = speech_synthesize(text="A cached sentence.", voice=voice, cache_for="7")
    other = speech_synthesize(text="A cached sentence.", voice=Voice(language="en", rate=171), cache_for="7")
    someone_else = speech_synthesize(text="A cached sentence.", voice=voice, cache_for="8")
    assert not first.cached and second.cached and second.audio == first.audio
    assert not other.cached and not someone_else.cached  # a hit never tells what another family heard
    # The companion's replies (no requester's cache) are never kept.
    assert not speech_synthesize(text="A reply.", voice=voice).cached
    assert not speech_synthesize(text="A reply.", voice=voice).cached


def test_the_synthesize_endpoint_returns_audio_with_its_metadata(family):
    response = family.device.post("/api/v1/audio/synthesize/", {"text": "Hello Lily!"}, format="json")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    clip = clip_decode(response.content)
    assert int(response["X-Audio-Sample-Rate"]) == clip.rate
    assert float(response["X-Audio-Duration"]) == pytest.approx(clip.duration, abs=0.001)
    again = family.device.post("/api/v1/audio/synthesize/", {"text": "Hello Lily!"}, format="json")
    assert again["X-Audio-Cache"] == "hit" and response["X-Audio-Cache"] == "miss"
    bad = family.device.post("/api/v1/audio/synthesize/", {"text": "x", "rate": 5000}, format="json")
    assert bad.status_code == 400 and "rate" in bad.json()["error"]["fields"]


def test_the_transcribe_endpoint_uses_the_childs_language_and_grammar(family):
    audio = SimpleUploadedFile("q.wav", speak("what is two plus three"))
    response = family.device.post("/api/v1/audio/transcribe/", {"audio": audio, "phrases": PHRASES}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "what is two plus three" and response.json()["language"] == "en"


def test_a_child_without_the_voice_consent_is_not_heard_at_all(quiet_family):
    audio = SimpleUploadedFile("q.wav", speak("hello how are you"))
    response = quiet_family.device.post("/api/v1/audio/transcribe/", {"audio": audio}, format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == "voice_disabled"
    # A parent's own voice is theirs to transcribe.
    audio = SimpleUploadedFile("q.wav", speak("hello how are you"))
    response = quiet_family.web.post(
        "/api/v1/audio/transcribe/", {"audio": audio, "language": "en"}, format="multipart"
    )
    assert response.status_code == 200


def test_the_openai_recogniser_serves_chinese(settings, fake_openai):
    settings.STT_ENGINE_ZH = "openai"
    settings.STT_BASE_URL = fake_openai.base_url
    settings.STT_MODEL = "whisper-small"
    fake_openai.set_audio(transcript="你好，我想听故事", language="chinese", avg_logprob=-0.1)
    transcript = speech_transcribe(audio=_heard(speak("你好", "zh")), language="zh-hans", phrases=["故事"])
    assert (transcript.text, transcript.language, transcript.engine) == ("你好，我想听故事", "zh", "openai")
    assert transcript.confidence == pytest.approx(0.905, abs=0.001)
    sent = fake_openai.requests[-1]
    assert sent.form["language"] == "zh" and sent.form["model"] == "whisper-small" and sent.form["prompt"] == "故事"
    assert clip_decode(sent.files["file"]).rate == 16000


@pytest.mark.parametrize("mode", [Mode.ERROR_500, Mode.MALFORMED_JSON, Mode.ERROR_400])
def test_a_failing_recogniser_is_an_error_never_a_transcript(settings, fake_openai, mode):
    settings.STT_ENGINE_EN = "openai"
    settings.STT_BASE_URL = fake_openai.base_url
    fake_openai.set_mode(mode)
    with pytest.raises(ApplicationError) as refused:
        speech_transcribe(audio=_heard(speak("hello")), language="en")
    assert refused.value.code == "speech_to_text_unavailable" and refused.value.kind.value == "unavailable"


def test_an_unreachable_recogniser_is_503_over_http(family, settings):
    settings.STT_ENGINE_EN = "openai"
    settings.STT_BASE_URL = "http://127.0.0.1:9/v1"
    audio = SimpleUploadedFile("q.wav", speak("hello"))
    response = family.device.post("/api/v1/audio/transcribe/", {"audio": audio}, format="multipart")
    assert response.status_code == 503 and response.json()["error"]["code"] == "speech_to_text_unavailable"


def test_the_openai_speech_server(settings, fake_openai):
    settings.TTS_ENGINE = "openai"
    settings.TTS_BASE_URL = fake_openai.base_url
    spoken = speech_synthesize(text="Hello there, friend!", voice=Voice(language="en", rate=300), fmt=SpeechFormat.OGG)
    assert spoken.engine == "openai" and spoken.content_type == "audio/ogg" and spoken.sample_rate == 24000
    assert (
        fake_openai.requests[-1].json["speed"] == 2.0
        and fake_openai.requests[-1].json["input"] == "Hello there, friend!"
    )
    fake_openai.set_mode(Mode.ERROR_500)
    with pytest.raises(ApplicationError) as refused:
        speech_synthesize(text="Something else", voice=Voice(language="en"))
    assert refused.value.code == "text_to_speech_unavailable"


def test_new_phrase_lists_do_not_pile_up_in_the_decoder():
    from audio.speech_to_text import GRAMMARS_KEPT, _pocketsphinx

    audio = _heard(speak("hello how are you"))
    for n in range(GRAMMARS_KEPT * 3):
        phrases = ["hello how are you", f"number {n} please" if n < 10 else "tell me a story"]
        phrases.append("what is " + " plus ".join(["two"] * (n + 1)))
        assert speech_transcribe(audio=audio, language="en", phrases=phrases).text == "hello how are you"
    pool = _pocketsphinx.pools[True]
    decoders = list(pool.free.queue)
    assert decoders and all(len(d.grammars) <= GRAMMARS_KEPT for d in decoders)
    assert pool.made <= 2  # bounded by STT_DECODERS, however many requests came


def test_a_server_with_odd_numbers_is_still_an_answer_or_a_clear_error(settings, fake_openai):
    settings.STT_ENGINE_EN = "openai"
    settings.STT_BASE_URL = fake_openai.base_url
    fake_openai.set_audio(transcript="hello", language="english", avg_logprob=800.0)
    transcript = speech_transcribe(audio=_heard(speak("hello")), language="en")
    assert transcript.text == "hello" and transcript.confidence == 1.0
