"""The indicator seed (fixtures/seeds/amh-indicators-2008-09.json) against the printed 2008/9 mental
health operational plan: every figure is there, placed where the plan puts it, and shown on the
pages exactly as printed."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from exchange.seeds import load_all
from performance.models import Actual, BandCount, Comparator, Indicator, IndicatorYear, Target
from performance.seed import SEEDS_DIR, load_indicator_seeds, load_indicators, read_seed
from plans.models import Plan
from tests.performance.helpers import page_text, row_of

pytestmark = pytest.mark.django_db

SEED_TEXT = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "mental-health-operational-plan-2008-09.md"
JSON = json.loads((SEEDS_DIR / "amh-indicators-2008-09.json").read_text(encoding="utf-8"))

# Every figure of the KPI table, as printed: (reference, year, actual or target, printed).
KPI_FIGURES = [
    ("PAF C73", 2005, "actual", "1.9"),
    ("PAF C73", 2006, "actual", "1.7"),
    ("PAF C73", 2007, "target", "1.7"),
    ("PAF C28 BVPI 53", 2005, "actual", "11"),
    ("PAF C28 BVPI 53", 2006, "actual", "11"),
    ("PAF C28 BVPI 53", 2007, "target", "11"),
    ("PAF C31", 2005, "actual", "3.6"),
    ("PAF C31", 2006, "actual", "3.8"),
    ("PAF C31", 2007, "target", "3.8"),
    ("PAF D40 BVPI 55", 2005, "actual", "85"),
    ("PAF D40 BVPI 55", 2006, "actual", "86"),
    ("PAF D40 BVPI 55", 2007, "target", "88"),
    ("PAF D39 BVPI 58", 2005, "actual", "98"),
    ("PAF D39 BVPI 58", 2006, "actual", "98"),
    ("PAF D39 BVPI 58", 2007, "target", "99"),
]
COMPARISONS = {
    "PAF C31": ["3.8", "5.1", "1.8", "3.7", "12.1", "2.2", "9.3"],
    "PAF D39 BVPI 58": ["98", "100", "92", "96.3", "96.4", "100", "100"],
}
COUNCILS = ["Kent", "Essex", "Gloucs", "Lancs", "Hamps", "Suffolk", "West Sussex"]
ACTIVITY = [
    ("Number of people with mental health needs in permanent nursing care (excluding preserved rights)", "194", "194"),
    ("Number of people with mental health needs receiving domiciliary care", "605", "632"),
    ("Number of people with mental health needs receiving a direct payment", "110", "150"),
]
BANDS = {
    "BAND 1": (0, 0),
    "BAND 2": (3, 2),
    "BAND 3": (4, 4),
    "BAND 4": (6, 6),
    "BAND 5": (7, 8),
    "CSCI not banded": (1, 1),
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The organisation, plans and indicator seeds, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        load_indicator_seeds()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_client_(loaded, client_for, admin_user):
    return client_for(admin_user)


def indicator(reference=None, title=None) -> Indicator:
    lookup = {"reference": reference} if reference else {"title": title}
    return Indicator.objects.get(unit__code="AMH", **lookup)


# --- The JSON is the printed plan ---------------------------------------------------------------


def test_every_kpi_row_of_the_json_is_a_line_of_the_printed_plan():
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines() if SEED_TEXT.exists() else None
    if lines is None:
        pytest.skip("The shared seeds are not next to the project.")
    for row in JSON["indicators"][:5]:
        figures = {y["year"]: y for y in row["years"]}
        printed = "\t".join(
            [
                row["printed"],
                figures["2005-06"]["actual"],
                figures["2006-07"]["actual"],
                figures["2007-08"]["target"],
                figures["2009-10"]["target_note"],
            ]
        )
        assert printed in lines, row["reference"]
    for row in JSON["indicators"][5:29]:
        assert any(row["printed"] in line and line.startswith(row["strategic_link"]) for line in lines), row["printed"]


def test_the_seed_holds_every_table_of_the_plan():
    references = [row["reference"] for row in JSON["indicators"]]
    assert references[:5] == ["PAF C73", "PAF C28 BVPI 53", "PAF C31", "PAF D40 BVPI 55", "PAF D39 BVPI 58"]
    assert len(JSON["indicators"]) == 5 + 24 + 3  # KPIs, key corporate/national targets, activity levels
    assert JSON["notes"], "the JSON says what could not be placed"


# --- Loaded where the plan puts them ------------------------------------------------------------


def test_the_indicators_hang_on_adult_mental_health_services_of_kass(loaded):
    indicators = Indicator.objects.filter(unit__code="AMH")
    assert indicators.count() == 32
    unit = indicators.first().unit
    assert (unit.name, unit.parent.code, unit.first_year_id) == ("Adult Mental Health Services", "KASS", 2008)


@pytest.mark.parametrize(("reference", "year", "kind", "printed"), KPI_FIGURES)
def test_each_kpi_figure_is_held_for_its_year(loaded, reference, year, kind, printed):
    model = Actual if kind == "actual" else Target
    row = model.objects.get(indicator_year__indicator=indicator(reference), indicator_year__year_id=year)
    assert row.value == Decimal(printed)
    assert row.period == "year"
    assert f"Printed as {printed} in the column" in row.source_note


def test_not_available_is_kept_as_not_given(loaded):
    for reference in ["PAF C73", "PAF C28 BVPI 53", "PAF C31", "PAF D40 BVPI 55", "PAF D39 BVPI 58"]:
        year = IndicatorYear.objects.get(indicator=indicator(reference), year_id=2009)
        assert year.target_note == "N/A"
        assert not year.targets.exists()
        assert not year.actuals.exists()


def test_the_key_targets_say_who_leads_and_who_supports(loaded):
    target_52 = indicator("Target 52")
    assert target_52.strategic_link == "Towards 2010"
    assert target_52.get_contribution_display() == "Support for target"
    assert target_52.contributors == "Anne Tidmarsh, Chris Belton, Michael Thomas-Sam, Jeremy Blackman, David Weiss"
    assert indicator("NI 149").get_contribution_display() == "Lead for target"
    assert indicator("NI 150").contribution == "lead"
    assert indicator("NI128").title == "User reported measure of respect and dignity in their treatment"
    assert indicator("NI 125").strategic_link == "The Kent Agreement 2"
    assert (
        indicator("Target 56").title
        == "Improve older people’s economic well-being by encouraging the take-up of benefits"
    )
    assert indicator("NI 131").polarity == ""  # the plan does not say


def test_the_equality_standard_levels_are_the_targets_of_their_years(loaded):
    standard = indicator(title="Achieve Level 3 by March 2008, Level 4 by March 2009, Level 5 by March 2010")
    targets = Target.objects.filter(indicator_year__indicator=standard).order_by("period_start")
    assert [(t.indicator_year.year_id, t.value) for t in targets] == [(2007, 3), (2008, 4), (2009, 5)]
    assert all(t.source_note.startswith("Derived from the printed") for t in targets)


@pytest.mark.parametrize(("title", "outturn", "estimate"), ACTIVITY)
def test_the_forecast_activity_levels(loaded, title, outturn, estimate):
    activity = indicator(title=title)
    assert activity.kind == "activity"
    previous, current = IndicatorYear.objects.filter(indicator=activity).order_by("year")
    assert (previous.year_id, previous.estimate, previous.estimate_note, previous.forecast_outturn) == (
        2007,
        None,
        "N/A",
        Decimal(outturn),
    )
    assert (current.year_id, current.estimate, current.estimate_note) == (2008, Decimal(estimate), "DRAFT")


@pytest.mark.parametrize("reference", COMPARISONS)
def test_the_service_comparison_is_held_for_2006_07(loaded, reference):
    rows = Comparator.objects.filter(indicator_year__indicator=indicator(reference), indicator_year__year_id=2006)
    assert [(c.council, c.value) for c in rows] == [
        (council, Decimal(value)) for council, value in zip(COUNCILS, COMPARISONS[reference], strict=True)
    ]
    assert [c.council for c in rows if c.is_own_council] == ["Kent"]


def test_the_band_counts_add_up_to_the_printed_totals(loaded):
    for label, counts in BANDS.items():
        rows = BandCount.objects.filter(unit__code="AMH", label=label).order_by("year")
        assert [(r.year_id, r.count) for r in rows] == [(2005, counts[0]), (2006, counts[1])]
    for year in (2005, 2006):
        assert sum(BandCount.objects.filter(year_id=year).values_list("count", flat=True)) == 21


def test_loading_twice_changes_nothing_and_records_no_history(loaded):
    models = [Indicator, IndicatorYear, Actual, Target, Comparator, BandCount]
    before = [(m.objects.count(), m.history.count()) for m in models]
    load_indicator_seeds()
    assert [(m.objects.count(), m.history.count()) for m in models] == before


def test_a_band_count_that_does_not_add_up_is_refused(loaded):
    data = read_seed("amh-indicators-2008-09.json")
    data["bands"]["rows"][1]["counts"]["2005-06"] = "4"
    with pytest.raises(ValueError, match="add up to 22, not the printed 21"):
        load_indicators(data)


# --- Shown exactly as printed --------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["PAF C73", "PAF C28 BVPI 53", "PAF C31", "PAF D40 BVPI 55", "PAF D39 BVPI 58"])
def test_the_indicator_page_shows_the_kpi_figures_as_printed(admin_client_, reference):
    text = page_text(admin_client_.get(reference_url(reference)))
    figures = {(year, kind): printed for ref, year, kind, printed in KPI_FIGURES if ref == reference}
    # Figures by period: Period | Target | Actual | Floor | RAG | Direction of travel
    assert row_of(text, "2005-06").split(" | ")[1:3] == ["–", figures[(2005, "actual")]]
    assert row_of(text, "2006-07").split(" | ")[1:3] == ["–", figures[(2006, "actual")]]
    assert row_of(text, "2007-08").split(" | ")[1:3] == [figures[(2007, "target")], "–"]
    # By year: 2009-10 prints N/A for the target.
    assert row_of(text, "2009-10").split(" | ")[-1] == "N/A"


def reference_url(reference):
    return reverse("performance:detail", args=[indicator(reference).pk])


@pytest.mark.parametrize("reference", COMPARISONS)
def test_the_indicator_page_shows_the_service_comparison_as_printed(admin_client_, reference):
    text = page_text(admin_client_.get(reference_url(reference)))
    for council, value in zip(COUNCILS, COMPARISONS[reference], strict=True):
        name = f"{council} (this council)" if council == "Kent" else council
        assert any(line.strip().endswith(f"{name} | {value}") for line in text.splitlines()), (council, value)
    assert "Kent is 4th of 7 (higher is better)." in text


def test_the_activity_page_shows_the_forecast_levels_as_printed(admin_client_):
    activity = indicator(title=ACTIVITY[1][0])
    text = page_text(admin_client_.get(reverse("performance:detail", args=[activity.pk])))
    # By year: Year | Floor | Previous outturn | Benchmark | Estimate | Forecast outturn
    assert row_of(text, "2007-08").split(" | ")[-2:] == ["N/A", "605"]
    assert row_of(text, "2008-09").split(" | ")[-2:] == ["632 (DRAFT)", "–"]


def test_the_list_page_shows_the_latest_figures_and_the_band_counts_as_printed(admin_client_):
    text = page_text(admin_client_.get(reverse("performance:list")))
    assert (
        " | ".join(
            [
                "PAF C73",
                "Admissions of supported residents aged 18-64 to residential/nursing care per "
                "10,000-population aged 65 and over.",
            ]
        )
        in text
    )
    c73 = row_of(text, "PAF C73").split(" | ")
    assert c73[-5:] == ["2006-07", "1.7", "Not set", "No RAG", "Improving"]
    for label, (first, second) in BANDS.items():
        assert row_of(text, label).split(" | ") == [label, str(first), str(second)]
    assert row_of(text, "Total").split(" | ") == ["Total", "21", "21"]


def test_the_plans_indicators_section_lists_the_units_indicators_with_their_rag(admin_client_):
    plan = Plan.objects.get(unit__code="AMH", year_id=2008)
    response = admin_client_.get(reverse("plans:table", args=[plan.pk, "indicators"]), follow=True)
    assert response.status_code == 200
    text = page_text(response)
    assert "Performance and activity indicators" in text
    target_52 = row_of(
        text, "Target 52: Increase the number of people supported to live independently in their own homes"
    )
    assert target_52.split(" | ")[1:] == ["No actual yet", "–", "Not set", "No RAG"]
    nursing = row_of(text, ACTIVITY[0][0])
    assert nursing.split(" | ")[1:] == ["No actual yet", "–", "194 (estimate, DRAFT)", "No expected range"]
    equality = row_of(text, "Achieve Level 3 by March 2008, Level 4 by March 2009, Level 5 by March 2010")
    assert equality.split(" | ")[1:] == ["No actual yet", "–", "4", "No RAG"]


# --- The activity baseline of the 2012 transformation blueprint ----------------------------------

BLUEPRINT = json.loads((SEEDS_DIR / "asc-activity-baseline-2012.json").read_text(encoding="utf-8"))
BLUEPRINT_TEXT = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "asc-transformation-blueprint-2012.md"


def test_every_blueprint_row_is_a_line_of_the_printed_table():
    if not BLUEPRINT_TEXT.exists():
        pytest.skip("The shared seeds are not next to the project.")
    lines = BLUEPRINT_TEXT.read_text(encoding="utf-8").splitlines()
    assert len(BLUEPRINT["indicators"]) == 28
    for row in BLUEPRINT["indicators"]:
        assert row["printed"] in lines, row["title"]


@pytest.mark.parametrize(
    ("title", "aggregation", "march_2011", "january_2012", "december_2012"),
    [
        ("Older Persons: Total Independent Residential permanent placements", "snapshot", "2,912", "2,849", "2,852"),
        ("Older Persons: Enablement clients", "cumulative", "3,729", "6,178", "5,860"),
        ("Learning Disability: Day care - KCC and Independent", "snapshot", "1,141", "873", ""),
        ("Mental Health: Supported Accommodation", "snapshot", "61", "74", "74"),
    ],
)
def test_the_blueprint_baseline_is_held_and_shown_as_printed(
    admin_client_, title, aggregation, march_2011, january_2012, december_2012
):
    activity = Indicator.objects.get(unit__code="KASS", title=title)
    assert (activity.kind, activity.aggregation) == ("activity", aggregation)
    actual = Actual.objects.get(indicator_year__indicator=activity)
    assert (actual.indicator_year.year_id, actual.value) == (2010, Decimal(march_2011.replace(",", "")))
    forecast = IndicatorYear.objects.get(indicator=activity, year_id=2011)
    assert forecast.forecast_outturn == Decimal(january_2012.replace(",", ""))
    text = page_text(admin_client_.get(reverse("performance:detail", args=[activity.pk])))
    # Figures by period: Period | Target | Actual | Floor | Expected range | Direction of travel
    assert row_of(text, "2010-11").split(" | ")[2] == march_2011
    assert row_of(text, "2011-12").split(" | ")[-1] == january_2012
    quoted = f"prints {december_2012};" if december_2012 else "is blank;"
    assert f"The column 'Client numbers based on Dec 2012 forecast' {quoted}" in text


def test_the_blueprints_expected_changes_are_kept_with_their_rows(loaded):
    enablement = Indicator.objects.get(unit__code="KASS", title="Physical Disability: Enablement Clients")
    assert "'the current upward trend in Enablement to increase further'" in enablement.source_note
    day_care = Indicator.objects.get(unit__code="KASS", title="Older Persons: Day care - KCC and Independent")
    assert "Expected change" not in day_care.source_note
