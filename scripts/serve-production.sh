#!/usr/bin/env bash
# Runs Kent Plans as a council would, on this machine: PostgreSQL, gunicorn with several workers,
# static files by WhiteNoise, and a background worker for PDFs and emails. Used by the load test.
#   PORT=8100 WORKERS=4 scripts/serve-production.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8100}"
WORKERS="${WORKERS:-4}"
export DEBUG=false
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kent_plans_production}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# A random key made once and kept in a git-ignored file (a real deployment sets SECRET_KEY).
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s .production-secret ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .production-secret
  SECRET_KEY="$(cat .production-secret)"
fi
export SECRET_KEY
# This local run has no TLS in front of it; a real deployment keeps these on (the defaults).
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-false}"
export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-false}"
export SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
# The cache every worker shares (cached pages, sessions): the machine's Redis, database 1.
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/1}"

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
if ! redis-cli -u "$CACHE_URL" ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
db_name="${DATABASE_URL##*/}"
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${db_name}'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$db_name"

.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_demo --with-demo-accounts -v0
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/python manage.py db_worker --no-reload &
worker=$!
trap 'kill $worker 2>/dev/null' EXIT INT TERM
exec_gunicorn() {
  .venv/bin/gunicorn kent_plans.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
    --access-logfile - --log-level warning --timeout 60
}
exec_gunicorn
