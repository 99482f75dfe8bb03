"""Load the indicator seeds in fixtures/seeds/ (transcriptions of the plans' indicator tables).

Idempotent: rows are matched on their natural keys (unit and reference, or unit and title where the
plan prints no reference; indicator and year; period; council; band) and written only when
something changed, so a second run writes nothing and adds no history records. Needs the units
and years first (exchange.seeds.load_all).
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from common.years import parse_financial_year
from organisation.models import Unit
from performance.models import Actual, BandCount, Comparator, Display, Indicator, IndicatorYear, Target
from performance.periods import PeriodKind, parse_code, year_period

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
SEED_FILES = ["amh-indicators-2008-09.json", "asc-activity-baseline-2012.json", "fsc-indicators-2013-14.json"]

INDICATOR_FIELDS = (
    "title",
    "definition",
    "measure",
    "polarity",
    "frequency",
    "kind",
    "aggregation",
    "strategic_link",
    "accountable_manager",
    "contribution",
    "contributors",
    "source_note",
)


def read_seed(name: str) -> dict:
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _decimal(text):
    return Decimal(text) if text not in (None, "") else None


def _save(model, lookup: dict, values: dict):
    """Create or update with full_clean; no write at all when nothing changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    obj = obj or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_indicators(data: dict) -> list[Indicator]:
    unit = Unit.objects.get(code=data["unit"]["code"], first_year_id=data["unit"]["first_year"])
    indicators = []
    for order, row in enumerate(data["indicators"], start=1):
        lookup = (
            {"unit": unit, "reference": row["reference"]} if row["reference"] else {"unit": unit, "title": row["title"]}
        )
        values = {name: row.get(name, "") for name in INDICATOR_FIELDS}
        values["display"] = row.get("display", Display.LATEST_AND_YEAR_TO_DATE)
        values["order"] = order
        indicator = _save(Indicator, lookup, values)
        for year_row in row["years"]:
            _load_year(indicator, year_row)
        indicators.append(indicator)
    if "bands" in data:
        _load_bands(unit, data["bands"])
    return indicators


def _load_year(indicator: Indicator, row: dict) -> None:
    year = parse_financial_year(row["year"])
    comparison = row.get("comparison")
    indicator_year = _save(
        IndicatorYear,
        {"indicator": indicator, "year_id": year},
        {
            "target_note": row.get("target_note", ""),
            "estimate": _decimal(row.get("estimate")),
            "estimate_note": row.get("estimate_note", ""),
            "forecast_outturn": _decimal(row.get("forecast_outturn")),
            "source_note": row.get("year_note", ""),
        },
    )
    period = {"period": PeriodKind.YEAR, "period_start": year_period(year, indicator.year_basis).start}
    if "actual" in row:
        _save(
            Actual,
            {"indicator_year": indicator_year, **period},
            {
                "value": Decimal(row["actual"]),
                "numerator": _decimal(row.get("numerator")),
                "denominator": _decimal(row.get("denominator")),
                "source_note": row["note"],
            },
        )
    if "target" in row:
        _save(
            Target,
            {"indicator_year": indicator_year, **period},
            {"value": Decimal(row["target"]), "source_note": row["note"]},
        )
    for figure in row.get("periods", []):
        _load_period(indicator_year, figure)
    if comparison:
        for order, council in enumerate(comparison["councils"], start=1):
            _save(
                Comparator,
                {"indicator_year": indicator_year, "council": council["council"]},
                {
                    "value": Decimal(council["value"]),
                    "is_own_council": council["own"],
                    "order": order,
                    "source_note": comparison["note"] if order == 1 else "",
                },
            )


def _load_period(indicator_year: IndicatorYear, row: dict) -> None:
    """A month's (quarter's, term's) actual and target: {"period": "2013-09", "actual": "19", "note": …,
    "numerator", "denominator", "target", "target_note"}."""
    period = parse_code(row["period"])
    where = {"indicator_year": indicator_year, "period": period.kind, "period_start": period.start}
    if "actual" in row:
        _save(
            Actual,
            where,
            {
                "value": Decimal(row["actual"]),
                "numerator": _decimal(row.get("numerator")),
                "denominator": _decimal(row.get("denominator")),
                "source_note": row["note"],
            },
        )
    if "target" in row:
        _save(Target, where, {"value": Decimal(row["target"]), "source_note": row["target_note"]})


def _load_bands(unit: Unit, bands: dict) -> None:
    for year_label, printed_total in bands["printed_totals"].items():
        total = sum(int(row["counts"][year_label]) for row in bands["rows"])
        if total != int(printed_total):
            raise ValueError(f"The band counts of {year_label} add up to {total}, not the printed {printed_total}.")
    for row in bands["rows"]:
        for year_label, count in row["counts"].items():
            _save(
                BandCount,
                {"unit": unit, "year_id": parse_financial_year(year_label), "band": row["band"]},
                {"label": row["label"], "count": int(count), "source_note": bands["note"]},
            )


def load_indicator_file(data: dict) -> list[Indicator]:
    """A seed file of one unit's indicators, or of several units' ("groups", each with its unit)."""
    if "groups" in data:
        return [indicator for group in data["groups"] for indicator in load_indicators(group)]
    return load_indicators(data)


def load_indicator_seeds() -> int:
    """Every indicator seed file; returns the number of indicators they hold."""
    return sum(len(load_indicator_file(read_seed(name))) for name in SEED_FILES)
