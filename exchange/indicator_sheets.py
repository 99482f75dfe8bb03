"""Section F in the plan workbook: the indicators of the plan's unit, with their targets and actuals for
the plan's year (performance app).

Indicators belong to a unit, not to one plan (every version of a unit's plan shows the same ones), so
importing these sheets into any plan of the unit changes the unit's indicators. An indicator is matched
on its title (unique in its unit), a target or actual on its indicator, period and period start. The
Floor column is the indicator's floor in the plan's year. A target or actual may name an indicator
that the Indicators sheet of the same file adds.
"""

from django.core.exceptions import ValidationError

from exchange.sheets import SOURCE_NOTE_HELP, Column, Existing, ModelSheet, register
from performance.aggregation import Aggregation
from performance.models import Actual, Frequency, Indicator, IndicatorKind, IndicatorYear, MeasureUnit, Target
from performance.periods import PeriodKind, YearBasis
from performance.rag import Polarity
from plans.models import TableKind

SOURCE_NOTE = Column("Note on the source", "source_note", help=SOURCE_NOTE_HELP)


@register
class IndicatorsSheet(ModelSheet):
    key = "indicators"
    title = "Indicators"
    order = 107
    model = Indicator
    noun = "indicator"
    table_kind = TableKind.INDICATORS
    description = (
        "Section F: the unit's performance and activity indicators (they belong to the unit, so every plan of the "
        "unit shows them). Floor is the figure below which the indicator is red in the plan's year."
    )
    columns = (
        Column("Title", "title", "short_text", key=True, help="The indicator's name as printed."),
        Column("Reference", "reference", "code", help="As printed, for example NI 130."),
        Column("Definition", "definition", "text"),
        Column("Measure", "measure", "choice", choices=tuple(MeasureUnit.choices)),
        Column("Polarity", "polarity", "choice", choices=tuple(Polarity.choices)),
        Column("Frequency", "frequency", "choice", choices=tuple(Frequency.choices)),
        Column("Year basis", "year_basis", "choice", choices=tuple(YearBasis.choices)),
        Column("Kind", "kind", "choice", choices=tuple(IndicatorKind.choices)),
        Column("Aggregation", "aggregation", "choice", choices=tuple(Aggregation.choices)),
        Column("Accountable manager", "accountable_manager", "short_text"),
        Column("Strategic link", "strategic_link", "short_text"),
        Column("Floor", "floor", "number", help="In the plan's year."),
        SOURCE_NOTE,
    )
    m2m = ("floor",)  # written to the indicator's year, after the indicator

    def _rows(self, unit_id, year_id) -> list[tuple]:
        """(indicator, values) of the unit's indicators, the floor of the given year: two queries."""
        result = []
        for obj in Indicator.objects.filter(unit_id=unit_id).prefetch_related("years"):
            values = self.from_model(obj)
            year = next((y for y in obj.years.all() if y.year_id == year_id), None)
            values["floor"] = year.floor if year else None
            result.append((obj, values))
        return result

    def export_rows(self, plan):
        return [values for _, values in self._rows(plan.unit_id, plan.year_id)]

    def existing(self, ctx):
        if ctx.unit is None:
            return {}
        return {self.row_key(values): Existing(obj, values) for obj, values in self._rows(ctx.unit.pk, ctx.year)}

    def new_instance(self, key, ctx):
        return Indicator(unit=ctx.unit, title=key[0])

    def from_model(self, obj) -> dict:
        values = super().from_model(obj)
        for column in self.columns:
            if column.kind == "choice" and values.get(column.field) == "":
                values[column.field] = None  # as a blank cell reads
        return values

    def resolve(self, row, ctx):
        for name in ("measure", "frequency", "year_basis", "kind", "aggregation"):
            if name in row.values and not row.values[name]:
                row.values[name] = Indicator._meta.get_field(name).default  # blank: the model's default

    def to_model(self, values):
        attributes = super().to_model(values)
        if "polarity" in attributes and attributes["polarity"] is None:
            attributes["polarity"] = ""
        return attributes

    def after_save(self, obj, change, ctx):
        if "floor" in change.values:
            year = IndicatorYear.objects.filter(indicator=obj, year_id=ctx.year).first()
            if year is None:
                if change.values["floor"] is None:
                    return  # nothing to hold for the year yet
                year = IndicatorYear(indicator=obj, year_id=ctx.year)
            year.floor = change.values["floor"]
            year.full_clean()
            year.save()


class _PeriodSheet(ModelSheet):
    """Targets or actuals of the unit's indicators in the plan's year."""

    table_kind = TableKind.INDICATORS
    model = None

    def queryset(self, plan):
        return (
            self.model.objects.filter(
                indicator_year__indicator__unit_id=plan.unit_id, indicator_year__year_id=plan.year_id
            )
            .select_related("indicator_year__indicator")
            .order_by("indicator_year__indicator__order", "indicator_year__indicator__title", "period_start", "period")
        )

    def from_model(self, obj) -> dict:
        values = super().from_model(obj)
        values["indicator"] = obj.indicator_year.indicator.title
        return values

    def existing(self, ctx):
        if ctx.unit is None:
            return {}
        found = {}
        rows = self.model.objects.filter(
            indicator_year__indicator__unit=ctx.unit, indicator_year__year_id=ctx.year
        ).select_related("indicator_year__indicator")
        for obj in rows:
            values = self.from_model(obj)
            found[self.row_key(values)] = Existing(obj, values)
        return found

    def to_model(self, values):
        return {name: value for name, value in super().to_model(values).items() if name != "indicator"}

    def check(self, row, merged, ctx):
        title = row.values.get("indicator")
        in_unit = ctx._once(
            "indicator_titles",
            lambda: set(Indicator.objects.filter(unit=ctx.unit).values_list("title", flat=True)) if ctx.unit else set(),
        )
        titles = in_unit | {key[0] for key in ctx.known_keys("indicators")}
        if title and title not in titles:
            row.problem(
                self,
                "indicator",
                f"The unit has no indicator “{title}”: add it to the Indicators sheet, or correct the title.",
            )

    def validate(self, row, existing, merged, ctx):
        obj = self.model(**self.to_model(merged))
        try:
            obj.full_clean(exclude=["indicator_year", "entered_by"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.add_validation_problems(row, error)

    def new_instance(self, key, ctx):
        return self.model()

    def before_save(self, obj, change, ctx):
        if obj.indicator_year_id is None:
            title = change.key[0]
            indicator = Indicator.objects.get(unit=ctx.unit, title=title)
            obj.indicator_year, _ = IndicatorYear.objects.get_or_create(indicator=indicator, year_id=ctx.year)
            obj.period, obj.period_start = change.key[1], change.key[2]
        if self.model is Actual and ctx.user is not None:
            obj.entered_by = ctx.user


_INDICATOR = Column(
    "Indicator", "indicator", "short_text", key=True, help="The indicator's title, as on the Indicators sheet."
)
_PERIOD = Column("Period", "period", "choice", key=True, choices=tuple(PeriodKind.choices))
_START = Column(
    "Period start", "period_start", "month", key=True, help="The period's first month, for example April 2013."
)


@register
class IndicatorTargetsSheet(_PeriodSheet):
    key = "indicator_targets"
    title = "Indicator targets"
    order = 108
    model = Target
    noun = "target"
    description = "Section F: the targets of the unit's indicators in the plan's year, one row per period."
    columns = (_INDICATOR, _PERIOD, _START, Column("Target", "value", "number"), SOURCE_NOTE)


@register
class IndicatorActualsSheet(_PeriodSheet):
    key = "indicator_actuals"
    title = "Indicator actuals"
    order = 109
    model = Actual
    noun = "actual"
    description = (
        "Section F: the actual figures of the unit's indicators in the plan's year, one row per period; for a "
        "percentage or rate, its numerator and denominator too."
    )
    columns = (
        _INDICATOR,
        _PERIOD,
        _START,
        Column("Actual", "value", "number"),
        Column("Numerator", "numerator", "number"),
        Column("Denominator", "denominator", "number"),
        SOURCE_NOTE,
    )
