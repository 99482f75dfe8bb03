"""The committee report of FSC's mid-year round 2013-14, as the demo loads it, against the printed report
(../shared/seeds/fsc-midyear-monitoring-2013.md): the dashboard as printed, and the computed paragraph
numbers against those the returns were typed with."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from documents.committee_report import committee_report_context, committee_report_print_html
from monitoring.models import Round
from monitoring.selectors import round_report
from tests.monitoring.conftest import row_cells


@pytest.fixture(scope="module")
def fsc_round(django_db_setup, django_db_blocker):
    """load_demo run once for the read-only tests of this module, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Round.objects.select_related("directorate", "year").get(
            directorate__code="FSC", year__start_year=2013, kind="mid_year"
        )
        transaction.set_rollback(True)


@pytest.fixture
def chapters(fsc_round, db):
    context = committee_report_context(fsc_round, round_report(fsc_round), fsc_round.committee_report)
    return {chapter.unit_code: chapter for chapter in context["chapters"]}


def _paragraphs(chapter):
    return [p for priority in chapter.priorities for p in priority.paragraphs] + chapter.decisions


def test_chapters_are_numbered_as_printed(chapters):
    assert [(c.number, c.unit_code) for c in sorted(chapters.values(), key=lambda c: c.number)] == [
        (6, "SCS"),
        (7, "OPPD"),
        (8, "LDMH"),
        (9, "SC"),
    ]


def test_sc_paragraphs_get_the_numbers_printed(chapters):
    paragraphs = _paragraphs(chapters["SC"])
    assert [p.number for p in paragraphs] == [f"9.{n}" for n in range(1, 22)]


@pytest.mark.parametrize(("unit", "same_until"), [("SCS", "6.6"), ("OPPD", "7.15"), ("LDMH", "8.12")])
def test_other_chapters_match_the_printed_numbers_until_the_known_differences(chapters, unit, same_until):
    """docs/pdf.md: SCS and OPPD print their changes to key decisions inside a priority, the app at the end
    of the chapter; LDMH prints one paragraph unnumbered, the app numbers it."""
    typed = [(p.number, p.printed_number) for p in _paragraphs(chapters[unit]) if p.printed_number]
    last = int(same_until.split(".")[1])
    assert all(number == printed for number, printed in typed[:last])
    assert typed[last - 1] == (same_until, same_until)
    assert typed[last][0] != typed[last][1]


def test_the_dashboard_prints_the_reported_figures(fsc_round, db):
    html = committee_report_print_html(fsc_round.pk, for_pdf=False)
    rows = {code: row_cells(html, f"row-{code}")[1:] for code in ("SCS", "OPPD", "LDMH", "SC", "totals")}
    assert rows == {
        "SCS": ["5", "18", "1", "17", "0", "Amber"],
        "OPPD": ["6", "20", "2", "18", "0", "Amber"],
        "LDMH": ["6", "19", "11", "8", "0", "Amber"],
        "SC": ["14", "48", "11", "37", "0", "Amber"],
        "totals": ["31", "105", "25", "80", "0", "Amber"],
    }
    # In the printed report's order of divisions.
    assert [html.index(f'id="row-{code}"') for code in ("SCS", "OPPD", "LDMH", "SC")] == sorted(
        html.index(f'id="row-{code}"') for code in ("SCS", "OPPD", "LDMH", "SC")
    )
