"""scripts/advisory_check.py: pins against a tiny fake PyPA advisory database (no network, no database)."""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "advisory_check.py"
spec = importlib.util.spec_from_file_location("advisory_check", SCRIPT)
advisory_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(advisory_check)

RECORDS = {
    # Two ranges in one record, and a package name written unlike the pin (PEP 503 normalisation).
    "Some_Pkg/PYSEC-2099-1.yaml": """
id: PYSEC-2099-1
modified: "2024-03-01T10:00:00Z"
aliases:
- CVE-2099-0001
affected:
- package:
    name: Some_Pkg
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "1.0"
    - fixed: "1.5"
    - introduced: "2.0"
    - fixed: 2.1.3
""",
    # last_affected, written unquoted as 1.10 (a float to a YAML safe loader: 1.1).
    "lastpkg/PYSEC-2099-2.yaml": """
id: PYSEC-2099-2
modified: "2024-05-06T00:00:00Z"
affected:
- package:
    name: lastpkg
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: 0
    - last_affected: 1.10
""",
    # Only an explicit list of versions; and a GIT range, which is not about PyPI versions.
    "listpkg/PYSEC-2099-3.yaml": """
id: PYSEC-2099-3
modified: "2023-12-31T23:00:00Z"
affected:
- package:
    name: listpkg
    ecosystem: PyPI
  ranges:
  - type: GIT
    repo: https://example.org/listpkg
    events:
    - introduced: "0"
    - fixed: 0123456789abcdef
  versions:
  - "0.9"
  - 1.0.0
""",
    # Withdrawn: ignored, though it covers every version of okpkg.
    "okpkg/PYSEC-2099-4.yaml": """
id: PYSEC-2099-4
modified: "2024-06-01T00:00:00Z"
withdrawn: "2024-06-01T00:00:00Z"
affected:
- package:
    name: okpkg
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
""",
    # Another ecosystem's package of the same name: ignored.
    "okpkg/OTHER-2099-5.yaml": """
id: OTHER-2099-5
modified: "2024-01-01T00:00:00Z"
affected:
- package:
    name: okpkg
    ecosystem: npm
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
""",
}


@pytest.fixture
def database(tmp_path):
    root = tmp_path / "advisory-database"
    for name, text in RECORDS.items():
        path = root / "vulns" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip())
    return root


def run(database, tmp_path, capsys, lock):
    requirements = tmp_path / "lock.txt"
    requirements.write_text(lock)
    status = advisory_check.main([str(database), "--requirements", str(requirements)])
    return status, capsys.readouterr().out


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("0.9", False),
        ("1.0", True),
        ("1.0.0", True),
        ("1.4.9", True),
        ("1.5", False),
        ("1.9", False),
        ("2.0.0rc1", False),
        ("2.0", True),
        ("2.1.2", True),
        ("2.1.3", False),
        ("3.0", False),
    ],
)
def test_introduced_and_fixed(version, affected):
    events = [{"introduced": "2.0"}, {"fixed": "2.1.3"}, {"introduced": "1.0"}, {"fixed": "1.5"}]  # any order
    assert advisory_check.in_range(Version(version), events) is affected


@pytest.mark.parametrize(("version", "affected"), [("0.0.0b1", True), ("1.1", True), ("1.10", True), ("1.10.1", False)])
def test_introduced_zero_and_last_affected(version, affected):
    assert advisory_check.in_range(Version(version), [{"introduced": "0"}, {"last_affected": "1.10"}]) is affected


def test_a_range_that_ends_where_the_next_begins_keeps_that_version_affected():
    events = [{"introduced": "0"}, {"fixed": "3.1.1"}, {"introduced": "3.1.1"}, {"fixed": "3.1.3"}]
    assert advisory_check.in_range(Version("3.1.1"), events)
    assert not advisory_check.in_range(Version("3.1.3"), events)


def test_open_range_and_limit():
    assert advisory_check.in_range(Version("99"), [{"introduced": "1.0"}])
    assert not advisory_check.in_range(Version("0.5"), [{"introduced": "1.0"}])
    assert not advisory_check.in_range(Version("2.0"), [{"introduced": "1.0"}, {"limit": "2.0"}])


def test_explicit_versions_match_equal_versions():
    entry = {"versions": ["0.9", "1.0.0", "not a version"]}
    assert advisory_check.affects(entry, "1.0")
    assert advisory_check.affects(entry, "not a version")
    assert not advisory_check.affects(entry, "1.0.1")


def test_read_pins(tmp_path):
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "# a comment\n-r base.in\n--hash=sha256:00\nSome.Pkg==1.2 ; python_version >= '3'\n"
        "extra-pkg[fast]==2.0  # why\nunpinned>=1\nboolean.py==5.0\n"
    )
    assert advisory_check.read_pins(lock) == {
        "some-pkg": ("Some.Pkg", "1.2"),
        "extra-pkg": ("extra-pkg", "2.0"),
        "boolean-py": ("boolean.py", "5.0"),
    }


def test_clean_pins_exit_0_with_counts_and_the_date(database, tmp_path, capsys):
    lock = "some-pkg==1.5\nsome.pkg==1.5\nlastpkg==1.10.1\nlistpkg==1.0.1\nokpkg==1.0\nunknown==0.1\n"
    status, out = run(database, tmp_path, capsys, lock)
    assert status == 0
    assert "no known vulnerability in 5 pins" in out  # some-pkg and some.pkg are one package
    assert "(5 advisories read, 1 of them withdrawn and skipped)" in out
    # No .git: the newest `modified` of the records read (the withdrawn one's is not counted).
    assert "database of 2024-05-06 (newest modified record" in out


def test_vulnerable_pins_exit_1_with_advisory_and_fixed_versions(database, tmp_path, capsys):
    lock = "some_pkg==2.1\nLastPkg==1.10\nlistpkg==1.0\nokpkg==1.0\n"
    status, out = run(database, tmp_path, capsys, lock)
    assert status == 1
    assert "some_pkg 2.1: PYSEC-2099-1 (CVE-2099-0001), fixed in 1.5, 2.1.3" in out
    assert "LastPkg 1.10: PYSEC-2099-2, no fixed version" in out
    assert "listpkg 1.0: PYSEC-2099-3, no fixed version" in out
    assert "okpkg" not in out
    assert "known vulnerabilities (listed above) in 3 of 4 pins" in out


def test_not_a_database_exit_2(tmp_path, capsys):
    status, out = run(tmp_path / "nothing", tmp_path, capsys, "okpkg==1.0\n")
    assert status == 2
    assert "not a checkout of the PyPA advisory database" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_date_of_a_git_checkout_is_its_newest_commit(database, tmp_path, capsys):
    env = {"GIT_AUTHOR_DATE": "2024-10-10T17:35:05+00:00", "GIT_COMMITTER_DATE": "2024-10-10T17:35:05+00:00"}
    git = ["git", "-C", str(database), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], check=True, env={**os.environ, **env})
    status, out = run(database, tmp_path, capsys, "okpkg==1.0\n")
    assert status == 0
    assert "database of 2024-10-10 (newest commit" in out
