"""The other plan shapes of the seeds, held as data (custom tables): the 2008/9 unit operating
plan and the 2012 transformation programme blueprint, counted against their sources and found on
the page and in the PDF."""

import io

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from documents.builders import plan_print_html
from documents.rendering import render_pdf
from exchange.seeds import load_all
from plans.models import Plan, TableRow
from tests.plan_pages import section_url, whole_plan

pytestmark = pytest.mark.django_db

# Rows per custom table, counted in the seeds by hand.
SOURCE_COUNTS = {
    ("AMH", "projects"): 6,
    ("AMH", "user-involvement"): 1,
    ("FSC", "glossary"): 18,
    ("FSC", "themes"): 6,
    ("FSC", "phases"): 4,
    ("FSC", "understand-projects"): 24,
    ("FSC", "governance"): 9,
    ("FSC", "statutory-duties"): 8,
    ("FSC", "activity-baseline"): 39,
    ("FSC", "stakeholder-events"): 15,
    ("FSC", "services"): 18,
    ("FSC", "eia-screening"): 8,
    ("FSC", "eia-action-plan"): 8,
}
EIA_CHARACTERISTICS = [
    "Age",
    "Disability",
    "Gender",
    "Gender identity",
    "Race",
    "Religion or belief",
    "Sexual orientation",
    "Pregnancy and maternity",
]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def amh(loaded, db):
    return Plan.objects.get(unit__code="AMH", year_id=2008)


@pytest.fixture
def blueprint(loaded, db):
    return Plan.objects.get(unit__code="FSC", year_id=2012)


@pytest.mark.parametrize(("unit", "slug"), SOURCE_COUNTS)
def test_each_transcribed_table_has_as_many_rows_as_its_source(loaded, unit, slug):
    rows = TableRow.objects.filter(plan__unit__code=unit, table__slug=slug)
    assert rows.count() == SOURCE_COUNTS[(unit, slug)]


def test_projects_show_with_their_managers_and_dates(amh, admin_user, client_for):
    page = whole_plan(client_for(admin_user), amh)
    for text in ["Mental Health Act Implementation", "Peter Hasler", "Dave Woodward", "Paul Absolon", "Sept 2008"]:
        assert text in page


def test_every_theme_and_eia_row_of_the_blueprint_is_on_its_page(blueprint, admin_user, client_for):
    page = whole_plan(client_for(admin_user), blueprint)
    themes = TableRow.objects.filter(plan=blueprint, table__slug="themes").order_by("number")
    for row in themes:
        first_value = next(iter(row.values.values()))
        assert first_value.split("\n")[0][:40] in page
    for characteristic in EIA_CHARACTERISTICS:
        assert f">{characteristic}" in page
    assert "Mark Lobban" in page


def test_sections_render_in_the_source_order(amh, admin_user, client_for):
    page = client_for(admin_user).get(reverse("plans:detail", args=[amh.pk])).text
    positions = [page.index(f'href="{section_url(amh, code)}"') for code in ["1a", "1b", "1c", "2a", "2f", "2k", "3"]]
    assert positions == sorted(positions)


def test_the_blueprint_prints_with_its_themes_and_eia(blueprint):
    pdf, pages = render_pdf(plan_print_html(blueprint.pk, for_pdf=True))
    # Table cells wrap, so compare with whitespace collapsed.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert pages > 5
    for characteristic in EIA_CHARACTERISTICS:
        assert characteristic in text
    assert "Adult Social Care Transformation Programme Blueprint and Preparation Plan" in text
