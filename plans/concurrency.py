"""No lost edits: a form remembers the version of the row it was opened at (the row's latest
history record), and a save over a newer version is refused with what changed meanwhile."""

from dataclasses import dataclass, field

from django.db import transaction


def version_of(obj) -> int:
    if obj is None or obj.pk is None:
        return 0
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


@dataclass
class EditConflict(Exception):
    who: str
    when: object
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, was, now)
    current_version: int = 0


def _conflict(obj, submitted_version: int, current_version: int) -> EditConflict:
    model = type(obj)
    records = {r.history_id: r for r in obj.history.filter(history_id__in=[submitted_version, current_version])}
    then, now = records.get(submitted_version), records.get(current_version)
    changes = []
    if then is not None and now is not None:
        for change in now.diff_against(then).changes:
            label = model._meta.get_field(change.field).verbose_name.capitalize()
            changes.append(
                (label, "" if change.old is None else str(change.old), "" if change.new is None else str(change.new))
            )
    user = getattr(now, "history_user", None)
    who = (user.get_full_name() or user.get_username()) if user else "someone"
    return EditConflict(
        who=who, when=getattr(now, "history_date", None), changes=changes, current_version=current_version
    )


@transaction.atomic
def save_if_unchanged(obj, submitted_version, save):
    """Lock the row, check nobody saved it since `submitted_version`, then call save()."""
    if obj.pk is not None:
        type(obj).objects.select_for_update().filter(pk=obj.pk).first()
        current = version_of(obj)
        try:
            submitted = int(submitted_version or 0)
        except (TypeError, ValueError):
            submitted = 0
        if current != submitted:
            raise _conflict(obj, submitted, current)
    return save()
