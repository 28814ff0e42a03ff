"""The one settings module. Every knob is an OFFRAMP_* environment variable.

Modes:
- production (default): secrets and hosts must be given; insecure settings refuse to start.
- demo: a local SQLite database and a generated secret key in the data folder, debug on.
- test: like demo, but without debug; used by the test suite.

`offramp help` and `offramp COMMAND --help` load these settings with no configuration at all
(`envvars.help_only()`): nothing runs then, so production's refusals are skipped and no file is made.
"""

import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from offramp.envvars import envbool, envchoice, envint, envlist, envsecret, envstr, help_only
from offramp.privatefiles import private_write

BASE_DIR = Path(__file__).resolve().parent

MODE = envchoice("MODE", ("production", "demo", "test"), "production")
PRODUCTION = MODE == "production"
HELP_ONLY = help_only()


def refuse(condition: bool, message: str) -> None:
    """Stop at start-up on an unsafe or missing setting; `message` names the variable to set."""
    if condition and not HELP_ONLY:
        raise ImproperlyConfigured(message)


DATA_DIR = Path(envstr("DATA_DIR", str(Path.cwd() / "offramp-data"))).resolve()
LOCAL = not PRODUCTION and not HELP_ONLY  # demo and test sites keep generated secrets in the data folder
if LOCAL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A key generated once and kept beside the demo database."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        private_write(path, secrets.token_urlsafe(64))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = envsecret("SECRET_KEY") or (_local_secret_key() if LOCAL else "")
refuse(
    PRODUCTION and len(SECRET_KEY) < 50,
    "Set OFFRAMP_SECRET_KEY (or OFFRAMP_SECRET_KEY_FILE) to at least 50 random characters: production "
    "mode needs it (or set OFFRAMP_MODE=demo for a local demonstration)",
)
SECRET_KEY = SECRET_KEY or "help-only: never used to sign anything"

DEBUG = envbool("DEBUG", MODE == "demo")
refuse(PRODUCTION and DEBUG, "OFFRAMP_DEBUG=true is refused in production mode: unset OFFRAMP_DEBUG")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
refuse(
    PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS),
    "Set OFFRAMP_ALLOWED_HOSTS to this site's host names (comma-separated, no *): production mode needs it",
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# Where staff open this site: links in emails are absolute (a relative link cannot be tapped in a mail
# app). Production defaults to https:// and the first allowed host.
BASE_URL = envstr(
    "BASE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://localhost:8000"
).rstrip("/")
refuse(
    not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", BASE_URL),
    "OFFRAMP_BASE_URL must be an absolute address such as https://lead.example.org",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # offramp.web first, so its templates override django-allauth's.
    "offramp.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "offramp.accounts",
    "offramp.access",
    "offramp.programs",
    "offramp.people",
    "offramp.referrals",
    "offramp.cases",
    "offramp.jobs",
    "offramp.analysis",
    "offramp.demo",
    "offramp.notifications",
    "offramp.directory",
    "offramp.workgroup",
    "offramp.transitions",
    "offramp.api",
    "offramp.hmis",
    "offramp.bulk",
    "offramp.reports",
    "offramp.planning",
    "offramp.legal",
    "offramp.sites",
    "offramp.ops",
    "offramp.documents",
    "offramp.retention",
]

MIDDLEWARE = [
    "offramp.web.middleware.DatabaseBusyMiddleware",  # outermost: a busy database is a 503, never a 500
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "offramp.accounts.sessions.SessionPolicyMiddleware",
    "offramp.accounts.middleware.MFAEnrolmentMiddleware",
    "offramp.accounts.middleware.PasswordChangeMiddleware",  # after a second factor, before anything else
    "offramp.access.middleware.ActorMiddleware",
    "offramp.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "offramp.urls"
# A request body held in memory: an API batch of 10,000 arrests is about 4 MB of JSON (Django's default
# is 2.5 MB). Larger bodies are refused (413) before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
WSGI_APPLICATION = "offramp.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offramp.web.context.navigation",
                "offramp.demo.views.demo_context",
            ],
        },
    },
]

# Database: SQLite in the data folder unless a URL is given.
DATABASE_URL = envsecret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, creating the database file (and so its WAL) with mode 0600.
            "ENGINE": "offramp.ops.sqlite",
            "NAME": DATA_DIR / "offramp.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE
                # takes the write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                # How long a page waits for another writer before answering 503 (the worker waits longer).
                "timeout": envint("SQLITE_BUSY_SECONDS", 5),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Where `offramp backup` and `restore` find pg_dump and pg_restore, if not on the PATH.
PG_BIN = envstr("PG_BIN", "")

# The cache holds what every server process must share: allauth's sign-in and second-factor rate
# limits and used TOTP codes. A file cache in the data folder by default (one host; locmem would give
# each gunicorn process its own count); OFFRAMP_CACHE_URL=redis://... for several hosts (needs the
# `redis` package). Test runs keep one process's memory, so no state outlives a test run.
# Refused here, after the secrets and hosts are checked, and before the cache (which would create the
# whole path) or anything else writes into the folder.
refuse(
    PRODUCTION and not DATA_DIR.is_dir(),
    f"The data folder {DATA_DIR} does not exist: create it, or set OFFRAMP_DATA_DIR to an existing folder",
)
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("file://") or (not CACHE_URL and MODE != "test"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://") or str(DATA_DIR / "cache"),
        }
    }
else:
    refuse(bool(CACHE_URL), "OFFRAMP_CACHE_URL must start with redis://, rediss://, unix:// or file://")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `offramp worker` records a heartbeat this often; a task whose worker has been silent for the
# timeout is marked failed (its upload removed), and /healthz reports the worker as down.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_TIMEOUT_SECONDS = envint("WORKER_TIMEOUT_SECONDS", 120)
refuse(
    WORKER_TIMEOUT_SECONDS < 2 * WORKER_HEARTBEAT_SECONDS,
    "OFFRAMP_WORKER_TIMEOUT_SECONDS must be at least twice OFFRAMP_WORKER_HEARTBEAT_SECONDS",
)

# The daily tasks `offramp worker` keeps scheduled (offramp/jobs/schedule.py), at these UTC times:
# consents end first, so a consent ended overnight is ended for the day's other work; the intake
# clock and the retention policy run before case managers start in the Americas; reminders follow.
DAILY_TASKS = {
    "offramp.cases.tasks.consent_expiry": "05:30",
    "offramp.referrals.tasks.intake_clock": "06:00",
    "offramp.retention.tasks.retention_daily": "06:00",
    "offramp.transitions.tasks.service_referral_reminders": "06:30",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "offramp.accounts.passwords.BannedPasswordValidator"},  # dated list, refreshed every 90 days
]

AUTHENTICATION_BACKENDS = [
    "offramp.accounts.backends.AuthenticationBackend",  # allauth's, refusing locked accounts
]

# django-allauth: staff accounts are created by administrators, never by sign-up.
ACCOUNT_ADAPTER = "offramp.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"login": "offramp.accounts.forms.LoginForm"}  # adds the acknowledged use notice
# Failed sign-ins per account are handled by offramp's lockout (offramp/accounts/lockout.py), which
# only an administrator releases; allauth keeps a per-address throttle against password spraying.
# Sign-ins (successful ones included) are limited per address too, and a station's or a county's staff
# often share one address: 200 a minute lets a shift sign in at once; failures stay at 20 a minute.
ACCOUNT_RATE_LIMITS = {"login": "200/m/ip", "login_failed": "20/m/ip"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Multi-factor authentication for every staff account (docs/security.md): TOTP or a
# WebAuthn security key, with single-use recovery codes; enrolment is forced at first sign-in.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a key is a second factor after the password, not a replacement
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # security keys on http://localhost in demo and test
MFA_TOTP_ISSUER = envstr("MFA_ISSUER", "offramp")
MFA_FORMS = {"authenticate": "offramp.accounts.forms.AuthenticateForm"}
MFA_ADAPTER = "offramp.accounts.adapter.MFAAdapter"  # seals TOTP secrets and recovery seeds (AES-256-GCM)
USERSESSIONS_TRACK_ACTIVITY = False  # sessions are listed at sign-in; no write per request

# Field encryption keys (AES-256-GCM), kept outside the database: `id:base64key,...`, newest first.
# Demo and test sites generate a key file in the data folder (offramp/access/fieldcrypt.py).
FIELD_KEYS = envsecret("FIELD_KEYS")
# De-identified exports: the key behind research IDs, and the smallest count shown in a table.
RESEARCH_ID_KEY = envsecret("RESEARCH_ID_KEY")
SMALL_CELL = envint("SMALL_CELL", 11)

# Sessions and accounts (CJIS 5.5): strict defaults; each is configurable.
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_HOURS", 12) * 60 * 60
LOCKOUT_THRESHOLD = envint("LOCKOUT_THRESHOLD", 5)  # failed sign-ins ...
LOCKOUT_WINDOW_MINUTES = envint("LOCKOUT_WINDOW_MINUTES", 15)  # ... within this window lock the account
# Participant lookups per user, and per source address, within the window; beyond them: HTTP 429.
LOOKUP_LIMIT = envint("LOOKUP_LIMIT", 30)
LOOKUP_ADDRESS_LIMIT = envint("LOOKUP_ADDRESS_LIMIT", 120)
LOOKUP_WINDOW_MINUTES = envint("LOOKUP_WINDOW_MINUTES", 10)
ACCOUNT_IDLE_DAYS = envint("ACCOUNT_IDLE_DAYS", 90)  # accounts unused this long are disabled
TEMPORARY_ACCOUNT_HOURS = envint("TEMPORARY_ACCOUNT_HOURS", 72)

# Single sign-on through an OpenID Connect identity provider, off unless configured.
OIDC_SERVER_URL = envstr("OIDC_SERVER_URL", "")
SOCIALACCOUNT_ADAPTER = "offramp.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": envstr("OIDC_PROVIDER_ID", "sso"),
                "name": envstr("OIDC_NAME", "Single sign-on"),
                "client_id": envstr("OIDC_CLIENT_ID", ""),
                "secret": envsecret("OIDC_CLIENT_SECRET") or "",
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
# SSO signs in existing staff only (matched by verified email); it never creates accounts.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False

EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = envstr("EMAIL_FROM", "offramp@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored in UTC; each page shows times in its program's zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
if LOCAL:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from finders here, but expects the folder
# Production serves collected files with content hashes in their names, compressed ahead of time
# (gzip and Brotli), cached by browsers for good; demo and test sites serve the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sessions and cookies: strict by default; a site behind plain HTTP for local
# use (demo, test) is the only exception.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS  # the cookie dies with the absolute limit too
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
HTTPS = envbool("HTTPS", PRODUCTION)
refuse(
    PRODUCTION and not HTTPS,
    "OFFRAMP_HTTPS=false is refused in production mode: participant data needs TLS (unset OFFRAMP_HTTPS)",
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring asks the server itself, over plain HTTP
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 63072000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", HTTPS)

# Behind a TLS proxy: `offramp serve` takes X-Forwarded-Proto and X-Forwarded-For only from a peer
# at TRUSTED_PROXY (waitress drops them from anyone else), and the audit log records the address
# TRUSTED_PROXY_COUNT hops back: the client's, not the proxy's.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
TRUSTED_PROXY = envstr("TRUSTED_PROXY", "127.0.0.1")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
refuse(
    TRUSTED_PROXY_COUNT < 0 or (TRUSTED_PROXY_COUNT and not BEHIND_PROXY),
    "OFFRAMP_TRUSTED_PROXY_COUNT counts proxies in front: set OFFRAMP_BEHIND_PROXY=true with it "
    "(a count without a proxy would let any client write the audit log's address)",
)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_FORMAT = envchoice("LOG_FORMAT", ("text", "json"), "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(levelname)s %(name)s: %(message)s"}  # journald and docker add the time
        if LOG_FORMAT == "text"
        # One JSON object a line (time in UTC, level, logger, message) for a log collector.
        else {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
