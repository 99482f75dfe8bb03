"""Writes of monitoring rounds: open, save a plan's returns, close. Each is atomic and checks first.

Saving returns is all or nothing, and safe when two people edit the same plan at once: each row
of the form carries the version of the return it was loaded at (0 for none yet). A row whose
version has moved on since is a conflict, unless what was submitted for it is what was loaded
(the person did not touch that row), in which case it is left as the other person saved it. On
any conflict nothing is saved, and ReturnConflict carries both the current and the submitted values.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from monitoring.models import ActionReturn, DecisionChange, MilestoneReturn, PriorityReturn, Round
from monitoring.selectors import build_round_report, covered_plans, frozen_kpi_html, plan_returns, user_name, when
from monitoring.tasks import schedule_reminders
from plans.models import Plan


@transaction.atomic
def round_open(
    *, user, directorate, year, kind: str, deadline, name: str = "", source_note: str = "", now: datetime | None = None
) -> Round:
    """Open a round for a directorate's plans of a year. Administrators only."""
    if not user.has_perm("monitoring.open_round"):
        raise PermissionDenied("Only an administrator can open a monitoring round.")
    round_ = Round(
        directorate=directorate,
        year=year,
        kind=kind,
        deadline=deadline,
        name=(name or "").strip() or f"{Round.Kind(kind).label} {year}",
        source_note=(source_note or "").strip(),
        opened_by=user,
        opened_at=now or timezone.now(),
    )
    round_.full_clean()
    round_.save()
    # Queued only once the round is saved for good: a rolled-back opening sends no reminders.
    transaction.on_commit(lambda: schedule_reminders(round_))
    return round_


@transaction.atomic
def round_close(*, round_: Round, user, now: datetime | None = None) -> Round:
    """Close the round and freeze what its pages show into its snapshot. Administrators only."""
    if not user.has_perm("monitoring.close_round", round_):
        raise PermissionDenied("Only an administrator can close a monitoring round.")
    locked = Round.objects.select_for_update(of=("self",)).select_related("directorate", "year").get(pk=round_.pk)
    if not locked.is_open:
        raise ValidationError("This round is already closed.")
    now = now or timezone.now()
    snapshot = build_round_report(locked)
    snapshot["kpi_html"] = frozen_kpi_html(locked)
    snapshot["closed_at"] = when(now)
    snapshot["closed_by"] = user_name(user)
    locked.status = Round.Status.CLOSED
    locked.closed_by = user
    locked.closed_at = now
    locked.snapshot = snapshot
    locked.full_clean()
    locked.save()
    round_.status, round_.closed_by, round_.closed_at, round_.snapshot = (
        locked.status,
        locked.closed_by,
        locked.closed_at,
        locked.snapshot,
    )
    return locked


@dataclass
class Conflict:
    """A row someone else saved after the form was loaded: their values beside the submitted ones."""

    key: str  # as in the form: "action-12", "milestone-3", "priority-5", "decisions"
    label: str
    changed_by: str
    changed_at: str
    version: int  # the current version: a form that carries it may overwrite
    differences: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, theirs, yours)


class ReturnConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        names = ", ".join(sorted({c.changed_by for c in conflicts}))
        super().__init__(f"{names} changed {len(conflicts)} of these returns since you opened them.")


@dataclass(frozen=True)
class _Kind:
    prefix: str
    model: type
    target: str  # the foreign key to what the return is about
    fields: tuple[str, ...]


ACTION = _Kind("action", ActionReturn, "action", ("status", "commentary", "withdrawn", "withdrawn_note", "merged_into"))
MILESTONE = _Kind("milestone", MilestoneReturn, "milestone", ("status", "commentary"))
PRIORITY = _Kind("priority", PriorityReturn, "priority", ("key_achievements", "key_issues"))
DECISIONS = _Kind("decisions", DecisionChange, "plan", ("text",))


def _attname(kind: _Kind, name: str) -> str:
    return kind.model._meta.get_field(name).attname


def _values_of(kind: _Kind, obj) -> dict:
    """The row's values by field name (a foreign key as its id); blanks for no row."""
    if obj is None:
        return {name: None if name == "merged_into" else "" for name in kind.fields}
    return {name: getattr(obj, _attname(kind, name)) for name in kind.fields}


def _clean_submitted(kind: _Kind, submitted: dict) -> dict:
    values = {}
    for name in kind.fields:
        value = submitted.get(name)
        if name == "merged_into":
            values[name] = int(value) if value not in (None, "") else None
        else:
            # Textareas post Windows line ends; compare and store them as the model's own.
            values[name] = (value or "").replace("\r\n", "\n").strip()
    if kind is ACTION and not values["withdrawn"]:
        values["withdrawn_note"], values["merged_into"] = "", None
    if kind is ACTION and values["withdrawn"]:
        values["status"] = ""
    if kind is ACTION and values["withdrawn"] != ActionReturn.Withdrawn.MERGED:
        values["merged_into"] = None
    return values


def _display(kind: _Kind, name: str, value, action_labels: dict) -> str:
    if value in (None, ""):
        return "(blank)"
    if name == "merged_into":
        return f"Action {action_labels.get(value, value)}"
    model_field = kind.model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _loaded_values(kind: _Kind, row, version: int) -> dict | None:
    """The row's values at the version the form was loaded at, from its history."""
    if version == 0:
        return _values_of(kind, None)
    record = kind.model.history.filter(id=row.pk, version=version).order_by("-history_id").first()
    return _values_of(kind, record) if record is not None else None


@transaction.atomic
def return_save(
    *,
    round_: Round,
    plan: Plan,
    user,
    actions: dict | None = None,
    milestones: dict | None = None,
    priorities: dict | None = None,
    decision_changes: dict | None = None,
    now: datetime | None = None,
) -> int:
    """Save a plan's returns for the round, all or nothing. Returns how many rows were written.

    `actions` maps an action id to {"version", "status", "commentary", "withdrawn", "withdrawn_note",
    "merged_into"}; `milestones` a milestone id to {"version", "status", "commentary"}; `priorities`
    a priority id to {"version", "key_achievements", "key_issues"}; `decision_changes` is
    {"version", "text"}. A row left blank that has no return yet is not created. Errors are keyed
    like the form's fields, "<kind>-<id>-<field>" ("action-12-status"); conflicts raise ReturnConflict.
    """
    # Locking the round serialises every save of its returns, and its closing, without deadlocks.
    locked = Round.objects.select_for_update(of=("self",)).select_related("directorate", "year").get(pk=round_.pk)
    if not locked.is_open:
        raise ValidationError("This round is closed: its returns can no longer be changed.")
    if not user.has_perm("monitoring.enter_return", plan):
        raise PermissionDenied("You cannot enter returns for this plan.")
    if plan.pk not in {covered.pk for covered in covered_plans(locked)}:
        raise ValidationError("This plan does not report in this round.")
    now = now or timezone.now()

    current = plan_returns(locked, [plan.pk])
    priority_list = current.priorities.get(plan.pk, [])
    targets = {
        ACTION: {a.pk: (a, f"Priority {p.number}, action {a.label}") for p in priority_list for a in p.actions.all()},
        MILESTONE: {
            m.pk: (m, f"Priority {p.number}, milestone {m.letter}") for p in priority_list for m in p.milestones.all()
        },
        PRIORITY: {p.pk: (p, f"Priority {p.number}: key achievements and issues") for p in priority_list},
        DECISIONS: {plan.pk: (plan, "Changes to key or significant decisions")},
    }
    existing = {
        ACTION: current.actions,
        MILESTONE: current.milestones,
        PRIORITY: current.priority_returns,
        DECISIONS: current.decision_changes,
    }
    action_labels = {pk: action.label for pk, (action, _) in targets[ACTION].items()}
    submitted = {
        ACTION: actions or {},
        MILESTONE: milestones or {},
        PRIORITY: priorities or {},
        DECISIONS: {plan.pk: decision_changes} if decision_changes is not None else {},
    }

    conflicts, writes, errors = [], [], {}
    for kind, entries in submitted.items():
        for target_id, entry in entries.items():
            if target_id not in targets[kind]:
                raise ValidationError(f"{kind.prefix.capitalize()} {target_id} is not part of this plan.")
            target, label = targets[kind][target_id]
            key = kind.prefix if kind is DECISIONS else f"{kind.prefix}-{target_id}"
            row = existing[kind].get(target_id)
            values = _clean_submitted(kind, entry)
            if kind is ACTION and values["merged_into"] is not None and values["merged_into"] not in action_labels:
                errors[f"{key}-merged_into"] = f"{label}: choose an action of this plan."
                continue
            before = _values_of(kind, row)
            if values == before:
                continue  # nothing changed (a blank row with no return stays without one)
            version = int(entry.get("version") or 0)
            current_version = row.version if row is not None else 0
            if version != current_version:
                if values == _loaded_values(kind, row, version):
                    continue  # untouched in this form: keep what the other person saved
                conflicts.append(
                    Conflict(
                        key=key,
                        label=label,
                        changed_by=user_name(row.entered_by) if row else "Someone",
                        changed_at=when(row.entered_at) if row else "",
                        version=current_version,
                        differences=[
                            (
                                kind.model._meta.get_field(name).verbose_name.capitalize(),
                                _display(kind, name, before[name], action_labels),
                                _display(kind, name, values[name], action_labels),
                            )
                            for name in kind.fields
                            if before[name] != values[name]
                        ],
                    )
                )
                continue
            writes.append((kind, key, label, target, row, values))
    if conflicts:
        raise ReturnConflict(conflicts)
    if errors:
        raise ValidationError(errors)

    prepared = []
    for kind, key, label, target, row, values in writes:
        obj = row or kind.model(round=locked, **{kind.target: target})
        for name, value in values.items():
            setattr(obj, _attname(kind, name), value)
        obj.entered_by = user
        obj.entered_at = now
        obj.version = (row.version + 1) if row is not None else 1
        if kind is ACTION and row is None:
            obj.late = timezone.localdate(now) > locked.deadline
        try:
            obj.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[key if name == "__all__" else f"{key}-{name}"] = [
                    f"{label}: {m[0].lower()}{m[1:]}" for m in messages
                ]
        prepared.append(obj)
    if errors:
        raise ValidationError(errors)
    for obj in prepared:
        obj._history_user = user  # recorded in the history even outside a request
        obj.save()
    return len(prepared)
