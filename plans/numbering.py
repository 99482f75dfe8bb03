"""Numbering inside a plan: appending, moving and closing gaps, so numbers are never broken.

Numbers are always consecutive from 1 (priorities, headline actions, sub-actions within their
headline, decisions, risks, critical functions, support rows) or from A (milestones). Editors
never type a number: they add at the end and move rows up or down.

Unique constraints are checked row by row, so a renumbering first parks every row on a
temporary value clear of the real ones, then writes the final values with save() so that the
history records each row's new number.
"""

import string

from django.db import transaction

PARK_OFFSET = 10_000


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: milestone letters."""
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def _park(rows, field):
    model = type(rows[0])
    for row in rows:
        value = getattr(row, field)
        parked = f"_{value}" if isinstance(value, str) else value + PARK_OFFSET
        model.objects.filter(pk=row.pk).update(**{field: parked})


@transaction.atomic
def renumber(rows, field="number", *, letters=False):
    """Give the rows, in the order given, the numbers 1, 2, 3 … (or letters A, B, C …)."""
    rows = list(rows)
    targets = [letter(i) if letters else i + 1 for i in range(len(rows))]
    changed = [(row, target) for row, target in zip(rows, targets, strict=True) if getattr(row, field) != target]
    if not changed:
        return
    _park([row for row, _ in changed], field)
    for row, target in changed:
        setattr(row, field, target)
        row.save(update_fields=[field])


def moved(rows, row, direction: str):
    """The rows in their new order after moving `row` one place up or down."""
    rows = list(rows)
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows


@transaction.atomic
def renumber_actions(priority):
    """Headline actions 1..n in their current order, each one's sub-actions 1..m under it."""
    from plans.models import Action

    actions = list(Action.objects.filter(priority=priority).order_by("number", "sub_number", "id"))
    headlines = [a for a in actions if a.sub_number == 0]
    groups = {h.number: [a for a in actions if a.number == h.number and a.sub_number] for h in headlines}
    # Orphan sub-actions (no headline) keep their own group, after the headlines.
    orphans = [a for a in actions if a.sub_number and a.number not in groups]
    order = [(h, groups[h.number]) for h in headlines]
    for number in sorted({a.number for a in orphans}):
        order.append((None, [a for a in orphans if a.number == number]))
    targets = {}
    for new_number, (headline, subs) in enumerate(order, start=1):
        if headline is not None:
            targets[headline.pk] = (new_number, 0)
        for new_sub, sub in enumerate(subs, start=1):
            targets[sub.pk] = (new_number, new_sub)
    changed = [a for a in actions if (a.number, a.sub_number) != targets[a.pk]]
    if not changed:
        return
    for action in changed:
        Action.objects.filter(pk=action.pk).update(number=action.number + PARK_OFFSET)
    for action in changed:
        action.number, action.sub_number = targets[action.pk]
        action.save(update_fields=["number", "sub_number"])


@transaction.atomic
def move_action(action, direction: str):
    """Move a headline (with its sub-actions) among headlines, or a sub-action within its headline."""
    from plans.models import Action

    siblings = Action.objects.filter(priority_id=action.priority_id)
    if action.is_headline:
        headlines = list(siblings.filter(sub_number=0).order_by("number"))
        new_order = moved(headlines, action, direction)
        mapping = {h.number: i for i, h in enumerate(new_order, start=1)}
        rows = list(siblings)
        for row in rows:
            Action.objects.filter(pk=row.pk).update(number=row.number + PARK_OFFSET)
        for row in rows:
            new_number = mapping.get(row.number, row.number)
            if new_number != row.number:
                row.number = new_number
                row.save(update_fields=["number"])
            else:
                Action.objects.filter(pk=row.pk).update(number=row.number)
    else:
        subs = list(siblings.filter(number=action.number, sub_number__gt=0).order_by("sub_number"))
        renumber(moved(subs, action, direction), "sub_number")
