"""The pinned packages (requirements/lock.txt) against PyPI's current vulnerability data, by the
project pages of its JSON API.

    .venv/bin/python scripts/pypi_audit.py [--requirements requirements/lock.txt]

pip-audit asks PyPI about each pinned version (/pypi/<name>/<version>/json). Where only the
project pages (/pypi/<name>/json) can be reached, as from a package mirror, scripts/audit.sh runs
this instead. A project page lists the known vulnerabilities of the project's latest release
(PyPI fills them from OSV: PYSEC and GitHub advisories). So a pin that IS the latest release is
audited against current data; a pin of an older release cannot be audited this way, and is listed
as not audited, with the latest release. Withdrawn advisories are skipped.

Exit status: 0 when no audited pin has a known vulnerability (the pins not audited are listed),
1 when one has (each listed), 2 when no project page could be read or the requirements cannot be.
"""

import argparse
import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from advisory_check import DEFAULT_REQUIREMENTS, Finding, describe, read_pins
from packaging.version import InvalidVersion, Version

PYPI_JSON = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi")


@dataclass
class Report:
    audited: list[str] = field(default_factory=list)  # "name version"
    findings: list[Finding] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)  # "name version: why"


def fetch_project(name):
    """The JSON of the project's PyPI page."""
    with urllib.request.urlopen(f"{PYPI_JSON}/{name}/json", timeout=30) as response:  # noqa: S310 (https)
        return json.load(response)


def same_version(pinned, latest):
    try:
        return Version(pinned) == Version(latest)
    except InvalidVersion:
        return pinned == latest


def audit(pins, fetch=fetch_project, workers=8):
    """pins: {normalised name: (name as written, version)} (advisory_check.read_pins)."""

    def read(pin):
        name, version = pin
        try:
            return name, version, fetch(name), None
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors; bad JSON a ValueError
            return name, version, None, error

    report = Report()
    pinned = list(pins.values())
    # One page first: where PyPI cannot be reached at all, the rest are not waited for, one time-out each.
    results = [read(pin) for pin in pinned[:1]]
    if results and results[0][3] is not None:
        results += [(name, version, None, "not tried") for name, version in pinned[1:]]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results += list(pool.map(read, pinned[1:]))
    for name, version, project, error in results:
        latest = str(((project or {}).get("info") or {}).get("version") or "")
        if project is None or not latest:
            report.not_audited.append(f"{name} {version}: its PyPI page could not be read ({error or 'no version'})")
            continue
        if not same_version(version, latest):
            report.not_audited.append(f"{name} {version}: not the latest release ({latest})")
            continue
        report.audited.append(f"{name} {version}")
        for vulnerability in project.get("vulnerabilities") or ():
            if vulnerability.get("withdrawn"):
                continue
            report.findings.append(
                Finding(
                    name,
                    version,
                    str(vulnerability.get("id")),
                    tuple(vulnerability.get("aliases") or ()),
                    tuple(vulnerability.get("fixed_in") or ()),
                )
            )
    return report


def main(argv=None, fetch=fetch_project):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requirements", type=Path, default=DEFAULT_REQUIREMENTS, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        pins = read_pins(args.requirements)
    except OSError as error:
        print(f"pypi_audit: cannot read {args.requirements}: {error}")
        return 2
    report = audit(pins, fetch)
    if not report.audited:
        print(f"pypi_audit: no PyPI project page could be read from {PYPI_JSON}")
        return 2
    for finding in report.findings:
        print(describe(finding))
    for line in report.not_audited:
        print(f"pypi_audit: NOT AUDITED {line}")
    summary = f"{len(report.audited)} of the {len(pins)} pins of {args.requirements} (the latest releases)"
    if report.findings:
        affected = len({finding.name for finding in report.findings})
        print(f"pypi_audit: known vulnerabilities (listed above) in {affected} of {summary}")
        return 1
    print(f"pypi_audit: no known vulnerability in {summary}, by PyPI's current vulnerability data")
    return 0


if __name__ == "__main__":
    sys.exit(main())
