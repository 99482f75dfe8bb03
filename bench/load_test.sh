#!/usr/bin/env bash
# Load test: concurrent committee members reading plan pages against the production-like server
# (scripts/serve-production.sh) on loopback. Bounded in time; prints throughput, latency, errors.
#   bench/load_test.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-50}"
SECONDS_EACH="${2:-20}"
PORT="${PORT:-8100}"
BASE="http://127.0.0.1:${PORT}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kent_plans_production}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
curl -sf -o /dev/null "$BASE/sign-in/" || { echo "Start the server first: make serve-production"; exit 1; }

# A signed-in committee member's session, made directly in the production database.
SESSION=$(DEBUG=false SECRET_KEY="$(cat .production-secret)" ALLOWED_HOSTS=127.0.0.1 .venv/bin/python manage.py shell -c "
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username='committee.member')
s = SessionStore(); s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create(); print(s.session_key)" | tail -n 1)
PLAN=$(DEBUG=false SECRET_KEY="$(cat .production-secret)" ALLOWED_HOSTS=127.0.0.1 .venv/bin/python manage.py shell -c "
from plans.models import Plan; print(Plan.objects.get(unit__code='LDMH', version_label='Final Draft v 6').pk)" | tail -n 1)

for path in "/plans/" "/plans/${PLAN}/"; do
  echo "== ${CONNECTIONS} readers for ${SECONDS_EACH}s on ${path}"
  size=$(curl -s -o /dev/null -w "%{http_code} %{size_download}" -H "Cookie: sessionid=${SESSION}" "${BASE}${path}")
  echo "one request: HTTP status and bytes: ${size}"
  wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout 10s --latency \
    -H "Cookie: sessionid=${SESSION}" "${BASE}${path}" | grep -E "Requests/sec|Latency|50%|75%|90%|99%|requests in|Non-2xx|Socket errors"
done
