"""Settings for Werkplek, read from the environment only (see README).

Nothing here touches the disk: ``WorkplaceConfig.ready`` creates the data
directory. The test suite's settings are tests/settings.py, on top of these.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workplace.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("WERKPLEK_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# The database, the index, the job queue and the keys live here: it exists before any of them.
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
# Only a development run may fall back to a throw-away key.
SECRET_KEY = env_secret("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else None)
# The demo organisation (manage.py seed_demo) has published passwords and full rights:
# only on a throw-away database (development, tests, benchmarks).
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", default=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "workplace.apps.WerkplekAdminConfig",  # the admin, with its second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "guardian",
    "haystack",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "workplace",
    "kus",
    "search",
    "notifications",
    "streams",
    "messaging",
    "surveys",
    "alerts",
    "campaigns",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "workplace.untrusted.UntrustedInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "workplace.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "workplace.audit.AuditContextMiddleware",
    "workplace.middleware.TerminalMiddleware",
    "workplace.middleware.UserLanguageMiddleware",
    # A session past its limits ends before anything is asked of it, a second factor too.
    "workplace.middleware.SessionLimitMiddleware",
    "workplace.mfa.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a login that axes refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workplace.urls"
ASGI_APPLICATION = "workplace.asgi.application"
WSGI_APPLICATION = "workplace.wsgi.application"

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
                "workplace.context_processors.shell_context",
            ],
        },
    },
]

# Database: SQLite in the data directory unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'werkplek.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a real daphne started by the tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The largest WebSocket message a client may send; bigger ones close with 1009.
WEBSOCKET_MAX_MESSAGE_BYTES = env_int("WEBSOCKET_MAX_MESSAGE_BYTES", 64 * 1024)

# Channels: in-memory for one process, Redis for several.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times out every read after 5 s by default, which tears down
            # each idle socket (channels-redis blocks in BZPOPMIN): wait as long as needed.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Channels' own in-memory layer walks every channel on every call (see channel_layers).
    CHANNEL_LAYERS = {"default": {"BACKEND": "workplace.channel_layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serving (docs/deployment.md): gunicorn starts WEB_WORKERS processes, each serving HTTP
# and the WebSocket with uvicorn, a thread per request in flight for the sync views. One
# process is one core (the GIL): with REDIS_URL one per core by default. Without it the
# channel layer lives in the process's memory, where an event sent from one process
# never reaches a socket held by another: the embedded shape is one process.
WEB_WORKERS = env_int("WEB_WORKERS", (os.cpu_count() or 1) if REDIS_URL else 1)
if WEB_WORKERS < 1:
    raise ImproperlyConfigured("WEB_WORKERS must be at least 1.")
if WEB_WORKERS > 1 and not REDIS_URL:
    raise ImproperlyConfigured(
        f"WEB_WORKERS={WEB_WORKERS} needs REDIS_URL: without Redis the channel layer is "
        "in one process's memory, and an event sent from one web process (a post, a chat "
        "message, a notification) would never reach the sockets held by another. Set "
        "REDIS_URL, or WEB_WORKERS=1."
    )

# Background and scheduled jobs (Huey, see docs/jobs.md): a SQLite queue in the data
# directory for one machine, Redis when REDIS_URL is set, for any number of workers on
# any number of machines, each ``manage.py run_huey``. Without Redis the web process
# runs them itself, in threads beside its requests: the events a job sends (a scheduled
# announcement's badge, an urgent message's progress) reach the sockets only through
# the in-memory channel layer of the process that holds them.
HUEY_WORKERS = env_int("HUEY_WORKERS", 2)
HUEY: dict[str, Any] = {
    "name": "werkplek",
    "huey_class": "huey.PriorityRedisExpireHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(DATA_DIR / "jobs.sqlite3")},
    "immediate": env_bool("HUEY_IMMEDIATE", default=False),
    # Results are never read back: every task records what it did in the database.
    "results": False,
    "utc": True,
    "consumer": {
        "workers": HUEY_WORKERS,
        "worker_type": "thread",
        "periodic": True,
        "check_worker_health": True,
    },
}
if REDIS_URL:
    HUEY["expire_time"] = 7 * 24 * 3600
else:
    # An idle consumer looks for work at most every 2 s (Huey's default backs off to
    # 10 s): a job queued by a request in the same process starts soon after.
    HUEY["consumer"]["max_delay"] = 2.0
JOBS_IN_WEB_PROCESS = not REDIS_URL

# Search (see docs/search.md): an embedded Whoosh index with Werkplek's Dutch schema,
# or Elasticsearch 7 with the same Dutch analysis when SEARCH_URL is set.
SEARCH_URL = env_str("SEARCH_URL")
if SEARCH_URL:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.elasticsearch.WerkplekElasticsearchEngine",
            "URL": SEARCH_URL,
            "INDEX_NAME": env_str("SEARCH_INDEX_NAME", "werkplek"),
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.backend.WerkplekWhooshEngine",
            "PATH": str(Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "index")))),
        }
    }
# Saves queue index updates; who applies them after the commit: "background" (a writer
# thread per process), "inline" (the saving thread) or "manual" (search_check --fix).
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.QueuedSignalProcessor"
SEARCH_INDEX_UPDATES = env_choice(
    "SEARCH_INDEX_UPDATES", ("background", "inline", "manual"), "background"
)

AUTH_USER_MODEL = "workplace.Employee"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "workplace.backends.UsernameOrPersonnelNumberBackend",
    "workplace.backends.TerminalPinBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

# Sessions (workplace/sessions.py). On a personal device a session ends after
# SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS after the login,
# whichever comes first; on a shared terminal after TERMINAL_IDLE_SECONDS idle.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 8 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 14 * 24 * 60 * 60)
TERMINAL_IDLE_SECONDS = env_int("TERMINAL_IDLE_SECONDS", 180)
# An open WebSocket asks the database about its session at its deadline and at
# least this often, in case a "check your session" event was lost on the way.
SESSION_RECHECK_SECONDS = env_int("SESSION_RECHECK_SECONDS", 300)
for _name in (
    "SESSION_IDLE_SECONDS",
    "SESSION_ABSOLUTE_SECONDS",
    "TERMINAL_IDLE_SECONDS",
    "SESSION_RECHECK_SECONDS",
):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name} must be a positive number of seconds.")
if "SESSION_COOKIE_AGE" in os.environ:
    raise ImproperlyConfigured("SESSION_COOKIE_AGE is replaced by SESSION_ABSOLUTE_SECONDS.")
# Only for sessions without a login (a visitor's): a login sets its own expiry.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
TERMINAL_PIN_MAX_FAILURES = env_int("TERMINAL_PIN_MAX_FAILURES", 5)
TERMINAL_PIN_LOCK_SECONDS = env_int("TERMINAL_PIN_LOCK_SECONDS", 15 * 60)
TERMINAL_PIN_MAX_FAILURES_TOTAL = env_int("TERMINAL_PIN_MAX_FAILURES_TOTAL", 15)
ACTIVATION_CODE_DAYS = env_int("ACTIVATION_CODE_DAYS", 30)

# Password guessing (django-axes, see workplace/lockout.py): a login is refused for
# LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failures for one account from one
# address, LOGIN_ACCOUNT_FAILURE_LIMIT for one account from anywhere, or
# LOGIN_ADDRESS_FAILURE_LIMIT from one address (a depot's NAT) for any accounts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"], ["ip_address"]]
AXES_HANDLER = "workplace.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "workplace.lockout.account_name"
AXES_CLIENT_IP_CALLABLE = "workplace.audit.client_ip"
AXES_WHITELIST_CALLABLE = "workplace.lockout.is_pin_attempt"
AXES_LOCKOUT_CALLABLE = "workplace.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A lock ends a fixed time after it began: attempts during it are refused, not counted.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # the audit log records logins
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken", "otp_token", "code", "pin"]
AXES_VERBOSE = False
# Two-step login (workplace/mfa.py): required for superusers, staff and these roles.
MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES", ["Communicatie", "HR", "KUS-redactie", "Crisiscommunicatie"]
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Werkplek Gent")
# Sensitive pages (set-up, tokens, letters, exports) ask for the password again after this.
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 10 * 60)
# The password reset form: mails per address and requests per client, per hour.
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20)

# The audit log keeps its events this long (docs/security.md); behind PROXY_COUNT
# trusted reverse proxies the client's address is read from X-Forwarded-For.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Monitoring that presents this bearer token sees /healthz's details (engines, errors).
HEALTHZ_TOKEN = env_secret("HEALTHZ_TOKEN", default="")

# Language: Dutch (Belgium) first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "workplace" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# User files (workplace/files.py) live under MEDIA_ROOT, which no URL serves: each one is
# fetched through its object's view, after the access check. In production the view
# lets the web server send the bytes: FILE_SERVING=x-accel-redirect (nginx, an internal
# location FILE_SERVING_PREFIX aliased to MEDIA_ROOT) or x-sendfile (Apache).
MEDIA_ROOT = DATA_DIR / "media"
FILE_SERVING = env_choice("FILE_SERVING", ("django", "x-accel-redirect", "x-sendfile"), "django")
FILE_SERVING_PREFIX = env_str("FILE_SERVING_PREFIX", "/_files/")
if not (FILE_SERVING_PREFIX.startswith("/") and FILE_SERVING_PREFIX.endswith("/")):
    raise ImproperlyConfigured("FILE_SERVING_PREFIX must start and end with /, e.g. /_files/")
STORAGES = {
    "default": {"BACKEND": "workplace.files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No upload is kept beyond this size, whatever the form; each kind has its own lower limit.
FILE_UPLOAD_MAX_BYTES = env_int("FILE_UPLOAD_MAX_MB", 20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "workplace.files.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Messaging: the largest attachment, and where attachments lay before they moved to the
# private storage (``manage.py files_secure`` moves them; empty: beside MEDIA_ROOT).
MESSAGING_MAX_ATTACHMENT_BYTES = env_int("MESSAGING_MAX_ATTACHMENT_MB", 10) * 1024 * 1024
MESSAGING_ATTACHMENT_ROOT = env_str("MESSAGING_ATTACHMENT_ROOT")

# E-mail: the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Werkplek <werkplek@stad.gent>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Delivery beyond the app (docs/notifications.md). Web Push signs with a VAPID key: from
# the environment, from a file, or generated once into the data directory.
WEBPUSH_PRIVATE_KEY = env_secret("WEBPUSH_PRIVATE_KEY", default="")
WEBPUSH_KEY_FILE = env_str("WEBPUSH_KEY_FILE", str(DATA_DIR / "webpush-key.pem"))
WEBPUSH_SUBJECT = env_str("WEBPUSH_SUBJECT", "mailto:werkplek@stad.gent")
# Push services besides the browsers' own (URL prefixes, comma-separated): tests, local ones.
WEBPUSH_EXTRA_ENDPOINTS = [
    prefix.strip() for prefix in env_str("WEBPUSH_EXTRA_ENDPOINTS").split(",") if prefix.strip()
]
# SMS for urgent messages: "console" (the log) or "http" (a gateway, see docs/notifications.md).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_secret("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env_str("SMS_SENDER", "StadGent")
# A direct message still unread this long, with no open Werkplek, goes out by push or e-mail.
MESSAGE_NOTIFY_AFTER_MINUTES = env_int("MESSAGE_NOTIFY_AFTER_MINUTES", 5)
# KUS reminds who has not acknowledged a directive this many days before its "acknowledge by".
KUS_ACK_REMINDER_DAYS = env_int("KUS_ACK_REMINDER_DAYS", 3)
# Campaigns (docs/campaigns.md): reach is counted this many days after publication, after
# which the pseudonymous marks are deleted; the calendar warns above this many items per
# person per week.
CAMPAIGN_REACH_DAYS = env_int("CAMPAIGN_REACH_DAYS", 90)
CAMPAIGN_WEEKLY_LIMIT = env_int("CAMPAIGN_WEEKLY_LIMIT", 3)
# The address that links in e-mails start with (e-mails have no request to ask).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. Behind the city's TLS-terminating proxy, HTTPS is the only way in.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
HTTPS = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
# Behind TLS every cookie of ours is __Host-: sent only to this host, only over TLS and
# for every path, so that no other host under the city's domain can set or read it.
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-werkplek_session"
    CSRF_COOKIE_NAME = "__Host-werkplek_csrf"
    LANGUAGE_COOKIE_NAME = "__Host-werkplek_language"
TERMINAL_COOKIE_NAME = "__Host-werkplek_terminal" if HTTPS else "werkplek_terminal"
LANGUAGE_COOKIE_SECURE = HTTPS
# Scripts take the CSRF token from the page's form, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "workplace.views.errors.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"] if not HTTPS else ["'self'", "wss:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Axes narrates every attempt (failures at WARNING); the audit log records
        # them, and the lockouts, once (werkplek.audit).
        "axes": {"level": "ERROR"},
    },
}
