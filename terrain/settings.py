"""Terrain settings, read from environment variables.

Local defaults work with no other service: SQLite in WAL mode, the database as
the task queue, e-mails printed on the console. ``DATABASE_URL`` and
``REDIS_URL`` are the path to confederation scale.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from terrain.lib.env import env_bool, env_int, env_list, env_str, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TERRAIN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "django-insecure-terrain-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "")
# The test suite runs with DEBUG off, as production does, on a throw-away key.
TESTING = "pytest" in sys.modules
if TESTING and not SECRET_KEY:
    SECRET_KEY = secrets.token_urlsafe(50)
# Under DEBUG, this instance's own key, made on the first `make run` (var/secret_key).
if DEBUG and not SECRET_KEY:
    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 40 characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Domains of their own that structures' public sites answer on (the web server in front sends
# them here with their certificates); each one shows the site whose "own domain" it is.
PUBLIC_SITE_DOMAINS = [domain.lower() for domain in env_list("PUBLIC_SITE_DOMAINS")]
ALLOWED_HOSTS += PUBLIC_SITE_DOMAINS
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Terrain")
# Whose instance this is (a union, a federation), said to visitors beside the sign-in form.
SITE_ORGANISATION = env_str("SITE_ORGANISATION", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "terrain.core",
    "terrain.accounts",
    "terrain.structures",
    "terrain.cooperatives",
    "terrain.news",
    "terrain.feed",
    "terrain.atelier",
    "terrain.relays",
    "terrain.insights",
    "terrain.newsletter",
    "terrain.search",
    "terrain.coach",
    "terrain.faq",
    "terrain.modeles",
    "terrain.forum",
    "terrain.library",
    "terrain.tracts",
    "terrain.public",
    "terrain.adhesions",
    "terrain.mobilisation",
    "terrain.consultations",
    "terrain.places",
    "terrain.elections",
    "terrain.petitions",
    "terrain.inbox",
    "terrain.demo",  # last: demo data and the sandbox import every app above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "terrain.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "terrain.public.middleware.SiteDomainMiddleware",  # a structure's site on a domain of its own
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "terrain.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "terrain.core.middleware.FriendlyErrorPagesMiddleware",  # DEBUG only: our 404 page, not Django's
]

ROOT_URLCONF = "terrain.urls"
WSGI_APPLICATION = "terrain.wsgi.application"

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
                "terrain.core.context_processors.terrain",
                "terrain.atelier.context_processors.atelier",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        # Statements travel with their parameters apart (server-side binding), so psycopg
        # prepares one that a connection runs DB_PREPARE_THRESHOLD times: PostgreSQL then
        # skips parsing and planning it (about a millisecond of server CPU per feed page).
        # 0 turns it off: PgBouncer in transaction mode before 1.21 cannot keep prepared statements.
        _prepare = env_int("DB_PREPARE_THRESHOLD", 2)
        if _prepare > 0:
            _options.update(server_side_binding=True, prepare_threshold=_prepare)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "terrain.sqlite3")),
            # Opening a file and running the PRAGMAs below on every request costs more than a
            # small page: each process keeps its connection, as with PostgreSQL.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # busy_timeout instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
    if env_str("SQLITE_TEST_PATH"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_PATH")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and tasks ------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# "cards": the feed's post cards, rendered once for every reader (terrain.news.cards). Without
# Redis they are files under var/cache/cards, shared by the server's processes (a card rendered
# by one is read by all), up to CARD_CACHE_ENTRIES files of about 1.5 kB (compressed).
CARD_CACHE = "cards"
CARD_CACHE_SECONDS = env_int("CARD_CACHE_SECONDS", 24 * 3600)
# Cards each server process also keeps in memory, in front of that cache (0: none): about
# 6.6 kB each (measured), so at most 33 MB per process; an instance that shows fewer
# different cards within a day never fills it.
CARD_MEMORY_ENTRIES = env_int("CARD_MEMORY_ENTRIES", 5000)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "cards": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "terrain"},
        "cards": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache" / "cards",
            "OPTIONS": {"MAX_ENTRIES": env_int("CARD_CACHE_ENTRIES", 20_000)},
        },
    }

TASK_BACKEND = env_str("TASK_BACKEND", "redis" if REDIS_URL else "database")
if TASK_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND=redis needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"Unknown TASK_BACKEND {TASK_BACKEND!r}: use database, redis or immediate.")
# Finished tasks (their arguments, their tracebacks) are deleted after this many hours.
TASK_RESULTS_RETENTION_HOURS = env_int("TASK_RESULTS_RETENTION_HOURS", 24)

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "terrain.accounts.backends.MemberBackend",  # ModelBackend, the member of each request read faster
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "feed:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# At most one reset e-mail per address in this many seconds, whoever asks and from wherever.
PASSWORD_RESET_INTERVAL_SECONDS = env_int("PASSWORD_RESET_INTERVAL_SECONDS", 15 * 60)
INVITATION_VALID_DAYS = 7

# Login throttling (django-axes): five failures for one e-mail from one IP address
# lock that pair for fifteen minutes; twenty for one e-mail from anywhere (password
# spraying spread over many IPs) lock the e-mail, for fifteen minutes too.
# terrain.accounts.throttle gives each lockout parameter its own limit.
AXES_HANDLER = "terrain.accounts.throttle.PerParameterLimitHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_FAILURE_LIMITS = {
    ("username", "ip_address"): AXES_FAILURE_LIMIT,
    "username": env_int("AXES_ADDRESS_FAILURE_LIMIT", 20),
}
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# --- E-mail -------------------------------------------------------------------
# Every message goes through the task worker; the worker hands it to the
# delivery backend (console locally, SMTP when EMAIL_HOST is set).
EMAIL_BACKEND = "terrain.core.mail.QueuedEmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
EMAIL_DELIVERY_BACKEND = env_str(
    "EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Terrain <ne-pas-repondre@terrain.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are never served directly: every image is streamed by a view
# that checks who is asking (a photo of a private cooperative is private).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGES_PER_POST = 10
# The largest file the library accepts, in megabytes (one upload, one version).
LIBRARY_MAX_UPLOAD_MB = env_int("LIBRARY_MAX_UPLOAD_MB", 50)
# Reading a file (its text, its preview) runs in a child process bounded in time and memory.
LIBRARY_PROCESS_SECONDS = env_int("LIBRARY_PROCESS_SECONDS", 30)
LIBRARY_PROCESS_MEMORY_MB = env_int("LIBRARY_PROCESS_MEMORY_MB", 1024)

# --- Security -----------------------------------------------------------------
# Sessions read through the cache (Redis at scale, per process locally), written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# An instance served over HTTPS (SITE_URL) sends plain HTTP requests to HTTPS and tells browsers to
# come back over HTTPS only (HSTS, a year). Behind a proxy that ends TLS, BEHIND_HTTPS_PROXY=1 is
# needed, or every request looks plain and is redirected again. Preloading (SECURE_HSTS_PRELOAD) is
# the domain owner's decision: a listed domain cannot easily leave browsers' list.
_SERVED_OVER_HTTPS = SITE_URL.startswith("https://") and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _SERVED_OVER_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # the health check of a proxy or load balancer, often plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _SERVED_OVER_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (terrain.core.middleware.ContentSecurityPolicyMiddleware): scripts and
# styles only from this site's files, no inline script, no eval. Pictures from this site, plus
# BRAND_LOGO_URL's site and CSP_IMG_SOURCES (comma-separated sources).
CSP_IMG_SOURCES = env_list("CSP_IMG_SOURCES")

# --- Terrain ------------------------------------------------------------------
# Ten cards fill several phone screens; the next ten load as the reader scrolls.
FEED_PAGE_SIZE = env_int("FEED_PAGE_SIZE", 10)
# How often an open feed or badge asks for news, in seconds.
FEED_POLL_SECONDS = env_int("FEED_POLL_SECONDS", 15)
# Serves /bench/floor/, the bare view the feed benchmark compares with (bench/README.md).
BENCH_FLOOR = env_bool("TERRAIN_BENCH_FLOOR", False)
BRAND_COLOR = env_str("BRAND_COLOR", "#b3122e")
BRAND_LOGO_URL = env_str("BRAND_LOGO_URL", "")

# --- Public sites -------------------------------------------------------------
# How long a browser or a proxy may keep a public page of a site before asking again (seconds).
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 300)
# How long the instance keeps a rendered public page in its cache (0: render each time).
PUBLIC_PAGE_SERVER_SECONDS = env_int("PUBLIC_PAGE_SERVER_SECONDS", 30)
# Maps of places (locator, agenda): a tile server's address, e.g.
# https://tile.openstreetmap.org/{z}/{x}/{y}.png (respect its usage policy, or run your own).
# Empty (the default): no map, the lists of places work alone and nothing leaves the instance.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_ATTRIBUTION = env_str("MAP_ATTRIBUTION", "© OpenStreetMap")
# Sites allowed to show the embeddable pages (locator, petition counter) in a frame: "*" for any.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS") or ["*"]

# --- Join requests (adhésions) ---------------------------------------------------
# Whether the officials of the structures above the one a request is routed to see it too.
ADHESION_VISIBLE_TO_PARENTS = env_bool("ADHESION_VISIBLE_TO_PARENTS", False)
# How long a join request keeps the visitor's details before they are erased (days).
ADHESION_RETENTION_DAYS = env_int("ADHESION_RETENTION_DAYS", 365)
# A request waiting this many days in the same status, untouched, reminds its assignee.
ADHESION_REMINDER_DAYS = env_int("ADHESION_REMINDER_DAYS", 3)
# --- Petitions ----------------------------------------------------------------
# Signatures a client (one address) may send in PETITION_SIGN_WINDOW seconds, all petitions together.
PETITION_SIGN_LIMIT = env_int("PETITION_SIGN_LIMIT", 20)
PETITION_SIGN_WINDOW = env_int("PETITION_SIGN_WINDOW", 600)
# Confirmed signatures are erased this many days after their petition closes (stated to signers).
PETITION_RETENTION_DAYS = env_int("PETITION_RETENTION_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Communication workshop and network connectors --------------------------------
# Secrets of connected accounts are encrypted with a key derived from SECRET_KEY
# (and SECRET_KEY_FALLBACKS when it is rotated) and this salt.
SALT_KEY = env_str("FIELD_ENCRYPTION_SALT", "terrain-connected-accounts")
NETWORK_TIMEOUT_SECONDS = env_int("NETWORK_TIMEOUT_SECONDS", 10)
# Addresses fetched on a member's word (a Mastodon instance) must be public
# (terrain/lib/outbound.py); these "host" or "host:port" are the exceptions. Only the
# loopback, and only in tests and under DEBUG: the networks' local fakes run there.
OUTBOUND_ALLOWED_HOSTS = env_list(
    "OUTBOUND_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else []
)
# API roots by network kind, to point connectors at local peers (tests, benchmark,
# demo): NETWORK_API_BASES="bluesky=http://127.0.0.1:9001,x=http://127.0.0.1:9002".
NETWORK_API_BASES = dict(item.split("=", 1) for item in env_list("NETWORK_API_BASES") if "=" in item)
# The demo's local sandbox of the networks (``make run`` starts it): its first port,
# each network on the next ones (terrain/demo/sandbox.py). Loopback only, allowed under DEBUG.
SANDBOX_PORT = env_int("SANDBOX_PORT", 8701)
# Extra or replacement connectors: kind -> dotted path of a Connector class.
NETWORK_CONNECTORS: dict[str, str] = {}
# OAuth applications registered with the networks that have no dynamic registration
# (README, "Connecting networks"). Instagram goes through the Facebook login, with the
# same Meta app.
NETWORK_OAUTH_CLIENTS = {
    "facebook": {"client_id": env_str("FACEBOOK_APP_ID"), "client_secret": env_str("FACEBOOK_APP_SECRET")},
    "instagram": {"client_id": env_str("FACEBOOK_APP_ID"), "client_secret": env_str("FACEBOOK_APP_SECRET")},
    "linkedin": {"client_id": env_str("LINKEDIN_CLIENT_ID"), "client_secret": env_str("LINKEDIN_CLIENT_SECRET")},
    "x": {"client_id": env_str("X_CLIENT_ID"), "client_secret": env_str("X_CLIENT_SECRET")},
}
# Instagram downloads images from a public address: dotted path of a function
# `(media: terrain.networks.base.Media) -> str` returning an absolute, signed and
# expiring URL of the image on SITE_URL.
NETWORK_MEDIA_URL_PROVIDER = "terrain.atelier.media.media_public_url"
ATELIER_MEDIA_URL_SECONDS = env_int("ATELIER_MEDIA_URL_SECONDS", 6 * 3600)
# httpx logs every request URL at INFO; token exchanges carry secrets in the query.
LOGGING["loggers"]["httpx"] = {"level": "WARNING"}
# The site's X app (developer portal, OAuth 2.0, "Web App" type, callback = the connect screen's URL).
X_CLIENT_ID = env_str("X_CLIENT_ID", "")
X_CLIENT_SECRET = env_str("X_CLIENT_SECRET", "")
# Publication engine (terrain/atelier/services/engine.py): hooks called with messages=[...]
# once messages are published (on commit), and the rewriter of each post's link
# (*, publication, url) -> str, here a short tracked address on SITE_URL.
ATELIER_ON_PUBLISHED: list[str] = [
    "terrain.relays.services.relays_announce_many",
    "terrain.atelier.feed_items.messages_to_feed",
]
ATELIER_LINK_REWRITER = "terrain.insights.links.link_tracked_url"
# A worker holds a publication this long; past it, another worker checks the network and takes over.
ATELIER_PUBLISH_LEASE_SECONDS = env_int("ATELIER_PUBLISH_LEASE_SECONDS", 120)
ATELIER_PUBLISH_MAX_ATTEMPTS = env_int("ATELIER_PUBLISH_MAX_ATTEMPTS", 8)
# How often the clock looks for due publications, and how many one task runs.
ATELIER_DISPATCH_SECONDS = env_int("ATELIER_DISPATCH_SECONDS", 5)
ATELIER_DISPATCH_BATCH = env_int("ATELIER_DISPATCH_BATCH", 20)
ATELIER_DISPATCH_MAX_PASSES = env_int("ATELIER_DISPATCH_MAX_PASSES", 40)
# How often the inbox reads each account's stream (a failure or a 429 waits longer).
INBOX_POLL_SECONDS = env_int("INBOX_POLL_SECONDS", 120)
# After this many failed readings of an account's stream in a row (each waiting twice as long, so
# about an hour with the defaults), the account's managers are told in the app and by e-mail; a
# failure that retrying cannot cure (a permission the connection lacks) is told at once.
INBOX_READ_ALERT_FAILURES = env_int("INBOX_READ_ALERT_FAILURES", 5)
# An e-mail inbox is read over TLS or STARTTLS only (terrain/networks/email_inbox/connector.py);
# plain IMAP is allowed on the loopback when this is on: the demo's sandbox mailbox (`make run`)
# speaks it there. Off by default in production, like OUTBOUND_ALLOWED_HOSTS's loopback: only DEBUG
# turns it on, and even then a server elsewhere than on this machine must speak TLS.
INBOX_IMAP_PLAIN_LOOPBACK = env_bool("INBOX_IMAP_PLAIN_LOOPBACK", DEBUG)
# Crisis mode (terrain/inbox/crisis.py): critical and hostile items and mentions of the last hour
# (and of the last 6 hours) against the structure's own hourly baseline over INBOX_CRISIS_BASELINE_DAYS.
# A spike is more than median + INBOX_CRISIS_SPREADS x spread, and at least the floor (so that a few
# angry words on a quiet account are no crisis).
INBOX_CRISIS_BASELINE_DAYS = env_int("INBOX_CRISIS_BASELINE_DAYS", 28)
INBOX_CRISIS_SPREADS = env_int("INBOX_CRISIS_SPREADS", 4)
INBOX_CRISIS_FLOOR_HOUR = env_int("INBOX_CRISIS_FLOOR_HOUR", 10)
INBOX_CRISIS_FLOOR_6_HOURS = env_int("INBOX_CRISIS_FLOOR_6_HOURS", 25)
INBOX_CRISIS_CHECK_MINUTES = env_int("INBOX_CRISIS_CHECK_MINUTES", 5)
# The weekly digest of the inbox leaves on Monday from this hour (Europe/Paris).
INBOX_DIGEST_HOUR = env_int("INBOX_DIGEST_HOUR", 8)
# How often connected accounts' tokens are checked (an expired token is found before a post needs it).
ATELIER_ACCOUNT_CHECK_HOURS = env_int("ATELIER_ACCOUNT_CHECK_HOURS", 6)
# A publication handed to the task queue is not handed again before this many seconds
# (a task lost with a killed worker is handed again after it; the claim makes a double harmless).
ATELIER_QUEUE_MARK_SECONDS = env_int("ATELIER_QUEUE_MARK_SECONDS", 300)
# Publications a worker sends at once (threads): networks answer in a few hundred ms, a worker
# mostly waits. Keep 1 on SQLite (one writer at a time); 4 to 8 on PostgreSQL.
ATELIER_PUBLISH_THREADS = env_int("ATELIER_PUBLISH_THREADS", 1)
# Statistics: at most this many calls per account each time figures are gathered (every 15 minutes).
INSIGHTS_CALLS_PER_ACCOUNT = env_int("INSIGHTS_CALLS_PER_ACCOUNT", 30)
