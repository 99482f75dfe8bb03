# ruff: noqa: E402 - Django is set up before the app modules are imported.
"""Build the large council of the scale benchmark into the database of DATABASE_URL (a fresh one).

    DATABASE_URL=sqlite:///bench.sqlite3 .venv/bin/python bench/generate.py

It migrates, loads the demo (templates, column sets, themes, demo accounts), then adds a second
council, "Bench County Council", at the size issue 10 asks for, with bulk_create (a few minutes):

- 12 directorates, 60 divisions (5 each);
- 120 published plans (each division, 2012-13 and 2013-14) in the demo's 2013-14 divisional template,
  600 priorities (5 a plan), 6,000 actions (10 a priority: 5 headline actions with a sub-action each),
  3,000 milestones and 1,200 decisions, risks and critical functions, narrative in every section;
- 48 monitoring rounds (mid-year and year-end of both years for each directorate), every action,
  milestone and priority returned in the two rounds of its plan's year (12,000 action returns in all,
  each action reported in 4 rounds counting its previous year's version); all but the latest round
  of each directorate closed, so their pages read a snapshot as in production;
- 1,000 monthly indicators (16 or 17 a division) with three years (36 months) of actuals, an annual
  target and a floor each year;
- 5,000 budget lines: 75 on each 2013-14 plan, and 100 on each of 5 draft versions (the budget grid
  only opens drafts).

Nothing here is real data: every row is invented for the benchmark, and the council's source note says so.
simple-history records no history for bulk-created rows (the app's pages do not read it).
"""

import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent_plans.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from budgets.models import BudgetLine
from common.cache import bump_generation
from common.models import FinancialYear
from monitoring.models import ActionReturn, MilestoneReturn, PriorityReturn, Round
from monitoring.services import round_close
from organisation.models import Council, Unit
from performance.models import Actual, Indicator, IndicatorYear, Target
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanSection,
    PlanTemplate,
    Priority,
    Risk,
    Theme,
)

COUNCIL = "Bench County Council"
DIRECTORATES, DIVISIONS_EACH = 12, 5
YEARS = (2012, 2013)
PRIORITIES_EACH, HEADLINES_EACH = 5, 5  # per plan; per priority (each with one sub-action)
INDICATORS = 1000
INDICATOR_YEARS = (2011, 2012, 2013)
BUDGET_LINES_EACH, DRAFTS, DRAFT_LINES = 75, 5, 100
BENCH_USERS = {"bench.viewer": Membership.Role.VIEWER, "bench.editor": Membership.Role.EDITOR}
PASSWORD = "bench-password-2013"
SOURCE = "Invented for the scale benchmark (bench/generate.py): no figure or text here is real."

rng = random.Random(2013)  # noqa: S311 - invented figures, not secrets
User = get_user_model()


def bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=500)


def organisation(admin):
    council = Council.objects.create(name=COUNCIL, short_name="BCC")
    directorates = bulk(
        Unit,
        [
            Unit(
                council=council,
                level=Unit.Level.DIRECTORATE,
                code=f"D{d:02}",
                name=f"Directorate {d:02}",
                first_year_id=2011,
                source_note=SOURCE,
            )
            for d in range(1, DIRECTORATES + 1)
        ],
    )
    divisions = bulk(
        Unit,
        [
            Unit(
                council=council,
                level=Unit.Level.DIVISION,
                parent=directorate,
                code=f"{directorate.code}V{v}",
                name=f"Division {v} of {directorate.name}",
                first_year_id=2011,
                source_note=SOURCE,
            )
            for directorate in directorates
            for v in range(1, DIVISIONS_EACH + 1)
        ],
    )
    # A committee member of the first directorate, and an editor of its first division.
    for username, role in BENCH_USERS.items():
        user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
        unit = directorates[0] if role == Membership.Role.VIEWER else divisions[0]
        Membership.objects.create(user=user, unit=unit, role=role)
    return council, directorates, divisions


def plans(divisions, template):
    sections = list(template.sections.all())
    themes = list(Theme.objects.all())
    plan_rows = bulk(
        Plan,
        [
            Plan(
                unit=division,
                year_id=start,
                template=template,
                title=f"Divisional Business Plan {start}",
                version_label="Final",
                version_date=datetime.date(start, 3, 1),
                status=Plan.Status.PUBLISHED,
                director=f"Director of {division.code}",
                source=SOURCE,
            )
            for division in divisions
            for start in YEARS
        ],
    )
    bulk(
        PlanSection,
        [
            PlanSection(
                plan=plan,
                template_section=section,
                progress=PlanSection.Progress.COMPLETED,
                body=f"Narrative of section {section.code} of {plan.unit.code}.\n\n- a point\n- another",
            )
            for plan in plan_rows
            for section in sections
        ],
    )
    priorities = bulk(
        Priority,
        [
            Priority(plan=plan, number=n, title=f"Priority {n}", description=f"What priority {n} is about.")
            for plan in plan_rows
            for n in range(1, PRIORITIES_EACH + 1)
        ],
    )
    Priority.themes.through.objects.bulk_create(
        [Priority.themes.through(priority=p, theme=themes[p.number % len(themes)]) for p in priorities],
        batch_size=500,
    )
    actions, milestones, decisions = [], [], []
    for priority in priorities:
        start = priority.plan.year_id
        for n in range(1, HEADLINES_EACH + 1):
            for sub in (0, 1):
                actions.append(
                    Action(
                        priority=priority,
                        number=n,
                        sub_number=sub,
                        text=f"Action {n}.{sub} of priority {priority.number}",
                        officer=f"Head of Service {n}",
                        start=datetime.date(start, 4, 1),
                        end=datetime.date(start + 1, 3, 1),
                    )
                )
            milestones.append(
                Milestone(
                    priority=priority, letter="ABCDE"[n - 1], text=f"Milestone {n}", due=datetime.date(start, 9, 1)
                )
            )
        for n in (1, 2):
            decisions.append(Decision(priority=priority, number=n, text=f"Decision {n}", in_forward_plan=n == 1))
    actions = bulk(Action, actions)
    milestones = bulk(Milestone, milestones)
    bulk(Decision, decisions)
    bulk(
        Risk, [Risk(plan=p, number=n, risk=f"Risk {n}", mitigation="Mitigation.") for p in plan_rows for n in (1, 2, 3)]
    )
    bulk(
        CriticalFunction,
        [
            CriticalFunction(plan=p, number=n, name=f"Function {n}", timescale="24 hours")
            for p in plan_rows
            for n in (1, 2)
        ],
    )
    return plan_rows, priorities, actions, milestones


def rounds(directorates, admin, priorities, actions, milestones):
    now = timezone.now()
    round_rows = bulk(
        Round,
        [
            Round(
                directorate=d,
                year_id=start,
                kind=kind,
                name=f"{Round.Kind(kind).label} {start}-{str(start + 1)[2:]}",
                deadline=datetime.date(start, 11, 1) if kind == Round.Kind.MID_YEAR else datetime.date(start + 1, 5, 1),
                opened_by=admin,
                opened_at=now,
                source_note=SOURCE,
            )
            for d in directorates
            for start in YEARS
            for kind in (Round.Kind.MID_YEAR, Round.Kind.YEAR_END)
        ],
    )
    by_key = {(r.directorate_id, r.year_id): [] for r in round_rows}
    for r in round_rows:
        by_key[(r.directorate_id, r.year_id)].append(r)

    def rounds_of(plan):
        return by_key[(plan.unit.parent_id, plan.year_id)]

    statuses = [s for s, _ in ActionReturn.Status.choices]
    weights = [3, 6, 1, 0.2]
    action_returns = []
    for action in actions:
        for r in rounds_of(action.priority.plan):
            status = rng.choices(statuses, weights)[0]
            action_returns.append(
                ActionReturn(
                    round=r,
                    action=action,
                    status=status,
                    entered_by=admin,
                    entered_at=now,
                    commentary=f"Progress on {action.label}." if status in ("delayed", "cancelled") else "",
                )
            )
    bulk(ActionReturn, action_returns)
    bulk(
        MilestoneReturn,
        [
            MilestoneReturn(
                round=r, milestone=m, status=MilestoneReturn.Status.ON_TRACK, entered_by=admin, entered_at=now
            )
            for m in milestones
            for r in rounds_of(m.priority.plan)
        ],
    )
    bulk(
        PriorityReturn,
        [
            PriorityReturn(
                round=r,
                priority=p,
                key_achievements="Achieved things.",
                key_issues="1.1 on hold",
                entered_by=admin,
                entered_at=now,
            )
            for p in priorities
            for r in rounds_of(p.plan)
        ],
    )
    # Close every round but the latest (year-end 2013-14) of each directorate: their pages read snapshots.
    for r in round_rows:
        if not (r.year_id == YEARS[-1] and r.kind == Round.Kind.YEAR_END):
            round_close(round_=r, user=admin)
    return round_rows, len(action_returns)


def indicators(divisions):
    rows = []
    for i in range(INDICATORS):
        division = divisions[i % len(divisions)]
        rows.append(
            Indicator(
                unit=division,
                reference=f"BI {i + 1}",
                title=f"Bench indicator {i + 1}",
                measure="count",
                polarity="higher" if i % 3 else "lower",
                frequency="monthly",
                aggregation="cumulative",
                accountable_manager=f"Manager {i % 17}",
                order=i,
                source_note=SOURCE,
            )
        )
    rows = bulk(Indicator, rows)
    years = bulk(
        IndicatorYear,
        [
            IndicatorYear(indicator=ind, year_id=start, floor=Decimal(80), previous_outturn=Decimal(95))
            for ind in rows
            for start in INDICATOR_YEARS
        ],
    )
    bulk(
        Target,
        [
            Target(indicator_year=y, period="year", period_start=datetime.date(y.year_id, 4, 1), value=Decimal(1200))
            for y in years
        ],
    )
    actuals = []
    for y in years:
        for m in range(12):
            month = (3 + m) % 12 + 1
            day = datetime.date(y.year_id + (1 if month < 4 else 0), month, 1)
            actuals.append(
                Actual(indicator_year=y, period="month", period_start=day, value=Decimal(rng.randint(70, 130)))
            )
    bulk(Actual, actuals)
    return len(rows), len(actuals)


def budgets(plan_rows, template):
    current = [p for p in plan_rows if p.year_id == YEARS[-1]]
    drafts = bulk(
        Plan,
        [
            Plan(
                unit=p.unit,
                year_id=p.year_id,
                template=template,
                title=p.title,
                version_label="Draft v2",
                status=Plan.Status.DRAFT,
                previous_version=p,
                source=SOURCE,
            )
            for p in current[:DRAFTS]
        ],
    )
    lines = []
    for plan, count in [(p, BUDGET_LINES_EACH) for p in current] + [(p, DRAFT_LINES) for p in drafts]:
        for n in range(1, count + 1):
            lines.append(
                BudgetLine(
                    plan=plan,
                    order=n,
                    kind=BudgetLine.Kind.AREA,
                    name=f"Unit {n}",
                    responsible_manager=f"Manager {n}",
                    staffing=Decimal(rng.randint(100, 5000)) / 10,
                    non_staffing=Decimal(rng.randint(100, 9000)) / 10,
                    service_income=-Decimal(rng.randint(0, 900)) / 10,
                    government_grants=-Decimal(rng.randint(0, 500)) / 10,
                )
            )
    bulk(BudgetLine, lines)
    return len(lines)


def main():
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if Council.objects.filter(name=COUNCIL).exists():
        print(f"{COUNCIL} is already in this database: nothing to do.")
        return
    call_command("load_demo", with_demo_accounts=True, verbosity=0)
    admin = User.objects.get(username="admin")
    template = PlanTemplate.objects.get(slug="divisional-2013-14")
    for start in (*INDICATOR_YEARS, *YEARS):
        FinancialYear.objects.get_or_create(start_year=start)
    with transaction.atomic():
        council, directorates, divisions = organisation(admin)
        plan_rows, priorities, actions, milestones = plans(divisions, template)
        # Reload with their units, so the rounds can group them without a query per row.
        plan_by_id = {p.pk: p for p in Plan.objects.filter(unit__council=council).select_related("unit")}
        for priority in priorities:
            priority.plan = plan_by_id[priority.plan_id]
        round_rows, action_returns = rounds(directorates, admin, priorities, actions, milestones)
        indicator_count, actual_count = indicators(divisions)
        line_count = budgets(plan_rows, template)
        bump_generation()  # rows made in bulk send no signal: what a shared cache holds is stale
    print(
        f"{COUNCIL}: {len(directorates)} directorates, {len(divisions)} divisions, {len(plan_rows)} published plans, "
        f"{len(priorities)} priorities, {len(actions)} actions, {len(round_rows)} rounds with {action_returns} action "
        f"returns, {indicator_count} indicators with {actual_count} monthly actuals, {line_count} budget lines; "
        f"built in {time.monotonic() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
