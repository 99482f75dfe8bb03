#!/usr/bin/env bash
# Load test: concurrent committee members reading the dashboards and plan pages against the
# production-like server (make serve-production: gunicorn, PostgreSQL) on loopback. Bounded in time;
# prints, per page, throughput, median, p95 and p99 latency and errors (non-2xx, socket errors, timeouts).
#   bench/load_test.sh [connections, default 50] [seconds per page, default 20]
#   CHANGE_EVERY=1 bench/load_test.sh ...   the same while council data "changes" every second: the
#       content generation is dropped from the shared cache, so every cached page is rebuilt once
#       after each change (common/cache.py), as while officers are editing.
# Target (issue 10): p95 at most 1 s and no errors. Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-50}"
SECONDS_EACH="${2:-20}"
PORT="${PORT:-8100}"
BASE="http://127.0.0.1:${PORT}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kent_plans_production}"
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/1}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
curl -sf -o /dev/null "$BASE/sign-in/" || { echo "Start the server first: make serve-production"; exit 1; }

# A signed-in committee member's session, made directly in the production database, and the pages.
read -r SESSION ROUND UNIT PLAN < <(DEBUG=false SECRET_KEY="$(cat .production-secret)" ALLOWED_HOSTS=127.0.0.1 \
  LOG_LEVEL=ERROR .venv/bin/python manage.py shell -v0 -c "
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from importlib import import_module
from django.conf import settings
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
from monitoring.models import Round
from plans.models import Plan
user = get_user_model().objects.get(username='committee.member')
s = SessionStore(); s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = 'accounts.backends.StaffModelBackend'
s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create()
round_ = Round.objects.get(directorate__code='FSC', status='open')
plan = Plan.objects.get(unit__code='LDMH', year_id=2013, status='published')
print(s.session_key, round_.pk, plan.unit_id, plan.pk)" | tail -n 1)

if [ -n "${CHANGE_EVERY:-}" ]; then
  # Django's key for common.cache.GENERATION_KEY (version 1, no prefix): dropped, a new one is made.
  ( while sleep "$CHANGE_EVERY"; do redis-cli -u "$CACHE_URL" DEL ":1:kent-plans:content-generation" >/dev/null; done ) &
  changer=$!
  trap 'kill $changer 2>/dev/null' EXIT
  echo "(a change every ${CHANGE_EVERY}s)"
fi

# The plan's front page and its priorities (section C, the largest of its section pages).
for path in "/dashboards/rounds/${ROUND}/" "/dashboards/rounds/${ROUND}/divisions/${UNIT}/" "/plans/" "/plans/${PLAN}/" \
  "/plans/${PLAN}/sections/C/"; do
  echo "== ${CONNECTIONS} readers for ${SECONDS_EACH}s on ${path}"
  size=$(curl -s -o /dev/null -w "%{http_code} %{size_download}" -H "Cookie: sessionid=${SESSION}" "${BASE}${path}")
  echo "one request: HTTP status and bytes: ${size}"
  wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout 10s -s bench/report.lua \
    -H "Cookie: sessionid=${SESSION}" "${BASE}${path}" | grep -E "^RESULT"
done
