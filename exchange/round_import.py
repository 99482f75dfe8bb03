"""Importing a monitoring round's returns from its workbook (exchange/round_sheets.py): preview, then all
or nothing.

    preview = round_import_preview(book=book, round_=round_, user=user)
    round_import_apply(book=book, round_=round_, user=user, fingerprint=preview.fingerprint)

Rows are found by unit code and plan version label (a plan the round covers), priority number and
action number or milestone letter. Only the columns the file has are read; a column it lacks keeps the
return as it is. A row whose values equal the return's is left alone, so importing the same file again
changes nothing. The returns are written with monitoring.services.return_save(), plan by plan, inside
one transaction: its own checks (who may enter returns, an open round, a reason for a delay …) apply,
and any refusal anywhere writes nothing at all.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from exchange import workbook
from exchange.importer import ADDED, CHANGED, Change, ImportRefused, Preview, PreviewOutdated, SheetPreview
from exchange.round_sheets import ROUND_SHEETS
from exchange.sheets import Problem, _normal
from monitoring import services
from monitoring.access import may_enter_returns, round_plan_ids
from monitoring.models import Round
from monitoring.selectors import plan_returns
from plans.models import Plan

# Per sheet: the return fields it reads (as monitoring.services names them) and the services' kind.
FIELDS = {
    "action_returns": ("status", "commentary", "withdrawn", "withdrawn_note", "merged_into"),
    "milestone_returns": ("status", "commentary"),
    "priority_returns": ("key_achievements", "key_issues"),
    "decision_changes": ("text",),
}
ARGUMENT = {
    "action_returns": "actions",
    "milestone_returns": "milestones",
    "priority_returns": "priorities",
    "decision_changes": "decision_changes",
}


def _current(ret, names) -> dict:
    if ret is None:
        return {name: None if name == "merged_into" else "" for name in names}
    return {name: getattr(ret, "merged_into_id" if name == "merged_into" else name) for name in names}


def round_import_preview(*, book: workbook.RawBook, round_: Round, user) -> Preview:
    preview = Preview(target_label=f"The returns of {round_.name} ({round_.directorate.code})")
    if not round_.is_open:
        preview.problems.append(Problem("", None, None, "This round is closed: its returns can no longer be changed."))
        return preview
    plan_ids = round_plan_ids(round_)
    plans = {
        (plan.unit.code.upper(), _normal(plan.version_label)): plan
        for plan in Plan.objects.with_unit().filter(pk__in=plan_ids)
    }
    returns = plan_returns(round_, list(plan_ids))
    priorities = {(p.plan_id, p.number): p for items in returns.priorities.values() for p in items}
    actions = {(p.plan_id, p.number, (a.number, a.sub_number)): a for p in priorities.values() for a in p.actions.all()}
    milestones = {(p.plan_id, p.number, m.letter): m for p in priorities.values() for m in p.milestones.all()}
    submissions: dict[int, dict] = {}
    seen = set()
    for raw in book.sheets:
        if raw.name is not None and _normal(raw.name) == "instructions":
            continue
        mapping = next((m for m in ROUND_SHEETS if raw.name is not None and m.matches(raw.name)), None)
        if mapping is None or mapping.key in seen:
            titles = ", ".join(m.title for m in ROUND_SHEETS)
            preview.problems.append(
                Problem(
                    (raw.name or "CSV file")[:60],
                    None,
                    None,
                    f"The returns import reads the sheets {titles} (and Instructions, which it skips), once each.",
                )
            )
            continue
        seen.add(mapping.key)
        parsed = mapping.parse(raw, kind_of_file=book.kind, escaped=book.escaped)
        sheet = SheetPreview(mapping=mapping)
        preview.sheets.append(sheet)
        preview.problems.extend(parsed.problems)
        names = [name for name in FIELDS[mapping.key] if name in parsed.columns]
        for row in parsed.rows:
            if row.problems or row.key is None:
                preview.problems.extend(row.problems)
                sheet.rejected += 1
                continue
            plan = plans.get((str(row.key[0]).upper(), _normal(row.key[1])))
            if plan is None:
                row.problem(
                    mapping, "unit", f"The round covers no plan of {row.key[0]} with the version label “{row.key[1]}”."
                )
            elif not may_enter_returns(user, round_, plan):
                row.problem(mapping, "unit", f"You cannot enter returns for the plan of {plan.unit.code}.")
            else:
                target, ret = _target(mapping.key, row, plan, priorities, actions, milestones, returns)
                if target is None:
                    row.problem(mapping, mapping.key_fields[-1], f"{mapping.describe(row.key)} is not in this plan.")
            if row.problems:
                preview.problems.extend(row.problems)
                sheet.rejected += 1
                continue
            before = _current(ret, FIELDS[mapping.key])
            after = dict(before)
            for name in names:
                value = row.values.get(name)
                if name == "merged_into":
                    in_priority = row.values.get("merged_into_priority") or row.key[2]
                    merged = actions.get((plan.pk, in_priority, value)) if value else None
                    if value and merged is None:
                        row.problem(
                            mapping, name, f"Action {'.'.join(map(str, value))} is not in priority {in_priority}."
                        )
                    after[name] = merged.pk if merged else None
                else:
                    after[name] = value or ""
            if row.problems:
                preview.problems.extend(row.problems)
                sheet.rejected += 1
                continue
            if after == before:
                sheet.unchanged += 1
                continue
            entry = {"version": ret.version if ret else 0, **after}
            if mapping.key == "decision_changes":
                submissions.setdefault(plan.pk, {})[ARGUMENT[mapping.key]] = entry
            else:
                submissions.setdefault(plan.pk, {}).setdefault(ARGUMENT[mapping.key], {})[target.pk] = entry
            fields = [
                (
                    mapping.column(name).header,
                    _shown(mapping, name, before[name], actions),
                    _shown(mapping, name, after[name], actions),
                )
                for name in names
                if before[name] != after[name]
            ]
            label = _label(mapping.key, row.key)
            sheet.changes.append(Change(mapping, CHANGED if ret else ADDED, row, row.key, label, after, ret, fields))
    if not preview.sheets and not preview.problems:
        preview.problems.append(Problem("", None, None, "The file has none of the sheets of a round's returns."))
    preview.context = submissions
    return preview


def _target(key, row, plan, priorities, actions, milestones, returns):
    if key == "decision_changes":
        return plan, returns.decision_changes.get(plan.pk)
    number = row.key[2]
    if key == "priority_returns":
        priority = priorities.get((plan.pk, number))
        return priority, returns.priority_returns.get(priority.pk) if priority else None
    if key == "action_returns":
        action = actions.get((plan.pk, number, row.key[3]))
        return action, returns.actions.get(action.pk) if action else None
    milestone = milestones.get((plan.pk, number, row.key[3]))
    return milestone, returns.milestones.get(milestone.pk) if milestone else None


def _label(key, row_key) -> str:
    unit = row_key[0]
    if key == "decision_changes":
        return f"{unit}: changes to key or significant decisions"
    if key == "priority_returns":
        return f"{unit}: priority {row_key[2]}"
    if key == "action_returns":
        number, sub = row_key[3]
        return f"{unit}: priority {row_key[2]}, action {number}{f'.{sub}' if sub else ''}"
    return f"{unit}: priority {row_key[2]}, milestone {row_key[3]}"


def _shown(mapping, name, value, actions) -> str:
    if value in (None, ""):
        return ""
    if name == "merged_into":
        found = next((a for a in actions.values() if a.pk == value), None)
        return f"Action {found.label}" if found else str(value)
    return mapping.column(name).show(value)


def round_import_apply(*, book: workbook.RawBook, round_: Round, user, fingerprint_: str | None = None) -> int:
    """Write every change of the preview, or nothing. Returns the number of returns written."""
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("directorate", "year").get(pk=round_.pk)
        preview = round_import_preview(book=book, round_=locked, user=user)
        if preview.problems:
            raise ImportRefused(preview)
        if fingerprint_ is not None and fingerprint_ != preview.fingerprint:
            raise PreviewOutdated(preview)
        plans = Plan.objects.with_unit().in_bulk(list(preview.context))
        written = 0
        try:
            for plan_id, arguments in preview.context.items():
                written += services.return_save(round_=locked, plan=plans[plan_id], user=user, **arguments)
        except services.ReturnConflict as conflict:
            raise PreviewOutdated(round_import_preview(book=book, round_=locked, user=user)) from conflict
        except ValidationError as error:
            for message in error.messages:
                preview.problems.append(Problem("", None, None, message))
            raise ImportRefused(preview) from error
        return written
