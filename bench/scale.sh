#!/usr/bin/env bash
# The scale benchmark on both databases (make bench): builds the large council of bench/generate.py
# afresh into an SQLite file and into the PostgreSQL database kent_plans_bench, then times the main
# pages on each (bench/scale.py). About 10 minutes on a 2-core machine; prints figures, asserts nothing.
#   bench/scale.sh [timed requests per page, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${1:-30}"
SQLITE_FILE="${BENCH_SQLITE:-/tmp/kent-plans-bench.sqlite3}"
PG_URL="${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/kent_plans_bench}"
export LOG_LEVEL=WARNING

echo "== SQLite: $SQLITE_FILE"
rm -f "$SQLITE_FILE"
DATABASE_URL="sqlite:///$SQLITE_FILE" .venv/bin/python bench/generate.py
DATABASE_URL="sqlite:///$SQLITE_FILE" .venv/bin/python bench/scale.py --repeat "$REPEAT"

echo "== PostgreSQL: ${PG_URL%%\?*}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
db_name="${PG_URL##*/}"
dropdb -h 127.0.0.1 -U postgres --if-exists "$db_name"
createdb -h 127.0.0.1 -U postgres "$db_name"
DATABASE_URL="$PG_URL" .venv/bin/python bench/generate.py
DATABASE_URL="$PG_URL" .venv/bin/python bench/scale.py --repeat "$REPEAT"
