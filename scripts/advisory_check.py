"""The pinned packages (requirements/lock.txt) against a local copy of the PyPA advisory database.

    .venv/bin/python scripts/advisory_check.py PATH [--requirements requirements/lock.txt]

PATH is a checkout of https://github.com/pypa/advisory-database (OSV records in YAML under
vulns/<package>/). scripts/audit.sh runs this when no vulnerability service can be reached and
ADVISORY_DB names such a checkout. The database is only as new as the copy: the date it prints
(the newest commit, or else the newest `modified` field of the records) says what it can know.

A pin `name==version` is affected by a record when an `affected` entry of the PyPI ecosystem
names the same package (names compared after PEP 503 normalisation) and either lists the version
in `versions` or has an ECOSYSTEM range containing it, with OSV semantics: the events sorted by
version, a version is affected when the last event at or below it is `introduced` (`fixed: X`
ends the range at X, excluded; `last_affected: X` ends it after X, included; `limit: X` bounds
the range below X; at one version, what ends a range is applied before `introduced`). Withdrawn
records are skipped. The database holds the PYSEC records only: advisories found only in the
GitHub advisory database, which pip-audit's services also report, are not in it.

Exit status: 0 when no pin is affected, 1 when one is (each listed), 2 when PATH is not such a
checkout, the requirements cannot be read or PyYAML is missing.
"""

import argparse
import datetime
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

try:
    import yaml
except ImportError:  # main() says so, with exit status 2 (not 1, which means a vulnerable pin)
    yaml = None
# Every scalar read as a string: a version written `fixed: 1.10` stays "1.10" (not the float 1.1).
Loader = getattr(yaml, "CBaseLoader", None) or getattr(yaml, "BaseLoader", None)

DEFAULT_REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements" / "lock.txt"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;#\\]+)")


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]


def describe(finding):
    """One line for a finding: the pin, the advisory and its aliases, the versions that fix it."""
    aliases = f" ({', '.join(finding.aliases)})" if finding.aliases else ""
    fixes = f"fixed in {', '.join(finding.fixed)}" if finding.fixed else "no fixed version"
    return f"{finding.name} {finding.version}: {finding.advisory}{aliases}, {fixes}"


def read_pins(path):
    """{normalised name: (name as written, version)} for each `name==version` line."""
    pins = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match.group(1))] = (match.group(1), match.group(2))
    return pins


def parse_version(text):
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def in_range(version, events):
    """Whether version (a Version) is inside an ECOSYSTEM range given by its OSV events."""
    limits = [parse_version(event["limit"]) for event in events if "limit" in event]
    if limits and not any(limit is not None and version < limit for limit in limits):
        return False
    # `introduced: "0"` is the start of everything, pre-releases of 0 (0.0.0b1) included.
    affected = any(str(event.get("introduced")) == "0" for event in events)
    ordered = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event and not (kind == "introduced" and str(event[kind]) == "0"):
                at = parse_version(event[kind])
                if at is not None:
                    ordered.append((at, kind))
    # At one version, what ends a range is applied before `introduced`: "fixed: X, introduced: X"
    # (one range ending where the next begins, as in some records) leaves X affected. This errs on
    # the side of reporting.
    ordered.sort(key=lambda item: (item[0], item[1] == "introduced"))
    for at, kind in ordered:
        if kind == "last_affected":
            if at < version:
                affected = False
        elif at > version:
            break
        else:
            affected = kind == "introduced"
    return affected


def affects(entry, version_text):
    """Whether one `affected` entry of a record covers version_text."""
    version = parse_version(version_text)
    for listed in entry.get("versions") or ():
        listed = str(listed)
        if listed == version_text or (version is not None and parse_version(listed) == version):
            return True
    if version is None:
        return False
    return any(
        in_range(version, item.get("events") or ())
        for item in entry.get("ranges") or ()
        if item.get("type") == "ECOSYSTEM"
    )


def fixed_versions(entry):
    return [
        str(event["fixed"])
        for item in entry.get("ranges") or ()
        if item.get("type") == "ECOSYSTEM"
        for event in item.get("events") or ()
        if "fixed" in event
    ]


def read_records(database):
    """The records of database/vulns, withdrawn ones apart: (records, number withdrawn, unreadable)."""
    records, withdrawn, unreadable = [], 0, []
    for path in sorted((Path(database) / "vulns").rglob("*.yaml")):
        try:
            record = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            unreadable.append(path)
            continue
        if not isinstance(record, dict) or "id" not in record:
            unreadable.append(path)
        elif str(record.get("withdrawn") or "").strip() not in ("", "null", "Null", "NULL", "~"):
            withdrawn += 1
        else:
            records.append(record)
    return records, withdrawn, unreadable


def check(pins, records):
    """The findings, one per (pin, advisory), in the order of the pins."""
    findings = []
    by_name = {}
    for record in records:
        for entry in record.get("affected") or ():
            package = entry.get("package") or {}
            if str(package.get("ecosystem", "")).split(":")[0] == "PyPI" and package.get("name"):
                by_name.setdefault(canonicalize_name(str(package["name"])), []).append((record, entry))
    for key, (name, version) in pins.items():
        seen = {}
        for record, entry in by_name.get(key, ()):
            if affects(entry, version):
                fixed = seen.setdefault(record["id"], [record, []])[1]
                fixed.extend(f for f in fixed_versions(entry) if f not in fixed)
        for advisory, (record, fixed) in seen.items():
            versions = sorted(fixed, key=lambda f: (parse_version(f) or Version("0"), f))
            findings.append(Finding(name, version, advisory, tuple(record.get("aliases") or ()), tuple(versions)))
    return findings


def database_date(database, records):
    """The date of the copy: its newest commit when it is a git checkout, else the newest `modified`."""
    git = shutil.which("git")
    if git and (Path(database) / ".git").exists():
        result = subprocess.run(  # noqa: S603 (a fixed command on a path given by the user)
            [git, "-C", str(database), "log", "-1", "--format=%cI"], capture_output=True, text=True, check=False
        )
        if result.returncode == 0 and result.stdout.strip():
            return datetime.datetime.fromisoformat(result.stdout.strip()).date(), "newest commit"
    modified = []
    for record in records:
        try:
            modified.append(datetime.datetime.fromisoformat(str(record.get("modified")).replace("Z", "+00:00")).date())
        except ValueError:
            continue
    return (max(modified), "newest modified record") if modified else (None, "no date found")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, help="a checkout of github.com/pypa/advisory-database")
    parser.add_argument("--requirements", type=Path, default=DEFAULT_REQUIREMENTS, help="default: %(default)s")
    args = parser.parse_args(argv)

    if yaml is None:
        print("advisory_check: PyYAML is not installed: make setup-dev")
        return 2
    if not (args.database / "vulns").is_dir():
        print(f"advisory_check: {args.database} is not a checkout of the PyPA advisory database (no vulns/)")
        return 2
    try:
        pins = read_pins(args.requirements)
    except OSError as error:
        print(f"advisory_check: cannot read {args.requirements}: {error}")
        return 2
    records, withdrawn, unreadable = read_records(args.database)
    date, source = database_date(args.database, records)
    if date is None:
        age = "of unknown date"
    else:
        days = (datetime.datetime.now(datetime.UTC).date() - date).days
        age = f"of {date.isoformat()} ({source}, {days} days old)"
    about = (
        f"offline PyPA advisory database {age}: it does not know advisories published since then, nor those "
        "only in the GitHub advisory database (which pip-audit's services include); no substitute for make audit "
        "with a network"
    )
    for path in unreadable:
        print(f"advisory_check: skipped an unreadable record: {path}", file=sys.stderr)

    findings = check(pins, records)
    for finding in findings:
        print(describe(finding))
    summary = (
        f"{len(pins)} pins of {args.requirements} ({len(records) + withdrawn} advisories read, "
        f"{withdrawn} of them withdrawn and skipped)"
    )
    if findings:
        affected = len({finding.name for finding in findings})
        print(f"advisory_check: known vulnerabilities (listed above) in {affected} of {summary}")
        print(f"advisory_check: {about}")
        return 1
    print(f"advisory_check: no known vulnerability in {summary}")
    print(f"advisory_check: {about}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
