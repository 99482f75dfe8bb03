"""Section D of a plan: financial and human resources.

Money is held in £'000 to one decimal place (Decimal, never float); a blank is None, not 0.0.
Gross, controllable and net figures are never stored for a line or a total: derivations.py works
them out. Where a printed plan prints a derived figure, it is kept in a `printed_…` field (lines) or
a PrintedTotal row (subtotals and totals) so that the app can report where the print disagrees.

A plan's budget table is drawn in its template's column set: the 2008/9 operating plans and the
2013-14 divisional plans print different columns, held as data (ColumnSet, Column), not as code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from budgets.figures import FIGURES, KEYED_FIGURES

MONEY_HELP = "In £'000 to one decimal place, for example 1234.5. Leave blank where the plan prints nothing."
INCOME_HELP = "In £'000, as a negative figure, for example -1217.3. Leave blank where the plan prints nothing."
FTE_HELP = "Full-time equivalent posts, to two decimal places at most. Leave blank where the plan prints nothing."


def money_field(verbose_name, help_text=MONEY_HELP):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=1, null=True, blank=True, help_text=help_text
    )


def fte_field(verbose_name):
    return models.DecimalField(verbose_name, max_digits=8, decimal_places=2, null=True, blank=True, help_text=FTE_HELP)


class ColumnSet(models.Model):
    """The columns of a template's budget table, in the council's order."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True, help_text="For example Unit operating plan 2008/9.")
    description = models.TextField(blank=True, help_text="Which plans use these columns.")
    source_note = models.TextField(
        blank=True, help_text="Where the printed template is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "budget column set"

    def __str__(self):
        return self.name


class Column(models.Model):
    class Field(models.TextChoices):
        NAME = "name", "Budget line, area or unit (code and name)"
        RESPONSIBLE_MANAGER = "responsible_manager", "Responsible manager"
        CABINET_MEMBER = "cabinet_member", "Cabinet member"
        PREVIOUS_CONTROLLABLE = "previous_controllable", "Previous year's controllable expenditure"
        PREVIOUS_FTE = "previous_fte", "Previous year's FTE"
        FTE = "fte", "FTE"
        EMPLOYEE_COSTS = "employee_costs", "Employee costs"
        RUNNING_COSTS = "running_costs", "Running costs"
        CONTRACTS = "contracts", "Contracts & projects"
        TRANSFER_PAYMENTS = "transfer_payments", "Transfer payments & recharges"
        STAFFING = "staffing", "Staffing"
        NON_STAFFING = "non_staffing", "Non-staffing"
        GROSS = "gross", "Gross expenditure (derived)"
        EXTERNAL_INCOME = "external_income", "External income"
        INTERNAL_INCOME = "internal_income", "Internal income"
        CONTROLLABLE = "controllable", "Controllable expenditure (derived)"
        CONTROLLABLE_CHANGE = "controllable_change", "Change in controllable expenditure (derived)"
        SERVICE_INCOME = "service_income", "Service income"
        NET_EXPENDITURE = "net_expenditure", "Net expenditure (derived)"
        GOVERNMENT_GRANTS = "government_grants", "Government grants"
        NET_COST = "net_cost", "Net cost (derived)"

    class Year(models.TextChoices):
        NONE = "", "No year"
        PREVIOUS = "previous", "Previous year"
        CURRENT = "current", "The plan's year"

    column_set = models.ForeignKey(ColumnSet, on_delete=models.CASCADE, related_name="columns")
    order = models.PositiveSmallIntegerField(help_text="Position from the left, from 1.")
    field = models.CharField(max_length=30, choices=Field.choices, help_text="Which figure the column shows.")
    heading = models.CharField(max_length=100, help_text="As printed, for example Transfer Payments & Recharges.")
    unit = models.CharField(max_length=20, blank=True, help_text="Printed under the heading, for example £'000.")
    year = models.CharField(
        max_length=10,
        choices=Year.choices,
        blank=True,
        default=Year.NONE,
        help_text="The year printed above the column (2007-08 over the previous year's columns of a 2008-09 plan).",
    )
    printed = models.BooleanField(
        default=True,
        help_text="Untick for a column the council's template does not print but the app adds, "
        "such as the change from the previous year.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["column_set", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["column_set", "order"],
                name="budget_column_order_unique",
                violation_error_message="Two columns of a column set cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["column_set", "field"],
                name="budget_column_field_once",
                violation_error_message="A column set shows each figure once.",
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="budget_column_order_positive",
                violation_error_message="Positions start at 1.",
            ),
        ]

    def __str__(self):
        return f"{self.column_set}: {self.order}. {self.heading}"

    @property
    def figure(self):
        return FIGURES[self.field]


class TemplateColumnSet(models.Model):
    """Which column set a plan template's budget table is drawn in."""

    template = models.OneToOneField("plans.PlanTemplate", on_delete=models.CASCADE, related_name="budget_columns")
    column_set = models.ForeignKey(ColumnSet, on_delete=models.PROTECT, related_name="template_links")

    class Meta:
        ordering = ["column_set", "template", "id"]
        verbose_name = "template using the column set"
        verbose_name_plural = "templates using the column set"

    def __str__(self):
        return f"{self.template} uses {self.column_set}"


class BudgetCategory(models.Model):
    """A heading of a plan's budget table with a subtotal below its lines: "Residential Care"."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="budget_categories")
    order = models.PositiveSmallIntegerField(help_text="Position in the table, from 1.")
    name = models.CharField(max_length=200, help_text="The heading as printed, for example Residential Care.")
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name_plural = "budget categories"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="budget_category_order_unique",
                violation_error_message="Two categories of a plan's budget cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="budget_category_name_unique",
                violation_error_message="This plan's budget already has a category with this name.",
            ),
        ]

    def __str__(self):
        return self.name


class BudgetFigures(models.Model):
    """The figures an officer keys (or a transcription copies) for a budget line."""

    previous_controllable = money_field("previous year's controllable expenditure")
    previous_fte = fte_field("previous year's FTE")
    fte = fte_field("FTE")
    employee_costs = money_field("employee costs")
    running_costs = money_field("running costs")
    contracts = money_field("contracts & projects")
    transfer_payments = money_field("transfer payments & recharges")
    external_income = money_field("external income", INCOME_HELP)
    internal_income = money_field("internal income", INCOME_HELP)
    staffing = money_field("staffing", "2013-14 divisional plans: staffing costs in £'000.")
    non_staffing = money_field("non-staffing", "2013-14 divisional plans: other costs in £'000.")
    service_income = money_field("service income", INCOME_HELP)
    government_grants = money_field("government grants", INCOME_HELP)

    class Meta:
        abstract = True

    def keyed_figures(self) -> dict:
        return {name: getattr(self, name) for name in KEYED_FIGURES}


def _income_not_positive(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 0}),
        name=f"budget_line_{name}_not_positive",
        violation_error_message=f"{FIGURES[name].label} is held as a negative figure, for example -1217.3.",
    )


class BudgetLine(BudgetFigures):
    """A line of a plan's budget table: a cost code, an organisational area or a memorandum item."""

    class Kind(models.TextChoices):
        COST_CODE = "cost_code", "Budget line (cost code)"
        AREA = "area", "Organisational area or unit"
        MEMORANDUM = "memorandum", "Memorandum item (below the total)"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="budget_lines")
    category = models.ForeignKey(
        BudgetCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        help_text="Blank for memorandum items and for tables without categories (areas, divisional units).",
    )
    order = models.PositiveSmallIntegerField(
        help_text="Position in the table, from 1; lines show under their category."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COST_CODE)
    code = models.CharField(max_length=20, blank=True, help_text="The cost code as printed, for example 44B.")
    name = models.CharField(
        max_length=200, help_text="As printed after the code, for example Ind Sect Res Care, or East Kent."
    )
    responsible_manager = models.CharField(max_length=200, blank=True)
    cabinet_member = models.CharField(
        max_length=20, blank=True, help_text="The portfolio holder's initials as printed, for example KL."
    )
    printed_gross = money_field(
        "gross expenditure as printed",
        "Only when transcribing a printed plan: the gross expenditure it prints, checked against the sum.",
    )
    printed_controllable = money_field(
        "controllable expenditure as printed",
        "Only when transcribing a printed plan: the controllable expenditure it prints, checked against the sum.",
    )
    printed_net_expenditure = money_field("net expenditure as printed", "Only when transcribing a printed plan.")
    printed_net_cost = money_field("net cost as printed", "Only when transcribing a printed plan.")
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="budget_line_order_unique",
                violation_error_message="Two lines of a plan's budget cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["plan", "code", "name"],
                name="budget_line_unique_in_plan",
                violation_error_message="This plan's budget already has a line with this code and name.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="memorandum") | Q(category__isnull=True),
                name="budget_line_memorandum_without_category",
                violation_error_message="A memorandum item sits below the total, outside the categories.",
            ),
            models.CheckConstraint(
                condition=(Q(fte__isnull=True) | Q(fte__gte=0))
                & (Q(previous_fte__isnull=True) | Q(previous_fte__gte=0)),
                name="budget_line_fte_not_negative",
                violation_error_message="FTE cannot be negative.",
            ),
            *(
                _income_not_positive(name)
                for name in ("external_income", "internal_income", "service_income", "government_grants")
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """Code and name as printed: 44B Ind Sect Res Care."""
        return f"{self.code} {self.name}".strip()

    def printed_figures(self) -> dict:
        return {
            "gross": self.printed_gross,
            "controllable": self.printed_controllable,
            "net_expenditure": self.printed_net_expenditure,
            "net_cost": self.printed_net_cost,
        }

    def clean(self):
        if self.category_id and self.plan_id and self.category.plan_id != self.plan_id:
            raise ValidationError({"category": "This category belongs to another plan's budget."})


class PrintedTotal(BudgetFigures):
    """A subtotal or total row exactly as a printed plan prints it, kept to check the arithmetic.

    The app never shows these figures as the total: it works totals out from the lines, and reports
    every figure where the print differs (derivations.check_printed).
    """

    class Kind(models.TextChoices):
        SUBTOTAL = "subtotal", "Category subtotal"
        TOTAL = "total", "Total (above the memorandum items)"
        TOTAL_COST = "total_cost", "Total cost of unit (with the memorandum items)"
        STAFFING_TOTAL = "staffing_total", "Staffing total"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="printed_budget_totals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.OneToOneField(
        BudgetCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="printed_subtotal",
        help_text="The category of a subtotal; blank for the other totals.",
    )
    label = models.CharField(max_length=200, help_text="As printed, for example TOTAL RESIDENTIAL CARE.")
    gross = money_field("gross expenditure", "As printed.")
    controllable = money_field("controllable expenditure", "As printed.")
    net_expenditure = money_field("net expenditure", "As printed.")
    net_cost = money_field("net cost", "As printed.")
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "kind", "category__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="subtotal", category__isnull=False) | (~Q(kind="subtotal") & Q(category__isnull=True)),
                name="printed_total_category_for_subtotals_only",
                violation_error_message="A subtotal belongs to a category; the other totals to none.",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=~Q(kind="subtotal"),
                name="printed_total_once_per_plan",
                violation_error_message="This plan already has this printed total.",
            ),
        ]

    def __str__(self):
        return f"{self.label} (as printed)"

    def printed_figures(self) -> dict:
        return {
            **self.keyed_figures(),
            "gross": self.gross,
            "controllable": self.controllable,
            "net_expenditure": self.net_expenditure,
            "net_cost": self.net_cost,
        }

    def clean(self):
        if self.category_id and self.plan_id and self.category.plan_id != self.plan_id:
            raise ValidationError({"category": "This category belongs to another plan's budget."})


class StaffingLine(models.Model):
    """Staffing of a team or grade band for the previous and the plan's year (FTE)."""

    class Kind(models.TextChoices):
        TEAM = "team", "Team"
        GRADE_BAND = "grade_band", "Grade band"
        OF_WHICH = "of_which", "Of which (included in the total, not added to it)"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="staffing_lines")
    order = models.PositiveSmallIntegerField(help_text="Position in the table, from 1.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.TEAM,
        help_text="An 'of which' row (for example the posts at KS13 and above) is shown below the total.",
    )
    name = models.CharField(max_length=300, help_text="As printed, for example MH - Commissioning & Contracting.")
    previous_fte = fte_field("previous year's FTE")
    fte = fte_field("FTE")
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="staffing_line_order_unique",
                violation_error_message="Two staffing rows of a plan cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="staffing_line_name_unique",
                violation_error_message="This plan already has a staffing row with this name.",
            ),
            models.CheckConstraint(
                condition=(Q(fte__isnull=True) | Q(fte__gte=0))
                & (Q(previous_fte__isnull=True) | Q(previous_fte__gte=0)),
                name="staffing_line_fte_not_negative",
                violation_error_message="FTE cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name


class ActivityLevel(models.Model):
    """An affordable activity level: how many clients a service is budgeted for."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="affordable_activity_levels")
    order = models.PositiveSmallIntegerField(help_text="Position in the table, from 1.")
    client_group = models.CharField(
        max_length=200, blank=True, help_text="As printed above the rows, for example People with mental health needs."
    )
    service_code = models.CharField(max_length=20, blank=True, help_text="The service code, where the plan prints one.")
    description = models.CharField(
        max_length=300, help_text="As printed, for example Number of people … receiving a direct payment."
    )
    previous_estimate = models.PositiveIntegerField(
        "previous year's estimate", null=True, blank=True, help_text="Blank where the plan prints N/A or nothing."
    )
    previous_outturn = models.PositiveIntegerField(
        "previous year's outturn", null=True, blank=True, help_text="The forecast outturn, where the plan prints one."
    )
    clients = models.PositiveIntegerField(
        "number of clients", null=True, blank=True, help_text="The number of clients the plan's year is budgeted for."
    )
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = "affordable activity level"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="activity_level_order_unique",
                violation_error_message="Two activity levels of a plan cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["plan", "client_group", "description"],
                name="activity_level_unique_in_plan",
                violation_error_message="This plan already has this activity level.",
            ),
        ]

    def __str__(self):
        return f"{self.service_code} {self.description}".strip()


class StaffingEstablishment(models.Model):
    """The human resources table of the 2013-14 divisional template."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="staffing_establishment")
    fte_establishment = models.DecimalField("FTE establishment", max_digits=8, decimal_places=1, null=True, blank=True)
    fte_establishment_printed = models.CharField(
        "FTE establishment as printed", max_length=100, blank=True, help_text="For example 757.2 (HR figure Nov 2012)."
    )
    establishment_at = models.DateField("establishment at", null=True, blank=True, help_text="Usually 31 March.")
    fte_estimate = models.DecimalField(
        "estimate of FTE establishment", max_digits=8, decimal_places=1, null=True, blank=True
    )
    variance_reasons = models.TextField("reasons for any variance", blank=True)
    source_note = models.TextField(blank=True, help_text="Where the source document is inconsistent or unclear.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fte_establishment__isnull=True) | Q(fte_establishment__gte=0))
                & (Q(fte_estimate__isnull=True) | Q(fte_estimate__gte=0)),
                name="staffing_fte_not_negative",
                violation_error_message="FTE cannot be negative.",
            )
        ]

    def __str__(self):
        return f"Human resources of {self.plan}"
