"""Business plans: templates and their sections, plans, and the content of section C, E and G.

A plan follows a template that lists its sections in order; each section carries narrative text
and, in order, the structured tables it holds. New plan shapes are new templates (data), not
new code. Tables of other apps (budgets, indicators) hang off the plan by their own foreign keys.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from common.fields import MonthField
from plans.checks import CHECK_CHOICES, CHECKS


class TableKind(models.TextChoices):
    CORPORATE_OBJECTIVES = "corporate_objectives", "Contribution to corporate objectives"
    PRIORITIES = "priorities", "Priorities, actions, milestones and decisions"
    FINANCIAL_RESOURCES = "financial_resources", "Financial resources"
    HUMAN_RESOURCES = "human_resources", "Human resources"
    RISKS = "risks", "Risks and mitigations"
    CRITICAL_FUNCTIONS = "critical_functions", "Business continuity critical functions"
    INDICATORS = "indicators", "Performance and activity indicators"
    SUPPORT_NEEDED = "support_needed", "Activity requiring support from other services"
    CUSTOM = "custom", "A table whose columns the template defines"


class PlanTemplate(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True, help_text="For example Divisional business plan 2013-14.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(
        max_length=10,
        help_text="The section's letter or number as printed, for example A.",
        # It names the section's page in its address (/plans/<plan>/sections/<code>/).
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9.\-]*\Z",
                "A section code is letters, digits, dots or hyphens, for example A, 2a or 3.1.",
            )
        ],
    )
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What the template asks the author to write here.")

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order"],
                name="template_section_order_unique",
                violation_error_message="Two sections of a template cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["template", "code"],
                name="template_section_code_unique",
                violation_error_message="Two sections of a template cannot share a code.",
            ),
        ]

    def __str__(self):
        return f"Section {self.code}: {self.title}"


class TemplateSectionTable(models.Model):
    """A structured table that a template section holds, after its narrative.

    Built-in kinds (priorities, risks …) have their own models. A custom table is defined
    entirely here, by its columns, so a new plan shape needs no code: its rows are TableRows.
    """

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="tables")
    kind = models.CharField(max_length=30, choices=TableKind.choices)
    order = models.PositiveSmallIntegerField(default=1)
    slug = models.SlugField(blank=True, help_text="Custom tables: a short name, unique in the section, e.g. projects.")
    title = models.CharField(max_length=200, blank=True, help_text="Custom tables: the heading shown above the table.")
    help_text = models.TextField(blank=True, help_text="What the template asks the author to put in this table.")
    delivered_by_actions = models.BooleanField(
        "rows are delivered by plan actions",
        default=False,
        help_text=(
            "Custom tables: tick for a programme's projects. Editors of the plan then link each row to the actions "
            "of business plans that deliver it, and the programme's progress page shows their monitoring status."
        ),
    )

    class Meta:
        ordering = ["section", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "kind"],
                condition=~Q(kind="custom"),
                name="template_table_once_per_section",
                violation_error_message="A section holds each kind of table once.",
            ),
            models.UniqueConstraint(
                fields=["section", "slug"],
                condition=Q(kind="custom"),
                name="template_custom_table_slug_unique",
                violation_error_message="This section already has a custom table with this short name.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="custom") | (~Q(slug="") & ~Q(title="")),
                name="template_custom_table_named",
                violation_error_message="A custom table needs a short name and a heading.",
            ),
            models.CheckConstraint(
                condition=Q(kind="custom") | Q(delivered_by_actions=False),
                name="template_table_delivered_only_custom",
                violation_error_message="Only a custom table's rows can be delivered by plan actions.",
            ),
        ]

    def __str__(self):
        label = self.title if self.kind == TableKind.CUSTOM else self.get_kind_display()
        return f"{self.section.code}: {label}"


class TableColumn(models.Model):
    """A column of a custom table."""

    class DataType(models.TextChoices):
        TEXT = "text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        NUMBER = "number", "Number"
        MONEY = "money", "Money (£'000, one decimal)"
        MONTH = "month", "Month and year"
        DATE = "date", "Date"
        YES_NO = "yes_no", "Yes or no"
        CHOICE = "choice", "One of a list"

    table = models.ForeignKey(TemplateSectionTable, on_delete=models.CASCADE, related_name="columns")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(help_text="A short name for imports and exports, e.g. target_date.")
    heading = models.CharField(max_length=200, help_text="As printed at the top of the column.")
    data_type = models.CharField(max_length=20, choices=DataType.choices, default=DataType.TEXT)
    choices = models.TextField(blank=True, help_text="For 'One of a list': the allowed values, one per line.")
    required = models.BooleanField(default=False)
    help_text = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["table", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "key"],
                name="table_column_key_unique",
                violation_error_message="This table already has a column with this short name.",
            ),
            models.UniqueConstraint(
                fields=["table", "order"],
                name="table_column_order_unique",
                violation_error_message="Two columns of a table cannot share a position.",
            ),
        ]

    def __str__(self):
        return f"{self.table}: {self.heading}"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class CorporateObjective(models.Model):
    """A numbered priority of a council-wide framework, such as Bold Steps for Kent priority 12."""

    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="objectives")
    framework = models.CharField(max_length=100, help_text="For example Bold Steps for Kent.")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["council", "framework", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "framework", "number"],
                name="objective_number_unique",
                violation_error_message="This framework already has a priority with this number.",
            )
        ]

    def __str__(self):
        return f"{self.framework} priority {self.number}: {self.title}"


class Theme(models.Model):
    """A theme tag for priorities, such as the five 'P' themes (prevention, productivity …)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class PlanQuerySet(models.QuerySet):
    def with_unit(self):
        return self.select_related("unit__parent__parent", "year", "template")


class Plan(models.Model):
    """The business plan of one unit for one financial year, in one version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="plans")
    year = models.ForeignKey("common.FinancialYear", on_delete=models.PROTECT, related_name="plans")
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200, help_text="As printed, for example Divisional Business Plan 2013-14.")
    version_label = models.CharField(max_length=100, help_text="As printed, for example Final Draft v 6.")
    version_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    previous_version = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    # Header facts, as printed on the front page of the plan.
    cabinet_portfolio = models.CharField(max_length=300, blank=True)
    corporate_director = models.CharField("responsible corporate director", max_length=200, blank=True)
    director = models.CharField("responsible director", max_length=200, blank=True)
    heads_of_service = models.CharField("head(s) of service", max_length=300, blank=True)
    gross_expenditure = models.DecimalField(
        "gross expenditure (£'000)", max_digits=12, decimal_places=1, null=True, blank=True
    )
    gross_expenditure_year = models.ForeignKey(
        "common.FinancialYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The year the gross expenditure figure is for, usually the previous year.",
    )
    fte = models.DecimalField("FTE", max_digits=8, decimal_places=1, null=True, blank=True)
    fte_at = MonthField("FTE at", null=True, blank=True)
    corporate_objectives = models.ManyToManyField(CorporateObjective, through="PlanObjective", blank=True)
    source = models.TextField(
        blank=True,
        help_text="Where this plan's content came from, for example the document it was transcribed from.",
    )
    source_note = models.TextField(blank=True, help_text="Anything about the source a reader should know.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__code", "version_label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version_label"],
                name="plan_unique_per_unit_year_version",
                violation_error_message="This unit already has a plan for this year with this version label.",
            ),
            models.CheckConstraint(
                condition=Q(gross_expenditure__isnull=True) | Q(gross_expenditure__gte=0),
                name="plan_gross_expenditure_not_negative",
                violation_error_message="Gross expenditure cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0),
                name="plan_fte_not_negative",
                violation_error_message="FTE cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.unit.code} {self.year} – {self.title} ({self.version_label})"

    @property
    def awaits_approval(self) -> bool:
        """Drafts and submitted plans: what the plan checks are for (plans/checks.py), before approval."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)

    def clean(self):
        if self.unit_id and self.year_id and not self.unit.exists_in(self.year_id):
            raise ValidationError({"unit": f"{self.unit} did not exist in {self.year}."})


class PlanObjective(models.Model):
    """How a plan contributes to a corporate objective (section B)."""

    class Emphasis(models.TextChoices):
        FOCUS = "focus", "Focus"
        CONTRIBUTES = "contributes", "Contributes"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objective_links")
    objective = models.ForeignKey(CorporateObjective, on_delete=models.PROTECT, related_name="plan_links")
    emphasis = models.CharField(max_length=20, choices=Emphasis.choices, default=Emphasis.CONTRIBUTES)

    class Meta:
        ordering = ["plan", "emphasis", "objective__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "objective"],
                name="plan_objective_once",
                violation_error_message="This plan already links to this objective.",
            )
        ]

    def __str__(self):
        return f"{self.plan} → {self.objective} ({self.get_emphasis_display()})"


class PlanSection(models.Model):
    """The narrative text of one template section in one plan."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    template_section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    progress = models.CharField(
        max_length=20,
        choices=Progress.choices,
        default=Progress.NOT_STARTED,
        help_text="Shown on the plan's task list; editors mark a section completed when it is ready.",
    )
    body = models.TextField(
        blank=True, help_text="Narrative, in Markdown: blank line between paragraphs, '- ' for bullets."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "template_section__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "template_section"],
                name="plan_section_once",
                violation_error_message="This plan already has text for this section.",
            )
        ]

    def __str__(self):
        return f"{self.plan} – {self.template_section}"

    def clean(self):
        if self.plan_id and self.template_section_id and self.template_section.template_id != self.plan.template_id:
            raise ValidationError({"template_section": "This section belongs to another plan template."})


class SourceNoted(models.Model):
    source_note = models.TextField(
        blank=True, help_text="Where the source document is inconsistent or unclear, what it prints and why."
    )

    class Meta:
        abstract = True


class Priority(SourceNoted):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, help_text="Short title, for example Prevention.")
    description = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="priorities")
    corporate_objectives = models.ManyToManyField(CorporateObjective, blank=True, related_name="priorities")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="priority_number_unique_in_plan",
                violation_error_message="This plan already has a priority with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="priority_number_positive",
                violation_error_message="Numbers start at 1.",
            ),
        ]

    def __str__(self):
        return f"Priority {self.number}: {self.title}"


class Action(SourceNoted):
    """An action of a priority: a headline action ("1", sub_number 0) or a sub-action ("1.1")."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(help_text="The headline number: 1 for both 1 and 1.1.")
    sub_number = models.PositiveSmallIntegerField(
        default=0, help_text="0 for a headline action; 1 for 1.1, 2 for 1.2 and so on."
    )
    text = models.TextField()
    officer = models.CharField(
        "accountable officer",
        max_length=300,
        blank=True,
        help_text="Exactly as written: one or several names or roles.",
    )
    start = MonthField("start month", null=True, blank=True)
    end = MonthField("end month", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "number", "sub_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number", "sub_number"],
                name="action_number_unique_in_priority",
                violation_error_message="This priority already has an action with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="action_number_positive", violation_error_message="Numbers start at 1."
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="action_end_not_before_start",
                violation_error_message="The end month cannot be before the start month.",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.text[:60]}"

    @property
    def label(self) -> str:
        return self.label_of(self.number, self.sub_number)

    @property
    def is_headline(self) -> bool:
        return self.headline_sub_number(self.sub_number)

    # The same rules for rows read as plain values (the monitoring reports read thousands of actions).
    @staticmethod
    def label_of(number: int, sub_number: int) -> str:
        """ "2" for headline action 2, "2.1" for its first sub-action."""
        return str(number) if Action.headline_sub_number(sub_number) else f"{number}.{sub_number}"

    @staticmethod
    def headline_sub_number(sub_number: int) -> bool:
        return sub_number == 0


class Milestone(SourceNoted):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    letter = models.CharField(max_length=3, help_text="A, B, C …")
    text = models.TextField("milestone")
    due = MonthField("due month", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "letter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "letter"],
                name="milestone_letter_unique_in_priority",
                violation_error_message="This priority already has a milestone with this letter.",
            )
        ]

    def __str__(self):
        return f"Milestone {self.letter}: {self.text[:60]}"


class Decision(SourceNoted):
    """A key or significant decision that could arise from a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("decision")
    in_forward_plan = models.BooleanField(
        "already in the Forward Plan?", null=True, blank=True, help_text="Leave blank where the plan does not say."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number"],
                name="decision_number_unique_in_priority",
                violation_error_message="This priority already has a decision with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="decision_number_positive",
                violation_error_message="Numbers start at 1.",
            ),
        ]

    def __str__(self):
        return f"Decision {self.number}: {self.text[:60]}"


class PlanRow(SourceNoted):
    """A numbered row of one of a plan's own tables (risks, critical functions, support needed)."""

    number = models.PositiveSmallIntegerField(help_text="Position in the table, from 1.")

    class Meta:
        abstract = True


class Risk(PlanRow):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField()
    mitigation = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="risk_number_unique_in_plan",
                violation_error_message="This plan already has a risk with this number.",
            )
        ]

    def __str__(self):
        return f"Risk {self.number}: {self.risk[:60]}"


class CriticalFunction(PlanRow):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="critical_functions")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    timescale = models.CharField(max_length=50, blank=True, help_text="Recovery timescale as printed: 4 hours.")
    minimum_service_level = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="critical_function_number_unique_in_plan",
                violation_error_message="This plan already has a critical function with this number.",
            )
        ]

    def __str__(self):
        return self.name


class SupportNeeded(PlanRow):
    """Section G: activity requiring support from other divisions or services."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="support_needed")
    activity = models.TextField("activity details")
    impact = models.CharField("expected impact", max_length=300, blank=True, help_text="On which service.")
    expected = MonthField("expected month", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number", "id"]
        verbose_name = "support needed from another service"
        verbose_name_plural = "support needed from other services"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="support_number_unique_in_plan",
                violation_error_message="This plan already has a support row with this number.",
            )
        ]

    def __str__(self):
        return f"{self.activity[:60]} ({self.impact})"


class PlanEvent(models.Model):
    """A workflow step taken on a plan: who, when, from which status to which, and why."""

    class Step(models.TextChoices):
        SUBMIT = "submit", "Submitted for approval"
        SEND_BACK = "send_back", "Sent back"
        APPROVE = "approve", "Approved"
        PUBLISH = "publish", "Published"
        NEW_VERSION = "new_version", "New version started"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=20, choices=Step.choices)
    from_status = models.CharField(max_length=20, choices=Plan.Status.choices)
    to_status = models.CharField(max_length=20, choices=Plan.Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_events")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "at", "id"]

    def __str__(self):
        return f"{self.plan}: {self.get_step_display()} by {self.user} on {self.at:%d/%m/%Y %H:%M}"


class PlanCheckPolicy(models.Model):
    """Whether a plan check (plans/checks.py) stops a plan being submitted for approval.

    One row per check; the rows are created after each migrate (plans/apps.py). A check without a
    row, or with blocks_submission unticked, is shown as a warning and never stops submission.
    """

    code = models.CharField(
        "check", max_length=50, unique=True, choices=CHECK_CHOICES, help_text="Which plan check this row is for."
    )
    blocks_submission = models.BooleanField(
        default=False,
        help_text=(
            "Tick to stop editors submitting a plan for approval while the plan has a finding of this check: "
            "they must fix it first. Unticked, the finding is shown to them as a warning and they can still submit."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "plan check policy"
        verbose_name_plural = "plan check policies"

    def __str__(self):
        return f"{self.get_code_display()}: {'blocks submission' if self.blocks_submission else 'warning only'}"

    @property
    def description(self) -> str:
        check = CHECKS.get(self.code)
        return check.description if check else ""


class TableRow(SourceNoted):
    """A row of a custom table in one plan: its values keyed by the columns' short names."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="table_rows")
    table = models.ForeignKey(TemplateSectionTable, on_delete=models.PROTECT, related_name="rows")
    number = models.PositiveSmallIntegerField(help_text="Position in the table, from 1.")
    values = models.JSONField(default=dict, blank=True)
    delivering_actions = models.ManyToManyField(
        Action,
        blank=True,
        related_name="delivered_rows",
        help_text="For a programme's projects: the business plan actions that deliver this row.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "table", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "table", "number"],
                name="table_row_number_unique",
                violation_error_message="This table already has a row with this number.",
            )
        ]

    def __str__(self):
        first = next((str(v) for v in self.values.values() if v not in (None, "")), "")
        return f"{self.table.title} row {self.number}: {first[:60]}"

    def clean(self):
        from plans.custom_tables import clean_values

        if self.table_id and self.table.kind != TableKind.CUSTOM:
            raise ValidationError({"table": "Rows can only be added to a custom table."})
        if self.plan_id and self.table_id and self.table.section.template_id != self.plan.template_id:
            raise ValidationError({"table": "This table belongs to another plan template."})
        if self.table_id:
            self.values = clean_values(list(self.table.columns.all()), self.values)
