"""Opening a round queues its reminder runs with the task worker, for each morning of the last week."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from monitoring import services
from monitoring.tasks import REMINDER_HOUR, reminder_times
from tests.factories import year

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2013, 11, 15)


def at(day, hour=REMINDER_HOUR):
    return timezone.make_aware(datetime.datetime(2013, 11, day, hour))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(1, 9), [at(day) for day in range(8, 16)]),  # opened well ahead: the last eight mornings
        (at(12, 9), [at(13), at(14), at(15)]),  # opened late: the mornings still to come
        (at(12, 7), [at(12), at(13), at(14), at(15)]),  # before eight: today's run too
        (at(15, 9), []),  # opened after the last reminder time
    ],
    ids=["well ahead", "late", "early morning", "too late"],
)
def test_reminder_times(now, expected):
    assert reminder_times(DEADLINE, now) == expected


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_opening_a_round_queues_its_reminders_with_the_worker(
    directorate, admin_user, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=DB_TASKS), django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE, now=at(1)
        )
    # The tests' clock is today, long after 2013: every reminder time has passed, so a far deadline is used below.
    assert DBTaskResult.objects.count() == 0
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with override_settings(TASKS=DB_TASKS), django_capture_on_commit_callbacks(execute=True):
        services.round_open(
            user=admin_user, directorate=directorate, year=year(2013), kind="year_end", deadline=deadline
        )
    queued = list(DBTaskResult.objects.order_by("run_after"))
    assert len(queued) == 8
    assert [timezone.localtime(task.run_after).date() for task in queued] == [
        deadline - datetime.timedelta(days=days) for days in range(7, -1, -1)
    ]
    assert {task.task_path for task in queued} == {"monitoring.tasks.send_round_reminders_task"}


def test_a_backend_that_cannot_defer_queues_nothing_and_sends_nothing(directorate, admin_user, mailoutbox):
    services.round_open(user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE)
    assert mailoutbox == []
