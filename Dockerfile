# syntax=docker/dockerfile:1
# One image for web (gunicorn), Celery worker and beat; the command picks the role:
#   web:    (default) gunicorn eoffice.wsgi
#   worker: celery -A eoffice worker -Q default,documents,imports,billing
#   beat:   celery -A eoffice beat
#   migrate (one-off, before a rollout): python manage.py migrate_schemas --executor=multiprocessing

# --- frontend: design system CSS and the presensi app, built by Vite into frontend/dist ---------
FROM node:22-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- runtime -------------------------------------------------------------------------------------
# Debian trixie: its postgresql-client (17) can pg_dump a PostgreSQL 16 server (per-tenant
# backups); bookworm's 15 refuses to.
FROM python:3.11-slim-trixie AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango (and HarfBuzz subsetting for embedded fonts); fonts for letters and
# reports; the PostgreSQL client for per-tenant pg_dump/pg_restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, exactly as pinned in pyproject.toml, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=frontend /build/frontend/dist ./frontend/dist
RUN pip install --no-deps -e .

# Gunicorn reads its workers from WEB_CONCURRENCY and the rest from GUNICORN_CMD_ARGS; its control
# socket is off (nothing uses it, and the home directory is read-only).
ENV PYTHONPATH=/app/platform \
    DJANGO_SETTINGS_MODULE=eoffice.settings.production \
    ROOT_DOMAIN=localhost \
    WEB_CONCURRENCY=2 \
    GUNICORN_CMD_ARGS="--bind=0.0.0.0:8000 --access-logfile=- --timeout=60 --graceful-timeout=30 --max-requests=5000 --max-requests-jitter=500 --no-control-socket"

# Translations and static files are baked into the image. The secret and database URL below exist
# only for this step (production settings refuse to load without them); nothing connects to it.
RUN if find locale -name '*.po' | grep -q .; then pybabel compile --use-fuzzy -d locale -D django; fi \
    && SECRET_KEY=build-time-only-not-a-secret \
       DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
       CELERY_BROKER_URL=memory:// \
       python manage.py collectstatic --noinput --verbosity 0

# Only var/ (media when not on S3, file cache and broker folders when Redis is not configured)
# is writable by the application; the code stays owned by root.
RUN groupadd --system --gid 10001 eoffice \
    && useradd --system --uid 10001 --gid eoffice --home-dir /app --shell /usr/sbin/nologin eoffice \
    && mkdir -p var/media var/cache \
    && chown eoffice:eoffice var var/media var/cache
USER eoffice

EXPOSE 8000
# /health/ answers on the root domain; the forwarded-proto header stands in for the TLS-terminating
# proxy so SECURE_SSL_REDIRECT does not answer 301. Any non-2xx (503 = degraded) fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'Host': os.environ['ROOT_DOMAIN'], 'X-Forwarded-Proto': 'https'}), timeout=4)"]

CMD ["gunicorn", "eoffice.wsgi"]
