"""Plan checks: what a policy officer would challenge before approving a plan.

Each check is a small pure function over a plan that plans/check_rows.py has fetched its priorities
onto, with their actions, milestones and decisions, and its unit's indicators with the plan year's
figures, as plain rows (`plan.checked_priorities`, `priority.checked_actions` …), in a fixed number of
queries. A check reads nothing from the database and yields `Finding`s: which check, a message in
plain English naming the item ("Priority 2, action 1.3 has no accountable officer"), where the item
is in the plan (the kind of table, whose section's page holds it, and an id on that page) and the name
of the field to fix, so that the editing pages can link to it.

`CHECKS` is the one registry, in the order the checks are shown. Which checks block submission is
data (`PlanCheckPolicy`, set by an administrator); a finding of any other check is a warning.

Rules decided here:

- A headline action ("1") that has sub-actions and carries no dates of its own is a heading that
  groups them: it needs no accountable officer and no dates, because each sub-action names its
  own and is checked itself. A headline action needs an officer and both dates when it stands on
  its own: when it has no sub-actions, or when it carries a date of its own (then it is a piece of
  work with its own timescale, and someone must answer for it - LDMH priority 3, action 4).
- The plan year is the plan's financial year, April to March. An action's start or end month
  outside it is a finding; so is a milestone due after March. A milestone due before April is not
  a check (it may record work already done).
- A decision needs a clear "yes" for "already in the Forward Plan?": "No" and "not stated" are both
  findings, with different messages.
- A sub-action whose headline action is missing (a 2.1 with no 2) is one finding per missing
  headline, naming all its sub-actions.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.urls import reverse

from common.years import financial_year_label, format_month

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    plan_id: int
    table: str  # the kind of table the item is in: its section's page holds it
    anchor: str  # an id on that page: "action-5-1.1" or "priority-3"
    field: str  # the model field to fix, for example "officer" or "due"
    item: object = dataclasses.field(default=None, compare=False, repr=False)  # the action, milestone … found (a row)
    severity: str = WARNING

    @property
    def url(self) -> str:
        return f"{reverse('plans:table', args=[self.plan_id, self.table])}#{self.anchor}"

    @property
    def fix_url(self) -> str:
        """The editing page of the item, at the field to fix (for those who may edit the plan)."""
        model_name = self.item.model_name if self.item is not None else ""
        if model_name in ("action", "milestone", "decision"):
            page = reverse("plans:row_edit", args=[self.plan_id, model_name, self.item.pk])
            return f"{page}#id_{self.field}"
        if model_name == "priority":  # a priority with no milestone: add one
            return reverse("plans:row_add_in_priority", args=[self.plan_id, self.item.pk, "milestone"])
        if model_name == "indicator":  # targets are set on the indicator's figures for the year
            return f"{reverse('performance:detail', args=[self.item.pk])}#targets"
        return self.url

    @property
    def blocks_submission(self) -> bool:
        return self.severity == BLOCKING


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    description: str
    function: Callable[..., Iterable[Finding]]
    # False while the data the check reads is not recorded in Kent Plans: it is listed, never run.
    available: bool = True


@dataclass(frozen=True)
class CheckResult:
    """One check's findings on one plan, for the pages."""

    check: Check
    findings: list[Finding]
    blocks_submission: bool


CHECKS: dict[str, Check] = {}


def check(code: str, title: str, description: str, *, available: bool = True):
    """Register the decorated function as a check, after those registered before it."""

    def register(function):
        CHECKS[code] = Check(code, title, description, function, available)
        return function

    return register


# --- Helpers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    label: str
    first_month: datetime.date
    last_month: datetime.date

    @property
    def span(self) -> str:
        return f"the {self.label} plan year ({format_month(self.first_month)} to {format_month(self.last_month)})"


def _year(plan) -> _Year:
    # FinancialYear's primary key is its starting calendar year, so no query is needed.
    start = plan.year_id
    return _Year(financial_year_label(start), datetime.date(start, 4, 1), datetime.date(start + 1, 3, 1))


def _action_name(priority, action) -> str:
    return f"Priority {priority.number}, action {action.label}"


def _action_finding(code, plan, priority, action, message, field_name) -> Finding:
    return Finding(code, message, plan.pk, "priorities", f"action-{priority.number}-{action.label}", field_name, action)


def _priority_finding(code, plan, priority, message, field_name, item=None) -> Finding:
    return Finding(code, message, plan.pk, "priorities", f"priority-{priority.number}", field_name, item or priority)


def _numbers_with_sub_actions(priority) -> set[int]:
    return {action.number for action in priority.checked_actions if not action.is_headline}


def _stands_alone(action, numbers_with_sub_actions) -> bool:
    """Whether the action needs its own officer and dates (see the rules in the module docstring)."""
    if not action.is_headline:
        return True
    return action.number not in numbers_with_sub_actions or action.start is not None or action.end is not None


# --- The checks, in the order they are shown ---------------------------------------------------------


@check(
    "action_no_officer",
    "Action with no accountable officer",
    "Every sub-action, and every headline action that has no sub-actions or carries its own dates, "
    "names who is accountable for it.",
)
def action_no_officer(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        grouped = _numbers_with_sub_actions(priority)
        for action in priority.checked_actions:
            if action.officer.strip() or not _stands_alone(action, grouped):
                continue
            name = _action_name(priority, action)
            if action.is_headline and action.number in grouped:
                message = f"{name} has its own dates but no accountable officer"
            else:
                message = f"{name} has no accountable officer"
            yield _action_finding("action_no_officer", plan, priority, action, message, "officer")


@check(
    "action_no_dates",
    "Action with no start or end month",
    "Every sub-action, and every headline action that has no sub-actions or carries one date of its "
    "own, has both a start month and an end month.",
)
def action_no_dates(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        grouped = _numbers_with_sub_actions(priority)
        for action in priority.checked_actions:
            if (action.start and action.end) or not _stands_alone(action, grouped):
                continue
            name = _action_name(priority, action)
            if action.start is None and action.end is None:
                message, field_name = f"{name} has no start or end month", "start"
            elif action.start is None:
                message, field_name = f"{name} has no start month", "start"
            else:
                message, field_name = f"{name} has no end month", "end"
            yield _action_finding("action_no_dates", plan, priority, action, message, field_name)


@check(
    "action_dates_outside_year",
    "Action starting or ending outside the plan year",
    "An action's start and end months fall within the plan's financial year, April to March.",
)
def action_dates_outside_year(plan) -> Iterator[Finding]:
    year = _year(plan)
    for priority in plan.checked_priorities:
        for action in priority.checked_actions:
            for field_name, verb in (("start", "starts"), ("end", "ends")):
                month = getattr(action, field_name)
                if month is None or year.first_month <= month <= year.last_month:
                    continue
                when = "before" if month < year.first_month else "after"
                message = f"{_action_name(priority, action)} {verb} in {format_month(month)}, {when} {year.span}"
                yield _action_finding("action_dates_outside_year", plan, priority, action, message, field_name)


@check(
    "priority_no_milestone",
    "Priority with no key milestone",
    "Every priority has at least one key milestone, so that progress on it can be seen.",
)
def priority_no_milestone(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        if not priority.checked_milestones:
            message = f"Priority {priority.number} ({priority.title}) has no key milestone"
            yield _priority_finding("priority_no_milestone", plan, priority, message, "milestones")


@check(
    "milestone_after_year_end",
    "Milestone due after the plan year ends",
    "Key milestones are due by the end of the plan year (March).",
)
def milestone_after_year_end(plan) -> Iterator[Finding]:
    year = _year(plan)
    for priority in plan.checked_priorities:
        for milestone in priority.checked_milestones:
            if milestone.due is not None and milestone.due > year.last_month:
                message = (
                    f"Priority {priority.number}, milestone {milestone.letter} is due in "
                    f"{format_month(milestone.due)}, after {year.span}"
                )
                yield _priority_finding("milestone_after_year_end", plan, priority, message, "due", milestone)


@check(
    "milestone_no_date",
    "Milestone with no due month",
    "Every key milestone has the month it is due.",
)
def milestone_no_date(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        for milestone in priority.checked_milestones:
            if milestone.due is None:
                message = f"Priority {priority.number}, milestone {milestone.letter} has no due month"
                yield _priority_finding("milestone_no_date", plan, priority, message, "due", milestone)


@check(
    "decision_not_in_forward_plan",
    "Decision not in the Forward Plan",
    "Every key or significant decision is already in the Forward Plan; a decision marked No, or "
    "not marked at all, is a finding.",
)
def decision_not_in_forward_plan(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        for decision in priority.checked_decisions:
            if decision.in_forward_plan:
                continue
            name = f"Priority {priority.number}, decision {decision.number}"
            if decision.in_forward_plan is None:
                message = f"{name} does not say whether it is already in the Forward Plan"
            else:
                message = f"{name} is not in the Forward Plan"
            yield _priority_finding(
                "decision_not_in_forward_plan", plan, priority, message, "in_forward_plan", decision
            )


@check(
    "sub_action_without_headline",
    "Sub-action with no headline action",
    "Every sub-action (2.1) sits under a headline action with its number (2).",
)
def sub_action_without_headline(plan) -> Iterator[Finding]:
    for priority in plan.checked_priorities:
        headlines = {action.number for action in priority.checked_actions if action.is_headline}
        orphans = defaultdict(list)
        for action in priority.checked_actions:
            if not action.is_headline and action.number not in headlines:
                orphans[action.number].append(action)
        for number, actions in sorted(orphans.items()):
            labels = [action.label for action in actions]
            if len(labels) == 1:
                message = f"Priority {priority.number}, action {labels[0]} has no headline action {number}"
            else:
                listed = ", ".join(labels[:-1]) + f" and {labels[-1]}"
                message = f"Priority {priority.number}, actions {listed} have no headline action {number}"
            yield _action_finding("sub_action_without_headline", plan, priority, actions[0], message, "number")


@check(
    "indicator_no_target",
    "Indicator with no target",
    "Every performance indicator of the unit that is rated (higher or lower is better) has a target for the "
    "plan year: a figure, or a target relative to the last outturn. Data-only and activity indicators are "
    "not rated, so they need none.",
)
def indicator_no_target(plan) -> Iterator[Finding]:
    """Reads the unit's indicators with their figures for the plan year and whether those have targets,
    as rows (plans/check_rows.py, which applies the indicator model's own `label` and `is_rated`)."""
    year = _year(plan)
    for indicator in plan.unit.checked_indicators:
        if not indicator.is_rated:
            continue
        figures = next((item for item in indicator.checked_years if item.year_id == plan.year_id), None)
        if figures is not None and (figures.has_targets or figures.relative_target_percent is not None):
            continue
        message = f"Indicator {indicator.label} has no target for {year.label}"
        if figures is not None and figures.target_note:
            message += f" (the plan says: {figures.target_note})"
        anchor = f"indicator-{indicator.pk}"
        yield Finding("indicator_no_target", message, plan.pk, "indicators", anchor, "targets", indicator)


CHECK_CHOICES = [(item.code, item.title) for item in CHECKS.values()]


# --- Running them ------------------------------------------------------------------------------------


def run_checks(plan, blocking: Iterable[str] = ()) -> list[Finding]:
    """Every finding on the plan, in registry order; findings of the `blocking` checks marked so."""
    return [finding for result in check_results(plan, blocking) for finding in result.findings]


def check_results(plan, blocking: Iterable[str] = ()) -> list[CheckResult]:
    """One result per registered check, in registry order, with its findings on the plan."""
    blocking = frozenset(blocking)
    results = []
    for item in CHECKS.values():
        blocks = item.code in blocking
        findings = list(item.function(plan)) if item.available else []
        if blocks:
            findings = [replace(finding, severity=BLOCKING) for finding in findings]
        results.append(CheckResult(item, findings, blocks))
    return results
