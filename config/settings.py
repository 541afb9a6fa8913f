"""VisitFlow settings: one module, driven by environment variables (see README "Settings")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VISITFLOW_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("VISITFLOW_TESTING", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, 'Settings')."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "visitflow.core",
    "visitflow.accounts",
    "visitflow.customers",
    "visitflow.visits",
    "visitflow.logistics",
    "visitflow.notifications",
    "visitflow.reminders",
    "visitflow.tradeshows",
    "visitflow.reports",
    "visitflow.spend",
    "visitflow.portal",
    "visitflow.imports",
    "visitflow.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "visitflow.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "visitflow.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"].setdefault("OPTIONS", {})
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "visitflow.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two
                # writers wait for each other instead of failing half-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Log-in failures: locked for AXES_COOLOFF after AXES_FAILURE_LIMIT tries per user and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Internationalisation: Simplified Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "visitflow_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONE_REGION", "CN")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Hospitality spend (issue 8): receipts are kept outside MEDIA_ROOT and only reached
# through the permission-checked download view; uploads above this size are refused.
SPEND_RECEIPT_ROOT = Path(os.environ.get("SPEND_RECEIPT_ROOT", VAR_DIR / "receipts"))
SPEND_RECEIPT_MAX_BYTES = int(os.environ.get("SPEND_RECEIPT_MAX_BYTES", 10 * 1024 * 1024))
# Customer imports (issue 9): uploaded spreadsheets are kept outside MEDIA_ROOT and
# never served; larger uploads are refused before they are read.
IMPORT_ROOT = Path(os.environ.get("IMPORT_ROOT", VAR_DIR / "imports"))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# One planned or paid line above this is taken for a typing mistake.
SPEND_MAX_LINE_CNY = int(os.environ.get("SPEND_MAX_LINE_CNY", 1_000_000))

# The company itself, printed on documents for visitors (itinerary, invitations).
VISITFLOW_COMPANY_NAME = os.environ.get("COMPANY_NAME", "")
VISITFLOW_COMPANY_ADDRESS = os.environ.get("COMPANY_ADDRESS", "")

# Trade shows (SOP 5.3): when the invitation's confirmation call falls due after the
# invitation; how often a personal link or typed check-in codes may be tried (attempts,
# seconds) before the answer is 429; after how many minutes an unattended visitor at the
# booth is highlighted and the booth staff told; within how many hours a lead is called.
TRADESHOW_INVITATION_CALL_AFTER_DAYS = int(
    os.environ.get("TRADESHOW_INVITATION_CALL_AFTER_DAYS", "3")
)
TRADESHOW_RSVP_RATE_LIMIT = (int(os.environ.get("TRADESHOW_RSVP_RATE_LIMIT", "30")), 600)
TRADESHOW_CHECKIN_RATE_LIMIT = (int(os.environ.get("TRADESHOW_CHECKIN_RATE_LIMIT", "10")), 600)
TRADESHOW_UNATTENDED_MINUTES = int(os.environ.get("TRADESHOW_UNATTENDED_MINUTES", "3"))
TRADESHOW_LEAD_CALL_HOURS = int(os.environ.get("TRADESHOW_LEAD_CALL_HOURS", "48"))

# Visitor self-service links (visitflow.portal, issue 9): how many days after the visit
# ends a link keeps working; how often a link may be opened or posted to (attempts,
# seconds) from one address before the answer is 429.
PORTAL_LINK_DAYS_AFTER_VISIT = int(os.environ.get("PORTAL_LINK_DAYS_AFTER_VISIT", "3"))
PORTAL_RATE_LIMIT = (int(os.environ.get("PORTAL_RATE_LIMIT", "60")), 600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work: Django's Tasks API. Database queue by default; RQ when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS: dict[str, dict[str, object]]
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications (see README "Settings"): the inbox badge's refresh, the delivery engine's
# lease and retry schedule, and the site address that links in e-mails and bots point to.
NOTIFICATION_POLL_SECONDS = int(os.environ.get("NOTIFICATION_POLL_SECONDS", "30"))
NOTIFICATION_DELIVERY_LEASE_SECONDS = int(
    os.environ.get("NOTIFICATION_DELIVERY_LEASE_SECONDS", "120")
)
NOTIFICATION_RETRY_BACKOFF_SECONDS = [
    int(s) for s in env_list("NOTIFICATION_RETRY_BACKOFF_SECONDS", "60,300,1800,7200")
]
NOTIFICATION_REQUEUE_SECONDS = int(os.environ.get("NOTIFICATION_REQUEUE_SECONDS", "600"))
NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS = float(
    os.environ.get("NOTIFICATION_WEBHOOK_TIMEOUT_SECONDS", "10")
)
NOTIFICATION_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Bots are only ever posted to these hosts ("*": any), so a webhook address cannot be
# pointed at a server inside the company's network (the test button shows the answer).
NOTIFICATION_WEBHOOK_HOSTS = env_list(
    "NOTIFICATION_WEBHOOK_HOSTS",
    "qyapi.weixin.qq.com,oapi.dingtalk.com,open.feishu.cn,open.larksuite.com"
    # Tests post to a stand-in bot on this machine.
    + (",127.0.0.1" if TESTING else ""),
)

# Reminders (visitflow.reminders): how long before a due time each kind is sent, when an
# overdue step goes to the host's manager, the digest hour, and how the scheduler runs.
REMINDER_LEAD_MINUTES = {
    "step_due": int(os.environ.get("REMINDER_STEP_LEAD_MINUTES", "60")),
    "escort_departure": int(os.environ.get("REMINDER_ESCORT_LEAD_MINUTES", "30")),
    "leader_meeting": int(os.environ.get("REMINDER_MEETING_LEAD_MINUTES", "60")),
}
REMINDER_ESCALATE_AFTER_HOURS = float(os.environ.get("REMINDER_ESCALATE_AFTER_HOURS", "24"))
REMINDER_DIGEST_HOUR = int(os.environ.get("REMINDER_DIGEST_HOUR", "8"))
REMINDER_DAY_START_HOUR = int(os.environ.get("REMINDER_DAY_START_HOUR", "9"))
REMINDER_HORIZON_HOURS = int(os.environ.get("REMINDER_HORIZON_HOURS", "48"))
REMINDER_CATCH_UP_HOURS = int(os.environ.get("REMINDER_CATCH_UP_HOURS", "12"))
REMINDER_TICK_SECONDS = float(os.environ.get("REMINDER_TICK_SECONDS", "15"))
REMINDER_QUEUE_LEASE_SECONDS = int(os.environ.get("REMINDER_QUEUE_LEASE_SECONDS", "300"))
REMINDER_BATCH_SIZE = int(os.environ.get("REMINDER_BATCH_SIZE", "100"))
# Reminders handed to the workers and not yet done, at most: when many fall due at once,
# the rest wait in the table, not in the queue (so none outwaits its lease there).
REMINDER_MAX_IN_FLIGHT = int(os.environ.get("REMINDER_MAX_IN_FLIGHT", "3000"))
# A database-queue task still "running" this long after it started lost its worker.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "900"))
# "cn": skip Chinese public holidays and count make-up working days (调休) for the due
# dates of return calls and follow-ups; "weekends": skip Saturdays and Sundays only;
# "all": every day is a working day.
WORKING_DAYS_CALENDAR = os.environ.get("WORKING_DAYS_CALENDAR", "cn")
PICKUP_BUFFER_MINUTES = int(os.environ.get("PICKUP_BUFFER_MINUTES", "30"))
CARD_IMAGE_MAX_BYTES = int(os.environ.get("CARD_IMAGE_MAX_BYTES", str(8 * 1024 * 1024)))

# E-mail: console in debug, SMTP otherwise (EMAIL_HOST etc.).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "VisitFlow <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: secure cookies and HSTS whenever DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token is set on <body>.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed log-ins are warnings and stay visible; successful ones are not news.
        "axes": {"level": "WARNING"},
    },
}
