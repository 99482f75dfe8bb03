"""scripts/pypi_audit.py: pins against fake PyPI project pages (no network)."""

import importlib.util
import sys
import urllib.error
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # pypi_audit imports advisory_check by name, as when run as a script
    spec.loader.exec_module(module)
    return module


_load("advisory_check")
pypi_audit = _load("pypi_audit")

VULNERABILITY = {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2099-1"], "fixed_in": ["2.1"], "withdrawn": None}
PAGES = {
    "clean-pkg": {"info": {"version": "1.0"}, "vulnerabilities": []},
    "bad-pkg": {"info": {"version": "2.0"}, "vulnerabilities": [VULNERABILITY]},
    "old-pkg": {"info": {"version": "3.0"}, "vulnerabilities": [VULNERABILITY]},
    "withdrawn-pkg": {
        "info": {"version": "1.0"},
        "vulnerabilities": [{**VULNERABILITY, "withdrawn": "2099-01-01T00:00:00Z"}],
    },
}


def fetch(name):
    key = name.lower().replace("_", "-")
    if key not in PAGES:
        raise urllib.error.HTTPError(f"https://pypi.example/{name}/json", 404, "Not Found", None, None)
    return PAGES[key]


def pins(*lines):
    return {line.split("==")[0].lower(): tuple(line.split("==")) for line in lines}


@pytest.mark.parametrize(
    ("pin", "audited", "advisories", "not_audited"),
    [
        ("clean-pkg==1.0", True, [], None),
        ("clean-pkg==1.0.0", True, [], None),  # 1.0.0 is the release 1.0
        ("bad-pkg==2.0", True, ["GHSA-aaaa-bbbb-cccc"], None),
        ("old-pkg==2.9", False, [], "old-pkg 2.9: not the latest release (3.0)"),
        ("withdrawn-pkg==1.0", True, [], None),
        ("missing-pkg==1.0", False, [], "missing-pkg 1.0: its PyPI page could not be read"),
    ],
)
def test_only_a_pin_of_the_latest_release_is_audited_by_its_project_page(pin, audited, advisories, not_audited):
    report = pypi_audit.audit(pins(pin), fetch, workers=1)

    assert bool(report.audited) is audited
    assert [finding.advisory for finding in report.findings] == advisories
    if not_audited is None:
        assert report.not_audited == []
    else:
        assert report.not_audited[0].startswith(not_audited)


def test_a_finding_names_the_pin_its_aliases_and_the_fixed_versions():
    [finding] = pypi_audit.audit(pins("bad-pkg==2.0"), fetch).findings

    assert finding == pypi_audit.Finding("bad-pkg", "2.0", "GHSA-aaaa-bbbb-cccc", ("CVE-2099-1",), ("2.1",))


@pytest.mark.parametrize(
    ("lines", "status", "printed"),
    [
        (
            ["clean-pkg==1.0", "old-pkg==2.9"],
            0,
            ["NOT AUDITED old-pkg 2.9: not the latest release (3.0)", "no known vulnerability in 1 of the 2 pins"],
        ),
        (["clean-pkg==1.0", "bad-pkg==2.0"], 1, ["bad-pkg 2.0: GHSA-aaaa-bbbb-cccc (CVE-2099-1), fixed in 2.1"]),
        (["missing-pkg==1.0"], 2, ["no PyPI project page could be read"]),
    ],
)
def test_the_exit_status_says_vulnerable_clean_or_unreachable(tmp_path, capsys, lines, status, printed):
    requirements = tmp_path / "lock.txt"
    requirements.write_text("# pins\n" + "\n".join(lines) + "\n")

    assert pypi_audit.main(["--requirements", str(requirements)], fetch=fetch) == status
    output = capsys.readouterr().out
    for text in printed:
        assert text in output


def test_unreadable_requirements_exit_2(tmp_path, capsys):
    assert pypi_audit.main(["--requirements", str(tmp_path / "absent.txt")], fetch=fetch) == 2
    assert "cannot read" in capsys.readouterr().out


def test_when_the_first_page_cannot_be_read_no_other_is_asked_for():
    asked = []

    def unreachable(name):
        asked.append(name)
        raise urllib.error.URLError("no route to host")

    report = pypi_audit.audit(pins("clean-pkg==1.0", "bad-pkg==2.0", "old-pkg==2.9"), unreachable)

    assert asked == ["clean-pkg"]
    assert report.audited == []
    assert len(report.not_audited) == 3
