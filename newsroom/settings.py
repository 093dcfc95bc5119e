"""Settings for newsroom.

Everything that differs between a developer's machine and production comes from environment
variables; the defaults are safe for development (SQLite, console e-mail, DEBUG on).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A boolean from the environment: true/yes/on/1 or false/no/off/0 (any case); unset or
    empty gives `default`. Anything else raises ImproperlyConfigured, so that a typo such as
    `ture` does not quietly read as false."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true or false.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
# Earlier keys, separated by spaces, after a rotation: sessions, signed links and the consent
# history's hashes made with them stay valid (distribution.models.address_hashes).
SECRET_KEY_FALLBACKS = os.environ.get("SECRET_KEY_FALLBACKS", "").split()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "ckeditor",
    "csp",
    # Third-party apps under German names in the admin (newsroom/apps.py).
    "newsroom.apps.AxesConfig",
    "newsroom.apps.OTPConfig",
    "newsroom.apps.OTPTOTPConfig",
    # backup codes for a lost phone (accounts.backup_codes)
    "newsroom.apps.OTPStaticConfig",
    "newsroom.apps.SimpleHistoryConfig",
    "newsroom.apps.TasksConfig",
    "newsroom.apps.DatabaseTasksConfig",
    # The editorial core first; the rooms around it depend on it, never the other way.
    "press",
    "public",
    "releases",
    "accounts",
    "mailing",
    "notifications",
    "distribution",
    "desk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, withholding CKEditor's sample and test pages (newsroom/static_files.py).
    "newsroom.middleware.StaticFilesMiddleware",
    # Before sessions and locale: a cached public page is answered without either.
    "public.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# What an anonymous request for a public page passes through after the page cache: those of
# MIDDLEWARE that such a page needs (public.page_cache.public_page_chain). Staff requests and
# every other path take MIDDLEWARE in full.
PUBLIC_PAGE_MIDDLEWARE = [
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite is the embedded default; production sets DATABASE_URL=postgres://user:pass@host/db.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that costs no round trip when the connection is
    # fine (newsroom/database/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "newsroom.database.postgresql"
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The apps' static folders without CKEditor's sample and test pages (newsroom/static_files.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "newsroom.static_files.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Photos' files (originals with their GPS positions, and renditions) outside MEDIA_ROOT, where
# no URL reaches them; readers get renditions through public.photos, only of public articles.
PHOTO_ROOT = Path(os.environ.get("PHOTO_ROOT", BASE_DIR / "var" / "photos"))
# Photos offered for download with a shorter long side (px) get a warning in the admin.
PHOTO_DOWNLOAD_MIN_SIDE = int(os.environ.get("PHOTO_DOWNLOAD_MIN_SIDE", "1500"))
# How long browsers and proxies may keep a public photo (s): a withdrawn article's photos
# disappear from caches within this time.
PHOTO_CACHE_SECONDS = int(os.environ.get("PHOTO_CACHE_SECONDS", "3600"))
# With nginx: the prefix of an `internal` location on PHOTO_ROOT, e.g. "/_fotos/"; the app checks
# and nginx sends the rendition (X-Accel-Redirect). Empty: the app streams it itself.
PHOTO_ACCEL_REDIRECT = os.environ.get("PHOTO_ACCEL_REDIRECT", "")
# Static files are served by WhiteNoise, compressed and with hashed names (far-future caching)
# once collected for production; development serves them as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "photos": {"BACKEND": "press.photos.PhotoStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media on S3-compatible object storage (several app servers, no shared disk): MEDIA_STORAGE=s3
# with the bucket and credentials below; MEDIA_URL then names the bucket's public address.
if os.environ.get("MEDIA_STORAGE", "filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "querystring_auth": False,  # public press photos: stable, cacheable URLs
            "file_overwrite": False,
        },
    }
    # Photo originals keep GPS positions: a bucket of their own that is not public.
    if not os.environ.get("S3_PHOTO_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_PHOTO_BUCKET, a private bucket.")
    STORAGES["photos"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": STORAGES["default"]["OPTIONS"]
        | {"bucket_name": os.environ["S3_PHOTO_BUCKET"], "default_acl": "private",
           "custom_domain": None, "querystring_auth": True},
    }  # fmt: skip
elif os.environ.get("MEDIA_STORAGE", "filesystem") != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Files served at the site's root: /favicon.ico, for clients that ask there without reading
# the pages' <link rel="icon"> (static/favicon.svg).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Cache: a directory shared by the worker processes of one machine by default; one shared
# Redis for several app servers (CACHE_URL=redis://host:6379/1, REDIS_URL is read as well).
# The public page cache needs a cache that all workers share (see public/caching.py).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be redis://…, rediss://…, unix://… or dummy://")
else:
    # diskcache: SQLite files in CACHE_DIR, shared by the workers of one machine, with an
    # atomic incr() and cheap eviction of the least recently stored entries once CACHE_SIZE_MB
    # is reached (measured, README "The page cache"). Django's FileBasedCache lists the whole
    # directory on each write near its limit and culls at random.
    CACHES = {
        "default": {
            "BACKEND": "public.caching.DiskCache",
            "LOCATION": Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache")),
            "SHARDS": 4,
            # A write that waits longer for a busy shard is given up (a page not kept).
            "DATABASE_TIMEOUT": 0.1,
            "OPTIONS": {"size_limit": int(os.environ.get("CACHE_SIZE_MB", "512")) * 2**20},
        }
    }

# Public pages are cached for anonymous visitors for this long, and retired at once when
# anything public changes (public/caching.py). 0 switches the page cache off; off by default
# with DEBUG, so that template changes show at once in development.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "0" if DEBUG else "600"))
# A page that is not in the cache is rendered by one request; others asking for it meanwhile
# (in any worker) wait for it this long at most, then render it themselves. Well below
# gunicorn's 30 s timeout.
PUBLIC_CACHE_RENDER_WAIT_SECONDS = float(os.environ.get("PUBLIC_CACHE_RENDER_WAIT_SECONDS", "5"))
# A file to which each render of a public page by the page cache (a miss that calls the view)
# appends one line "<pid>\t<time.time()>\t<path with query>\n" (scripts/bench_burst.py counts
# them); empty: no log.
PUBLIC_CACHE_RENDER_LOG = os.environ.get("PUBLIC_CACHE_RENDER_LOG", "")

# E-mail: console in development; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "presse@koba-jobcenter-harz.de")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks (Django's tasks API, backported by django-tasks): mail leaves through a queue
# kept in the database (django-tasks-db, on SQLite and PostgreSQL alike) and worked by
# `manage.py db_worker`, never inside a web request. TASKS_BACKEND names another backend class,
# e.g. django_tasks.backends.immediate.ImmediateBackend (runs each task at once, in the request;
# no retries later).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Seconds an SMTP connection may hang before the attempt counts as failed and is retried
# (mailing/tasks.py); without it a silent server would hold the worker for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Password reset (accounts/passwords.py): at most this many requests per e-mail address and per
# client address within PASSWORD_RESET_WINDOW_SECONDS; more are answered 429.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "10"))
PASSWORD_RESET_WINDOW_SECONDS = int(os.environ.get("PASSWORD_RESET_WINDOW_SECONDS", "3600"))

# Distribution list subscription (distribution/subscription.py, distribution/retention.py): a
# confirmation link is valid DISTRIBUTION_CONFIRMATION_HOURS, after which the unconfirmed
# request is deleted; an address that left the list is erased DISTRIBUTION_RETENTION_DAYS later
# (only the hashed consent history stays). The form takes at most DISTRIBUTION_SUBSCRIBE_LIMIT_
# PER_ADDRESS requests per e-mail address and _PER_CLIENT per client address within
# DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS; more are answered 429.
DISTRIBUTION_CONFIRMATION_HOURS = int(os.environ.get("DISTRIBUTION_CONFIRMATION_HOURS", "48"))
DISTRIBUTION_RETENTION_DAYS = int(os.environ.get("DISTRIBUTION_RETENTION_DAYS", "30"))
DISTRIBUTION_SUBSCRIBE_LIMIT_PER_ADDRESS = int(
    os.environ.get("DISTRIBUTION_SUBSCRIBE_LIMIT_PER_ADDRESS", "5")
)
DISTRIBUTION_SUBSCRIBE_LIMIT_PER_CLIENT = int(
    os.environ.get("DISTRIBUTION_SUBSCRIBE_LIMIT_PER_CLIENT", "5")
)
DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS = int(
    os.environ.get("DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS", "3600")
)

# Distribution list sending (distribution/sending.py): at most DISTRIBUTION_RATE_PER_MINUTE
# mails a minute over all batches (what is over waits for the next minute); an address is
# deactivated after DISTRIBUTION_HARD_BOUNCE_LIMIT permanent (SMTP 5xx) refusals. A worker's
# claim on a mail older than DISTRIBUTION_LEASE_SECONDS is a dead worker's, and the mail is
# claimed again; it must be longer than EMAIL_TIMEOUT, or a slow server could get it twice.
DISTRIBUTION_RATE_PER_MINUTE = int(os.environ.get("DISTRIBUTION_RATE_PER_MINUTE", "60"))
DISTRIBUTION_HARD_BOUNCE_LIMIT = int(os.environ.get("DISTRIBUTION_HARD_BOUNCE_LIMIT", "3"))
DISTRIBUTION_LEASE_SECONDS = int(os.environ.get("DISTRIBUTION_LEASE_SECONDS", "600"))
if DISTRIBUTION_LEASE_SECONDS <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured("DISTRIBUTION_LEASE_SECONDS must be longer than EMAIL_TIMEOUT.")

# Base URL used in e-mails, feeds and canonical links when no request is at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Pressestelle KoBa Harz")

# Four-eyes rule: the person who last edited an article may not publish it.
NEWSROOM_FOUR_EYES = env_bool("NEWSROOM_FOUR_EYES", True)

# Budgets of one imported release file (releases/importing.py), in the admin upload and in
# `import_releases`: a release is a few KB (the sample 4 KB), so 256 KB is far above any real
# one and parses in about half a second; the time covers reading and storing the file and stays
# below gunicorn's 30 s worker timeout (in the admin it is the budget of the whole upload).
RELEASE_IMPORT_MAX_BYTES = int(os.environ.get("RELEASE_IMPORT_MAX_BYTES", str(256 * 1024)))
RELEASE_IMPORT_MAX_SECONDS = float(os.environ.get("RELEASE_IMPORT_MAX_SECONDS", "10"))
# A Word file (releases/word.py) brings its pictures: its own size budget.
RELEASE_IMPORT_MAX_WORD_BYTES = int(
    os.environ.get("RELEASE_IMPORT_MAX_WORD_BYTES", str(20 * 1024 * 1024))
)
# Uploads waiting in the admin's import preview (releases/preview.py) are discarded after this.
RELEASE_IMPORT_PREVIEW_HOURS = int(os.environ.get("RELEASE_IMPORT_PREVIEW_HOURS", "24"))
# The PDF export refuses an article with more text (lead, body HTML, quotes; UTF-8 bytes):
# WeasyPrint took about 4 s for 100 KB (31 pages) here, and a 2 MB body ran past the worker
# timeout. A release is a few KB.
RELEASE_PDF_MAX_BYTES = int(os.environ.get("RELEASE_PDF_MAX_BYTES", str(100 * 1024)))

# The rich-text editor offers exactly what the server-side sanitiser keeps (press/sanitize.py).
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Newsroom",
        "toolbar_Newsroom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Undo", "Redo", "RemoveFormat"],
        ],
        "format_tags": "p;h2;h3;h4",
        # A video from the own host (the Gebärdensprache page) survives editing; the server's
        # sanitiser (press/sanitize.py) drops addresses on other hosts.
        "extraAllowedContent": (
            "video[controls,poster,width,height,preload]; source[src,type];"
            " track[src,kind,srclang,label,default]"
        ),
        # A plugin that needs a removed one goes too (tableselection needs tabletools, which
        # needs table), or CKEditor reports "editor-plugin-required" on every form; exportpdf
        # would send the text to CKSource's cloud service.
        "removePlugins": (
            "image,flash,iframe,forms,table,tabletools,tableselection,smiley,specialchar,"
            "elementspath,exportpdf"
        ),
        # The upload tab draws a frame from a javascript: URL with an inline script, which the
        # admin's policy refuses; nothing is uploaded through the editor anyway.
        "removeDialogTabs": "link:advanced;link:target;link:upload",
        "linkShowAdvancedTab": False,
        "linkShowTargetTab": False,
        "allowedContent": "p br h2 h3 h4 strong em ul ol li blockquote; a[!href]",
        "disallowedContent": "*{*}; *(*); *[on*]",
        "fullPage": False,
        "entities": False,
        "versionCheck": False,
        "height": 400,
        "width": "100%",
        "language": "de",
    }
}
# CKEditor 4 is end-of-life (ckeditor.W001). We accept it because the client fixed the editor and
# every body is sanitised on the server with nh3 before it is stored.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

# --- Security -----------------------------------------------------------------------------------
# A session ends after SESSION_COOKIE_AGE seconds without a request
# (accounts.sessions.IdleSessionMiddleware renews it while it is used).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form refused by the CSRF check: in the admin a page of the admin (newsroom/errors.py).
CSRF_FAILURE_VIEW = "newsroom.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production runs behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# /healthz answers the load balancer over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Log-in lockout (django-axes): after AXES_FAILURE_LIMIT failed attempts for one user name from
# one address, that pair is locked for AXES_COOLOFF_MINUTES. Behind a proxy, the client address
# is the entry of X-Forwarded-For that the outermost of TRUSTED_PROXY_COUNT proxies appended
# (newsroom.clients.client_ip), never one the client wrote itself.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_ip"

# Second factor (django-otp, TOTP): required for the roles marked so in the admin
# ("Anmelderegeln" → "Zwei-Faktor-Anmeldung erforderlich"), optional for everyone else.
OTP_TOTP_ISSUER = SITE_NAME

# Content-Security-Policy (django-csp): strict for public pages; the admin allows inline styles,
# and inline event handlers only where CKEditor 4 is shown, never an inline <script>
# (newsroom.middleware.ContentSecurityPolicyMiddleware). Media may live on its own host.
MEDIA_ORIGIN = "/".join(MEDIA_URL.split("/")[:3]) if "://" in MEDIA_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens of mailed links never reach a log (newsroom/logs.py).
    "filters": {"redact_tokens": {"()": "newsroom.logs.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every message a second time via root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # django-axes logs every log-in at INFO; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
