"""Background tasks (django-tasks). The backend is settings.TASKS: immediate in the demo."""

import datetime

from django.utils import timezone
from django_tasks import task

from monitoring.reminders import send_round_reminders


@task()
def send_round_reminders_task(days: int = 7, today: str | None = None) -> dict:
    """Arguments and result are JSON, as a task's must be: `today` as YYYY-MM-DD."""
    return send_round_reminders(days=days, today=datetime.date.fromisoformat(today) if today else None)


# Reminders go out each morning of the last week before a round's deadline (reminders.py sends each
# editor at most one email a day, so a day's task that runs twice sends nothing more).
REMINDER_DAYS = 7
REMINDER_HOUR = 8


def reminder_times(deadline: datetime.date, now: datetime.datetime) -> list[datetime.datetime]:
    """The mornings from REMINDER_DAYS before the deadline to the deadline itself that are still to come."""
    zone = timezone.get_current_timezone()
    times = [
        datetime.datetime.combine(deadline - datetime.timedelta(days=days), datetime.time(REMINDER_HOUR), zone)
        for days in range(REMINDER_DAYS, -1, -1)
    ]
    return [moment for moment in times if moment > now]


def schedule_reminders(round_, now: datetime.datetime | None = None) -> int:
    """Queue the round's reminder runs with the task backend; returns how many were queued.

    A backend that cannot defer work (the immediate one of the demo and the tests) queues none: there,
    reminders are sent by `manage.py send_round_reminders` run daily, as the README says.
    """
    if not send_round_reminders_task.get_backend().supports_defer:
        return 0
    times = reminder_times(round_.deadline, now or timezone.now())
    for moment in times:
        send_round_reminders_task.using(run_after=moment).enqueue(days=REMINDER_DAYS)
    return len(times)
