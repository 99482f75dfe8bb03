"""Background tasks (django-tasks). The backend is settings.TASKS: immediate in the demo."""

import datetime

from django_tasks import task

from monitoring.reminders import send_round_reminders


@task()
def send_round_reminders_task(days: int = 7, today: str | None = None) -> dict:
    """Arguments and result are JSON, as a task's must be: `today` as YYYY-MM-DD."""
    return send_round_reminders(days=days, today=datetime.date.fromisoformat(today) if today else None)
