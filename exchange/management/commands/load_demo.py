from django.core.management.base import BaseCommand

from budgets.seed import load_budgets
from exchange.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from monitoring.demo import load_demo_rounds
from performance.seed import load_indicator_seeds


class Command(BaseCommand):
    help = (
        "Load the demo: the FSC directorate and its divisions, the 2013-14 divisional template and every "
        "plan transcribed in fixtures/seeds/. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-accounts",
            action="store_true",
            help=f"Also create one account per role, all with the password {DEMO_PASSWORD!r} (demo only).",
        )

    def handle(self, *args, with_demo_accounts=False, **options):
        plans = load_all()
        load_budgets()  # section D of the seed plans (budgets/seed.py): budget lines, staffing, activity
        load_indicator_seeds()  # section F: the indicators and figures of the seeds (performance/seed.py)
        for plan in plans:
            self.stdout.write(f"Loaded {plan}: {plan.priorities.count()} priorities.")
        closed, opened = load_demo_rounds()  # monitoring/demo.py: the mid-year round as reported, then year-end
        self.stdout.write(f"Monitoring round closed: {closed}, as reported to committee on 5 December 2013.")
        self.stdout.write(f"Monitoring round open: {opened}, no returns entered yet.")
        if with_demo_accounts:
            create_demo_accounts()
            names = ", ".join(username for username, *_ in DEMO_ACCOUNTS)
            self.stdout.write(f"Demo accounts ready: {names} (password {DEMO_PASSWORD}).")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
