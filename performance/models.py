"""Performance and activity indicators (section F of a plan): targets, floors, actuals, commentary,
expected ranges of activity, comparator councils and legacy bands.

Everything an indicator holds for one year hangs off its IndicatorYear; targets, actuals and
commentary are per period, held as the period's kind and first day (performance/periods.py).
The alert rules are in performance/rag.py; models only hold the figures.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from performance.aggregation import Aggregation
from performance.periods import START_MONTHS, Period, PeriodKind, YearBasis
from performance.rag import Polarity, Rag

FIGURE = {"max_digits": 14, "decimal_places": 4}


class MeasureUnit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE_1000 = "rate_1000", "Rate per 1,000 population"
    RATE_10000 = "rate_10000", "Rate per 10,000 population"
    MONEY = "money", "£"
    LEVEL = "level", "Level"


# The multiplier that turns a numerator over a denominator into the indicator's figure.
SCALES = {
    MeasureUnit.PERCENTAGE: 100,
    MeasureUnit.RATE_1000: 1000,
    MeasureUnit.RATE_10000: 10000,
}


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    TERMLY = "termly", "Termly"
    ANNUAL = "annual", "Annual"


FREQUENCY_PERIOD = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.TERMLY: PeriodKind.TERM,
    Frequency.ANNUAL: PeriodKind.YEAR,
}


class IndicatorKind(models.TextChoices):
    PERFORMANCE = "performance", "Performance indicator"
    ACTIVITY = "activity", "Activity indicator"


class Contribution(models.TextChoices):
    LEAD = "lead", "Lead for target"
    SUPPORT = "support", "Support for target"


class Display(models.TextChoices):
    """How dashboards show an indicator's figures (FSC mid-year monitoring report, 5 December 2013,
    paragraph 3.4: "shown either with the latest available month and a year to date figure, or where
    appropriate as a rolling 12 month figure"). performance/kpi.py works the figures out."""

    LATEST_AND_YEAR_TO_DATE = "latest_ytd", "Latest month and year to date"
    ROLLING_12_MONTHS = "rolling_12", "Rolling 12 months"


class IndicatorQuerySet(models.QuerySet):
    def with_figures(self):
        """Every figure of every year, for the pages that work out RAG and trends (fixed query count)."""
        return self.select_related("unit", "owner").prefetch_related(
            "years__targets", "years__actuals", "years__expected_ranges", "years__commentaries"
        )


class Indicator(models.Model):
    """A performance or activity indicator of a unit, such as PAF C73 or NI 130."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The directorate, division or service unit that reports this indicator.",
    )
    reference = models.CharField(
        max_length=100,
        blank=True,
        help_text=(
            "As printed, for example NI 130, PAF D40 BVPI 55, C72 or Target 52 (of Towards 2010). Leave blank where "
            "the plan prints none."
        ),
    )
    title = models.CharField(max_length=500, help_text="The indicator's name as printed.")
    definition = models.TextField(blank=True, help_text="What is counted, and how, where the plan says.")
    measure = models.CharField(
        "unit of measure",
        max_length=20,
        choices=MeasureUnit.choices,
        default=MeasureUnit.COUNT,
        help_text="Count, percentage, rate per 1,000 or 10,000 population, pounds, or a level.",
    )
    polarity = models.CharField(
        max_length=10,
        choices=Polarity.choices,
        blank=True,
        help_text=(
            "Which way is good. 'None (data only)' means no RAG is ever shown. Leave blank where the "
            "source does not say: no RAG is worked out then either."
        ),
    )
    frequency = models.CharField(
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.ANNUAL,
        help_text="How often figures are reported; the entry page asks for a figure this often.",
    )
    year_basis = models.CharField(
        max_length=20,
        choices=YearBasis.choices,
        default=YearBasis.FINANCIAL,
        help_text="Termly indicators (schools) run by academic year; the rest by financial year.",
    )
    kind = models.CharField(
        max_length=20,
        choices=IndicatorKind.choices,
        default=IndicatorKind.PERFORMANCE,
        help_text="Performance indicators have targets and a RAG; activity indicators an expected range.",
    )
    aggregation = models.CharField(
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.SNAPSHOT,
        help_text=(
            "How periods add up to a year to date or rolling 12 months: a snapshot takes the latest figure "
            "(clients on a date), cumulative adds them up (admissions in the year), a ratio is recomputed "
            "from numerators and denominators (percentages and rates)."
        ),
    )
    display = models.CharField(
        "shown on dashboards as",
        max_length=20,
        choices=Display.choices,
        default=Display.LATEST_AND_YEAR_TO_DATE,
        help_text=(
            "The latest month with a year to date figure, or a rolling 12 month figure (for example for "
            "re-referrals within 12 months). Indicators reported once a year show their yearly figure either way."
        ),
    )
    accountable_manager = models.CharField(
        max_length=300, blank=True, help_text="As printed: one or several names or roles."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_indicators",
        help_text="The user emailed when a figure of this indicator turns red.",
    )
    strategic_link = models.CharField(
        max_length=300,
        blank=True,
        help_text="The strategic framework it reports to, for example Towards 2010, National Indicator, LAA2.",
    )
    contribution = models.CharField(
        max_length=20,
        choices=Contribution.choices,
        blank=True,
        help_text="Whether the unit leads or supports the corporate or national target, where the plan says.",
    )
    contributors = models.CharField(
        max_length=500, blank=True, help_text="Officers named as leading or supporting the target, as printed."
    )
    priority = models.ForeignKey(
        "plans.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The plan priority this indicator measures, where a plan says so.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the unit's list, as printed.")
    source_note = models.TextField(
        blank=True, help_text="Where the facts come from, what is printed exactly, and what is reconstructed."
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "order", "reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "reference"],
                condition=~Q(reference=""),
                name="indicator_reference_unique_in_unit",
                violation_error_message="This unit already has an indicator with this reference.",
            ),
            models.UniqueConstraint(
                fields=["unit", "title"],
                name="indicator_title_unique_in_unit",
                violation_error_message="This unit already has an indicator with this title.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="activity") | Q(polarity__in=["none", ""]),
                name="indicator_activity_has_no_polarity",
                violation_error_message="Activity indicators have an expected range, not a polarity: choose None.",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="termly") | Q(year_basis="academic"),
                name="indicator_termly_is_academic",
                violation_error_message="Termly indicators run by academic year.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.reference}: {self.title}" if self.reference else self.title

    @property
    def short_label(self) -> str:
        """The reference, or the start of the title where the plan prints no reference."""
        return self.reference or (self.title if len(self.title) <= 40 else self.title[:39] + "…")

    @property
    def scale(self) -> int:
        return SCALES.get(self.measure, 1)

    @property
    def period_kind(self) -> str:
        return FREQUENCY_PERIOD[self.frequency]

    @property
    def is_rated(self) -> bool:
        return self.polarity in (Polarity.HIGHER, Polarity.LOWER)


class IndicatorYear(models.Model):
    """What an indicator holds for one year: floor, previous outturn, benchmark, targets' notes."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="years")
    year = models.ForeignKey(
        "common.FinancialYear",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The financial year (or, for academic-year indicators, the academic year starting that year).",
    )
    floor = models.DecimalField(
        "floor standard",
        null=True,
        blank=True,
        **FIGURE,
        help_text="The minimum performance standard: below it (above it, when lower is better) is red.",
    )
    previous_outturn = models.DecimalField(
        null=True, blank=True, **FIGURE, help_text="The previous year's outturn as the plan prints it."
    )
    benchmark = models.DecimalField(
        "comparative benchmark", null=True, blank=True, **FIGURE, help_text="For example the England average."
    )
    benchmark_note = models.CharField(max_length=300, blank=True, help_text="What the benchmark is, as printed.")
    target_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where no target figure is set, what the plan says instead: 'to be set July 2009', 'N/A'.",
    )
    relative_target_percent = models.DecimalField(
        "relative target (%)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=(
            "For a target written relative to the last outturn: 5 for '+5%', -5 for '-5%'. Used when no annual "
            "target figure is set; the figure is worked out from the previous outturn."
        ),
    )
    estimate = models.DecimalField(
        "estimated activity level",
        null=True,
        blank=True,
        **FIGURE,
        help_text="For activity indicators: the level the plan budgets for (its 'estimate').",
    )
    estimate_note = models.CharField(max_length=200, blank=True, help_text="For example DRAFT, or N/A as printed.")
    forecast_outturn = models.DecimalField(
        null=True, blank=True, **FIGURE, help_text="A forecast of the year's outturn, where the plan prints one."
    )
    band = models.PositiveSmallIntegerField(
        "legacy band",
        null=True,
        blank=True,
        help_text="The Band 1 (investigate urgently) to Band 5 (optimum) rating, where a source gives it.",
    )
    source_note = models.TextField(blank=True, help_text="Where the year's figures come from, and anything unclear.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicator_year_once",
                violation_error_message="This indicator already has figures for this year.",
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=True) | Q(band__gte=1, band__lte=5),
                name="indicator_year_band_1_to_5",
                violation_error_message="Bands run from 1 to 5.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.short_label} {self.year}"


class PeriodFigure(models.Model):
    """A row for one period of an indicator's year: a target, an actual or a commentary."""

    period = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(
        help_text=(
            "The first day of the period: the 1st of the month; for a quarter 1 April, July, October or "
            "January; for a term 1 September, January or April; for a year 1 April (or 1 September)."
        )
    )

    class Meta:
        abstract = True

    @classmethod
    def period_constraints(cls, prefix: str) -> list:
        valid_start = Q()
        for kind, months in START_MONTHS.items():
            valid_start |= Q(period=kind, period_start__month__in=list(months))
        return [
            models.UniqueConstraint(
                fields=["indicator_year", "period", "period_start"],
                name=f"{prefix}_once_per_period",
                violation_error_message="There is already one for this period.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1) & valid_start,
                name=f"{prefix}_period_start_valid",
                violation_error_message="A period starts on the first day of one of its possible months.",
            ),
        ]

    @property
    def period_obj(self) -> Period:
        return Period(self.period_start, self.period)

    def clean(self):
        super().clean()
        if not (self.period and self.period_start):
            return
        try:
            period = self.period_obj
        except ValueError as error:
            raise ValidationError({"period_start": str(error)}) from error
        if self.indicator_year_id and period.year_start != self.indicator_year.year_id:
            raise ValidationError({"period_start": f"{period} is not in {self.indicator_year.year}."})


class Target(PeriodFigure):
    indicator_year = models.ForeignKey(IndicatorYear, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(**FIGURE, help_text="The target figure for the period.")
    source_note = models.TextField(blank=True, help_text="Where the target comes from, as printed.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_year", "period_start", "period", "id"]
        constraints = PeriodFigure.period_constraints("target")

    def __str__(self):
        return f"Target for {self.indicator_year.indicator.short_label}, {self.period_obj}: {self.value}"


class Actual(PeriodFigure):
    indicator_year = models.ForeignKey(IndicatorYear, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(**FIGURE, help_text="The figure for the period.")
    numerator = models.DecimalField(
        null=True, blank=True, **FIGURE, help_text="For a percentage or rate: the count above the line."
    )
    denominator = models.DecimalField(
        null=True, blank=True, **FIGURE, help_text="For a percentage or rate: the count below the line."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    source_note = models.TextField(
        blank=True, help_text="Where the figure comes from; for a derived figure, how it was worked out."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_year", "period_start", "period", "id"]
        constraints = [
            *PeriodFigure.period_constraints("actual"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="actual_denominator_positive",
                violation_error_message="The denominator must be more than 0.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="actual_numerator_with_denominator",
                violation_error_message="Give both the numerator and the denominator, or neither.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_year.indicator.short_label}, {self.period_obj}: {self.value}"


class Commentary(PeriodFigure):
    """What committee members ask for beside every amber or red: what, why, and what is being done."""

    indicator_year = models.ForeignKey(IndicatorYear, on_delete=models.CASCADE, related_name="commentaries")

    what_is_happening = models.TextField("what is happening", blank=True)
    why = models.TextField("why", blank=True)
    what_is_being_done = models.TextField("what is being done about it", blank=True)
    forecast_rag = models.CharField(
        "forecast year-end RAG",
        max_length=10,
        choices=[choice for choice in Rag.choices if choice[0] != Rag.NONE],
        blank=True,
        help_text="The officer's forecast for the year end, shown apart from the current RAG.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_year", "period_start", "period", "id"]
        verbose_name_plural = "commentaries"
        constraints = PeriodFigure.period_constraints("commentary")

    def __str__(self):
        return f"Commentary on {self.indicator_year.indicator.short_label}, {self.period_obj}"

    @property
    def is_empty(self) -> bool:
        return not (self.what_is_happening or self.why or self.what_is_being_done or self.forecast_rag)


class ExpectedRange(models.Model):
    """The lower and upper threshold of an activity indicator for one quarter of the year."""

    indicator_year = models.ForeignKey(IndicatorYear, on_delete=models.CASCADE, related_name="expected_ranges")
    quarter = models.PositiveSmallIntegerField(help_text="1 (April to June) to 4 (January to March).")
    lower = models.DecimalField("lower threshold", null=True, blank=True, **FIGURE)
    upper = models.DecimalField("upper threshold", null=True, blank=True, **FIGURE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_year", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_year", "quarter"],
                name="expected_range_once_per_quarter",
                violation_error_message="This year already has an expected range for this quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="expected_range_quarter_1_to_4",
                violation_error_message="Quarters run from 1 to 4.",
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(upper__isnull=True) | Q(upper__gte=F("lower")),
                name="expected_range_upper_not_below_lower",
                violation_error_message="The upper threshold cannot be below the lower threshold.",
            ),
        ]

    def __str__(self):
        return f"Expected range of {self.indicator_year}, Q{self.quarter}"


class Comparator(models.Model):
    """The same indicator for a comparator council in a year (benchmarking)."""

    indicator_year = models.ForeignKey(IndicatorYear, on_delete=models.CASCADE, related_name="comparators")
    council = models.CharField(max_length=100, help_text="As printed, for example Gloucs or West Sussex.")
    value = models.DecimalField(**FIGURE)
    is_own_council = models.BooleanField(
        "this council", default=False, help_text="Tick for the council's own figure (Kent), so its position is stated."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Column position as printed.")
    source_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_year", "order", "council", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_year", "council"],
                name="comparator_council_once",
                violation_error_message="This council already has a figure for this indicator and year.",
            ),
            models.UniqueConstraint(
                fields=["indicator_year"],
                condition=Q(is_own_council=True),
                name="comparator_one_own_council",
                violation_error_message="Only one council can be this council.",
            ),
        ]

    def __str__(self):
        return f"{self.council}: {self.indicator_year}"


class BandCount(models.Model):
    """How many of a unit's indicators fell in each legacy performance band in a year."""

    class Band(models.TextChoices):
        BAND_1 = "1", "Band 1 – Investigate urgently"
        BAND_2 = "2", "Band 2 – Ask Questions about performance"
        BAND_3 = "3", "Band 3 – ACCEPTABLE performance"
        BAND_4 = "4", "Band 4 – GOOD performance"
        BAND_5 = "5", "Band 5 – OPTIMUM Performance"
        NOT_BANDED = "not_banded", "Not banded"

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="band_counts")
    year = models.ForeignKey("common.FinancialYear", on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=20, choices=Band.choices)
    label = models.CharField(
        max_length=100, blank=True, help_text="The row's label as printed, for example 'CSCI not banded'."
    )
    count = models.PositiveSmallIntegerField(help_text="Number of indicators in the band that year.")
    source_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "year", "band", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "band"],
                name="band_count_once",
                violation_error_message="This unit already has a count for this band and year.",
            )
        ]

    def __str__(self):
        return f"{self.unit.code} {self.year}: {self.get_band_display()} – {self.count}"
