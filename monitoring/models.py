"""Monitoring rounds: twice a year (mid-year, year-end) every plan of a directorate reports progress.

A round covers, for each unit of its directorate, the plan in force in the round's year (see
monitoring/selectors.py). Editors record a return for each action, milestone and priority, and
the changes to key decisions; when the round is closed, what it shows is frozen in `snapshot`.

Every return carries a `version`, raised by one on each save: a form remembers the version it was
loaded at, and a save made from an older version is refused (monitoring/services.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Round(models.Model):
    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", "Mid-year"
        YEAR_END = "year_end", "Year-end"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    directorate = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="monitoring_rounds",
        limit_choices_to={"level": "directorate"},
        help_text="The directorate whose plans report in this round.",
    )
    year = models.ForeignKey(
        "common.FinancialYear",
        on_delete=models.PROTECT,
        related_name="monitoring_rounds",
        help_text="The financial year of the plans that report.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text="For example Mid-year 2013-14.")
    deadline = models.DateField(help_text="Returns entered after this day are marked late.")
    source_note = models.TextField(
        blank=True, help_text="Where a fact about the round is reconstructed rather than printed, what and why."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when the round was opened by the data loader.",
    )
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Written when the round is closed: everything its pages show, as it stood that day.",
    )

    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["-year", "directorate__code", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "year", "kind"],
                name="round_once_per_directorate_year_kind",
                violation_error_message="This directorate already has a round of this kind for this year.",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True, snapshot__isnull=True)
                | Q(status="closed", closed_at__isnull=False, snapshot__isnull=False),
                name="round_closed_has_date_and_snapshot",
                violation_error_message="A closed round has a closing date and a snapshot; an open one has neither.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.directorate.code})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        if self.directorate_id and self.directorate.level != "directorate":
            raise ValidationError({"directorate": "Choose a directorate: rounds are opened for a whole directorate."})
        if self.deadline and self.year_id and self.deadline < self.year.first_day:
            raise ValidationError({"deadline": f"The deadline must be on or after the start of {self.year}."})


class Returned(models.Model):
    """Who entered a return and when, and its version for the check on concurrent saves."""

    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(help_text="When the return was last saved.")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every save; a save from an older version is refused."
    )

    class Meta:
        abstract = True


class ActionReturn(Returned):
    class Status(models.TextChoices):
        COMPLETED = "completed", "Completed"
        ON_COURSE = "on_course", "On course"
        DELAYED = "delayed", "Delayed"
        CANCELLED = "cancelled", "Cancelled"

    class Withdrawn(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn"
        MERGED = "merged", "Merged into another action"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="action_returns")
    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="monitoring_returns")
    status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Blank only when the action is taken out."
    )
    commentary = models.TextField("progress commentary", blank=True)
    withdrawn = models.CharField(
        "taken out of the round",
        max_length=20,
        choices=Withdrawn.choices,
        blank=True,
        help_text="Why the action is taken out of the round; dashboards show it as a footnote.",
    )
    withdrawn_note = models.TextField(
        "reason", blank=True, help_text="The stated reason, shown in the footnote. Required when withdrawn."
    )
    merged_into = models.ForeignKey(
        "plans.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The action of the same plan that this one was merged into.",
    )
    late = models.BooleanField(
        default=False, editable=False, help_text="First entered after the round's deadline (set when saved)."
    )
    source_note = models.TextField(
        blank=True, help_text="Where the return is transcribed or reconstructed rather than entered, what and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "action__priority__number", "action__number", "action__sub_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "action"],
                name="action_return_once_per_round",
                violation_error_message="This action already has a return in this round.",
            ),
            models.CheckConstraint(
                condition=(Q(withdrawn="") & ~Q(status="")) | (~Q(withdrawn="") & Q(status="")),
                name="action_return_status_or_withdrawn",
                violation_error_message="Give a status, or take the action out of the round, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(withdrawn="merged") | Q(merged_into__isnull=False),
                name="action_return_merged_names_action",
                violation_error_message="Say which action it was merged into.",
            ),
            models.CheckConstraint(
                condition=~Q(withdrawn="withdrawn") | ~Q(withdrawn_note=""),
                name="action_return_withdrawn_has_reason",
                violation_error_message="Give the reason the action was withdrawn.",
            ),
        ]

    def __str__(self):
        return f"{self.round.name}: action {self.action.label} – {self.get_status_display() or self.withdrawn}"

    def clean(self):
        errors = {}
        if self.withdrawn:
            self.status = ""
        elif not self.status:
            errors["status"] = "Choose a status, or take the action out of the round."
        elif self.status in (self.Status.DELAYED, self.Status.CANCELLED) and not self.commentary.strip():
            errors["commentary"] = f"Say why the action is {self.get_status_display().lower()}."
        if self.withdrawn == self.Withdrawn.WITHDRAWN and not self.withdrawn_note.strip():
            errors["withdrawn_note"] = "Give the reason the action was withdrawn."
        if self.withdrawn == self.Withdrawn.MERGED:
            if self.merged_into_id is None:
                errors["merged_into"] = "Choose the action it was merged into."
            elif self.merged_into_id == self.action_id:
                errors["merged_into"] = "An action cannot be merged into itself."
            elif self.action_id and self.merged_into.priority.plan_id != self.action.priority.plan_id:
                errors["merged_into"] = "Choose an action of the same plan."
        else:
            self.merged_into = None
        if errors:
            raise ValidationError(errors)


class MilestoneReturn(Returned):
    class Status(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="milestone_returns")
    milestone = models.ForeignKey("plans.Milestone", on_delete=models.CASCADE, related_name="monitoring_returns")
    status = models.CharField(
        max_length=20, choices=Status.choices, error_messages={"blank": "Choose a status for the milestone."}
    )
    commentary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "milestone__priority__number", "milestone__letter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "milestone"],
                name="milestone_return_once_per_round",
                violation_error_message="This milestone already has a return in this round.",
            )
        ]

    def __str__(self):
        return f"{self.round.name}: milestone {self.milestone.letter} – {self.get_status_display()}"


class PriorityReturn(Returned):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="priority_returns")
    priority = models.ForeignKey("plans.Priority", on_delete=models.CASCADE, related_name="monitoring_returns")
    key_achievements = models.TextField(blank=True)
    key_issues = models.TextField(blank=True, help_text="Cite action numbers, for example 2.3 Community Chest on hold.")
    source_note = models.TextField(
        blank=True, help_text="Where the return is transcribed or reconstructed rather than entered, what and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "priority__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "priority"],
                name="priority_return_once_per_round",
                violation_error_message="This priority already has a return in this round.",
            )
        ]

    def __str__(self):
        return f"{self.round.name}: priority {self.priority.number}"


class DecisionChange(Returned):
    """Changes to key or significant decisions since the plan was published, as one text per plan."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="decision_changes")
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="monitoring_decision_changes")
    text = models.TextField(
        "changes to key or significant decisions", blank=True, help_text="Since the publication of the plan."
    )
    source_note = models.TextField(
        blank=True, help_text="Where the return is transcribed or reconstructed rather than entered, what and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "plan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "plan"],
                name="decision_change_once_per_round_plan",
                violation_error_message="This plan already has decision changes in this round.",
            )
        ]

    def __str__(self):
        return f"{self.round.name}: decision changes for plan {self.plan_id}"


class ReminderSent(models.Model):
    """One reminder email to one editor for one round on one day: a second run that day sends nothing."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    missing = models.PositiveIntegerField(help_text="How many action returns the email listed as still owed.")

    class Meta:
        ordering = ["round", "sent_on", "user", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "sent_on"],
                name="reminder_once_per_round_user_day",
                violation_error_message="This editor was already reminded of this round today.",
            )
        ]

    def __str__(self):
        return f"Reminder for {self.round.name} to {self.user} on {self.sent_on:%d/%m/%Y}"


class CommitteeReport(models.Model):
    """The printed report a round went to committee as: its cover facts and the prose around the dashboard.

    Transcribed as printed (markdown for the long sections); its chapters (which unit's returns
    the report prints as which numbered section) are CommitteeReportChapter rows.
    """

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="committee_report")
    by = models.TextField(help_text="Who the report is by: one name and role per line, as printed.")
    to = models.CharField(max_length=300, help_text="The committee the report went to, as printed.")
    date = models.DateField(help_text="The date of the meeting.")
    subject = models.CharField(max_length=300)
    classification = models.CharField(max_length=100, default="Unrestricted")
    summary = models.TextField(blank=True, help_text="Markdown, as printed.")
    recommendation = models.TextField(blank=True, help_text="As printed on the cover.")
    introduction = models.TextField(
        blank=True, help_text="Markdown: the sections before the dashboard (for example 1 to 5.2), as printed."
    )
    closing_sections = models.TextField(
        blank=True,
        help_text="Markdown: the sections after the divisions' returns (risk, recommendation, background documents).",
    )
    authors = models.TextField(blank=True, help_text="Report authors and contacts, as printed.")
    source_note = models.TextField(
        blank=True, help_text="Where a fact about the report is reconstructed rather than printed, what and why."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "id"]

    def __str__(self):
        return f"{self.subject} ({self.to}, {self.date:%d %B %Y})"


class CommitteeReportChapter(models.Model):
    """Which numbered section of the printed report holds which unit's returns (e.g. 6 = SCS)."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="chapters")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(help_text="The section number the report gives the unit's returns.")
    heading = models.CharField(max_length=300, blank=True, help_text="The chapter heading, as printed.")

    class Meta:
        ordering = ["report", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="committee_chapter_number_once_per_report",
                violation_error_message="This report already has a chapter with this number.",
            ),
            models.UniqueConstraint(
                fields=["report", "unit"],
                name="committee_chapter_unit_once_per_report",
                violation_error_message="This unit already has a chapter in this report.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.heading or self.unit}"
