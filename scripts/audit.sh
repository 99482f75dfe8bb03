#!/usr/bin/env bash
# Known vulnerabilities in the pinned Python packages (requirements/lock.txt), with pip-audit.
#   scripts/audit.sh            (make audit; part of make test)
# Fails (exit 1) when a pinned package has a known vulnerability. When no vulnerability service
# can be reached, it audits the pins that are their project's latest release by PyPI's project
# pages (scripts/pypi_audit.py; a package mirror often serves those), listing the pins it could not
# audit. When nothing can be reached either, it says that nothing could be audited and exits 0, so
# that an offline build is not failed for want of a network; unless ADVISORY_DB names a checkout of
# github.com/pypa/advisory-database: then the pins are checked against that offline copy
# (scripts/advisory_check.py), only as new as its date, instead.
#   ADVISORY_DB=/path/to/advisory-database make audit
set -uo pipefail
if [ -n "${ADVISORY_DB:-}" ] && [ -d "$ADVISORY_DB" ]; then ADVISORY_DB=$(cd "$ADVISORY_DB" && pwd); fi
cd "$(dirname "$0")/.."
AUDIT=.venv/bin/pip-audit
[ -x "$AUDIT" ] || { echo "pip-audit is not installed: make setup-dev"; exit 1; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
for service in pypi osv; do
  "$AUDIT" -r requirements/lock.txt --no-deps --disable-pip --progress-spinner off \
    --vulnerability-service "$service" --format json --output "$report" 2>/dev/null
  status=$?
  verdict=$(.venv/bin/python - "$report" "$service" "$status" <<'EOF'
import json
import sys

path, service, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    with open(path) as handle:
        dependencies = json.load(handle)["dependencies"]
except (OSError, ValueError, KeyError):
    print("unreachable")
    sys.exit()
audited = [d for d in dependencies if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})", file=sys.stderr)
if vulnerable:
    print("vulnerable")
elif not audited:
    print("unreachable")
else:
    skipped = len(dependencies) - len(audited)
    print(f"clean: {len(audited)} packages audited with {service}" + (f", {skipped} skipped" if skipped else ""))
EOF
  )
  case "$verdict" in
    vulnerable) echo "pip-audit ($service): known vulnerabilities in requirements/lock.txt (listed above)"; exit 1 ;;
    unreachable) echo "pip-audit: the $service vulnerability service could not be reached from here" ;;
    *) echo "pip-audit: no known vulnerability ($verdict)"; exit 0 ;;
  esac
done
# A package mirror may serve PyPI's project pages (/pypi/<name>/json) but not its version pages: the
# project pages' vulnerability lists audit the pins that are the latest releases (scripts/pypi_audit.py).
.venv/bin/python scripts/pypi_audit.py --requirements requirements/lock.txt
case $? in
  0) exit 0 ;;
  1) echo "pypi_audit: known vulnerabilities in requirements/lock.txt (listed above)"; exit 1 ;;
esac
if [ -n "${ADVISORY_DB:-}" ]; then
  if [ -d "$ADVISORY_DB/vulns" ]; then
    echo "pip-audit: no vulnerability service reachable; checking against the OFFLINE PyPA advisory database in $ADVISORY_DB instead (only as new as its date, below)"
    .venv/bin/python scripts/advisory_check.py "$ADVISORY_DB" --requirements requirements/lock.txt
    case $? in
      0) exit 0 ;;
      1) echo "advisory check (offline database): known vulnerabilities in requirements/lock.txt (listed above)"; exit 1 ;;
      *) echo "advisory check (offline database): the check could not be run (above)"; exit 1 ;;
    esac
  fi
  echo "pip-audit: ADVISORY_DB=$ADVISORY_DB is not a checkout of the PyPA advisory database (no vulns/ in it)"
fi
echo "pip-audit: NOT AUDITED - no vulnerability service reachable (PyPI JSON API, OSV); run make audit where there is a network"
exit 0
