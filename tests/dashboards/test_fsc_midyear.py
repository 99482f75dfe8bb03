"""The demo's FSC mid-year round 2013-14 on the dashboard: the figures of the report of 5 December 2013,
counted from the transcribed returns (never stored), in the page and both exports, with what is
reconstructed labelled so."""

import csv
import io
import json
import re
from html import unescape
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from monitoring.models import ActionReturn, Round
from monitoring.seed import RECONSTRUCTED_PLAN_FILES, ROUND_FILE
from organisation.models import Unit
from tests.monitoring.conftest import row_cells

pytestmark = pytest.mark.django_db

# The Done-when of issue 6: the report's dashboard (section 5.3), row by row.
REPORT = {
    "SCS": ["5", "18", "1", "17", "0", "Amber"],
    "OPPD": ["6", "20", "2", "18", "0", "Amber"],
    "LDMH": ["6", "19", "11", "8", "0", "Amber"],
    "SC": ["14", "48", "11", "37", "0", "Amber"],
    "totals": ["31", "105", "25", "80", "0", "Amber"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`load_demo --with-demo-accounts` once for this module, rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--with-demo-accounts", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def midyear(demo, db):
    return Round.objects.get(directorate__code="FSC", year_id=2013, kind=Round.Kind.MID_YEAR)


def client_for(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def dashboard(client, round_, query=""):
    return client.get(reverse("dashboards:round", args=[round_.pk]) + query)


def page_rows(html):
    return {code: row_cells(html, f"row-{code}")[1:] for code in REPORT}


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("username", ["committee.member", "admin"])
def test_the_dashboard_shows_exactly_the_report_figures(midyear, username):
    response = dashboard(client_for(username), midyear)
    assert response.status_code == 200
    html = response.content.decode()
    assert page_rows(html) == REPORT
    assert row_cells(html, "row-totals")[0] == "Directorate totals"


def test_the_divisions_come_in_the_reports_order(midyear):
    html = dashboard(client_for("committee.member"), midyear).content.decode()
    rows = re.findall(r'<tr[^>]*id="row-([A-Za-z]+)"', html)
    assert rows == ["SCS", "OPPD", "LDMH", "SC", "totals"]


@pytest.mark.parametrize("username", ["committee.member", "admin"])
def test_both_exports_hold_the_same_figures(midyear, username):
    client = client_for(username)
    expected = [[code if code != "totals" else "Directorate totals", *cells] for code, cells in REPORT.items()]
    rows = list(csv.reader(io.StringIO(dashboard(client, midyear, "?export=csv").content.decode("utf-8-sig"))))
    assert sorted(rows[1:]) == sorted(expected)
    sheet = openpyxl.load_workbook(io.BytesIO(dashboard(client, midyear, "?export=xlsx").content)).active
    values = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert sorted(values[1:]) == sorted(expected)


def test_the_figures_are_counted_from_the_returns_not_stored(midyear):
    """Reopen the round (its snapshot dropped): the live page shows the same figures, and they move when one
    return changes, so no figure is stored anywhere but in what the returns say."""
    Round.objects.filter(pk=midyear.pk).update(status="open", closed_at=None, closed_by=None, snapshot=None)
    client = client_for("admin")
    assert page_rows(dashboard(client, midyear).content.decode()) == REPORT

    completed = ActionReturn.objects.get(
        round=midyear, action__priority__plan__unit__code="SCS", action__priority__number=1, action__number=1
    )
    assert completed.status == ActionReturn.Status.COMPLETED
    completed.status = ActionReturn.Status.DELAYED
    completed.save()  # as every page that changes a return does (a bulk update would not reach the cache)
    rows = page_rows(dashboard(client, midyear).content.decode())
    assert rows["SCS"][:5] == ["5", "18", "0", "17", "1"]
    assert rows["totals"][:5] == ["31", "105", "24", "80", "1"]
    assert rows["LDMH"] == REPORT["LDMH"]


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_the_seed_files_hold_no_totals():
    seeds = Path(settings.BASE_DIR) / "fixtures" / "seeds"
    for name in [ROUND_FILE, *RECONSTRUCTED_PLAN_FILES]:
        keys = set(_keys(json.loads((seeds / name).read_text(encoding="utf-8"))))
        assert not {key for key in keys if "total" in key or "count" in key}, name


def test_the_round_is_closed_and_shows_it(midyear):
    html = dashboard(client_for("committee.member"), midyear).content.decode()
    assert "The round is closed" in html
    assert "Deadline reconstructed, not printed" in html  # the round's note on what is reconstructed


def test_5_4_and_the_merged_oppd_heading_are_footnotes(midyear):
    text = text_of(dashboard(client_for("committee.member"), midyear).content.decode())
    assert "Priority 5, action 4 was withdrawn. The published report has no return for it." in text
    assert "Priority 6, action 4 was merged into priority 2, action 1. Reconstructed: the report prints 21" in text


def division_page(client, round_, code, query=""):
    unit = Unit.objects.in_year(2013).get(code=code, parent__code="FSC")
    return client.get(reverse("dashboards:division", args=[round_.pk, unit.pk]) + query)


def test_reconstructed_actions_are_labelled_on_the_drill_down(midyear):
    client = client_for("committee.member")
    sc = text_of(division_page(client, midyear, "SC").content.decode())
    assert "1 Reconstructed action 1 of 48 (the report counts 48 actions for SC but names none)" in sc
    assert "Priority 13: Reconstructed priority 13 (the report counts 14 SC priorities but prints 13)" in sc
    assert sc.count("Note on the source: Reconstructed return:") == 48
    # the priority returns are printed ones, with where they are printed
    assert "Monthly reporting to DMT and DivMT for key performance indicators" in sc
    assert "Note on the source: Key achievements printed as 9.21" in sc

    scs = text_of(division_page(client, midyear, "SCS").content.decode())
    assert scs.count("Reconstructed action") == 5
    assert "4 Reconstructed action 1 of 5 (the report counts 18 actions for SCS but names 13)" in scs
    assert "6.1 Make sure that children and young people are safe and stay safe in every setting -" in scs
    assert "Status reconstructed: the report gives SCS totals only" in scs


def test_the_drill_down_shows_the_merged_heading_with_its_printed_paragraph(midyear):
    oppd = text_of(division_page(client_for("committee.member"), midyear, "OPPD").content.decode())
    assert "7.29 Implement the Transformation programme –" in oppd
    assert "Merged into priority 2, action 1." in oppd


def test_the_drill_down_filters_still_work_on_the_transcribed_returns(midyear):
    html = division_page(client_for("committee.member"), midyear, "LDMH", "?status=completed").content.decode()
    assert len(re.findall(r'<tr class="govuk-table__row" id="action-', html)) == 11


@pytest.mark.parametrize(("client", "expected"), [("anonymous", 302), ("outsider", 404)])
def test_who_may_not_see_the_round_cannot(midyear, client, expected):
    if client == "anonymous":
        http = Client()
    else:
        outsider = get_user_model().objects.create_user("outsider", password="x")  # no membership anywhere
        http = Client()
        http.force_login(outsider)
    assert dashboard(http, midyear).status_code == expected
    assert division_page(http, midyear, "SC").status_code == expected
    assert dashboard(http, midyear, "?export=csv").status_code == expected
