import datetime

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from monitoring.tasks import send_round_reminders_task


class Command(BaseCommand):
    help = (
        "Email each plan editor the action returns they still owe in open monitoring rounds whose deadline is "
        "within --days days. Run it daily (cron); a second run on the same day sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Remind of deadlines up to this many days ahead.")
        parser.add_argument("--today", help="Pretend today is this day (YYYY-MM-DD); for trying it out.")

    def handle(self, *args, days=7, today=None, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(f"--today must be a date like 2013-11-08, not {today!r}.") from error
        result = send_round_reminders_task.enqueue(days=days, today=today)
        if result.status == TaskResultStatus.SUCCESSFUL:
            summary = result.return_value
            self.stdout.write(
                f"Reminders sent: {summary['sent']}; already sent today: {summary['already_sent']}; "
                f"editors without an email address: {', '.join(summary['no_email']) or 'none'}."
            )
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError("Sending the reminders failed: see the log.")
        else:
            self.stdout.write(f"Reminders queued as task {result.id}.")
