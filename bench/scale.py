# ruff: noqa: E402 - Django is set up before the app modules are imported.
"""Scale benchmark: server time and SQL queries of the main pages on the large council of bench/generate.py.

    DATABASE_URL=sqlite:///bench.sqlite3 .venv/bin/python bench/scale.py [--repeat 30] [--page dashboard]

Each page is measured two ways: read afresh (what common/cache.py keeps made stale before each
request, as on the first read after any change anywhere) and read again (served from the cache as
far as the page uses it). Each way, the page is requested once to warm up, once inside
CaptureQueriesContext to count its queries, then --repeat times with the query log off, timing
client.get() (Django's test client: the whole middleware stack, view and template, no network).
Prints a table (page, user, status, then queries, median ms and p95 ms afresh and again) and the
targets of issue 10 (at most 15 queries, p95 at most 150 ms). It asserts nothing: `make bench`
prints figures; tests/test_query_budget.py holds the query budget.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent_plans.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import gc

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.cache import _new_generation
from monitoring.models import Round
from performance.models import Indicator
from plans.models import Plan

MAX_QUERIES, MAX_P95_MS = 15, 150


def pages():
    """(label, username, path[, context]) of every page measured, on the first directorate of the bench
    council; the page is measured inside the context, when given."""
    plan = Plan.objects.get(unit__code="D01V1", year_id=2013, version_label="Final")
    draft = Plan.objects.get(unit__code="D01V1", year_id=2013, version_label="Draft v2")
    open_round = Round.objects.get(directorate__code="D01", year_id=2013, kind=Round.Kind.YEAR_END)
    closed_round = Round.objects.get(directorate__code="D01", year_id=2013, kind=Round.Kind.MID_YEAR)
    indicator = Indicator.objects.get(unit__code="D01V1", reference="BI 1")
    division = plan.unit_id
    rows = []
    for user in ("admin", "bench.viewer"):
        rows += [
            ("plan front page", user, f"/plans/{plan.pk}/"),
            # The sections with the most tables behind them: priorities, budget, indicators.
            *((f"plan section {code}", user, f"/plans/{plan.pk}/sections/{code}/") for code in "CDF"),
            ("plan list", user, "/plans/"),
            ("dashboards index", user, "/dashboards/"),
            ("dashboard (open round)", user, f"/dashboards/rounds/{open_round.pk}/"),
            ("dashboard (closed round)", user, f"/dashboards/rounds/{closed_round.pk}/"),
            ("drill-down (open round)", user, f"/dashboards/rounds/{open_round.pk}/divisions/{division}/"),
            ("round progress (open)", user, f"/monitoring/{open_round.pk}/"),
            ("indicator list", user, "/performance/"),
            ("indicator page", user, f"/performance/{indicator.pk}/"),
        ]
    rows.append(("budget grid (draft, 100 lines)", "admin", f"/plans/{draft.pk}/budget/"))
    rows.append(("plan list, all awaiting approval", "admin", "/plans/", every_plan_awaiting_approval))
    return rows


@contextmanager
def every_plan_awaiting_approval():
    """The plan list's worst case: every plan of the page awaiting approval, so that each is checked
    (the bench council's plans are published, as in a monitoring year; in the planning months most are
    drafts). Changed in a transaction that is rolled back: the test client shares its connection."""
    with transaction.atomic():
        Plan.objects.update(status=Plan.Status.DRAFT)
        yield
        transaction.set_rollback(True)
    _new_generation()  # nothing built on the drafts is read after


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def _time(client, path, repeat, *, afresh):
    """(status, queries, median ms, p95 ms) of the page, read afresh or again."""
    before = _new_generation if afresh else (lambda: None)
    client.get(path)  # warm up: compiled templates, per-process caches
    before()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    count = len(queries)  # now: the log is emptied at the start of each request
    settings.DEBUG = False  # no query log while timing
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    settings.DEBUG = True
    return status, count, statistics.median(times), percentile(times, 0.95)


def measure(repeat: int, only: str = ""):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = get_user_model().objects
    clients = {}
    for label, username, path, *setting in pages():
        if only.lower() not in label.lower():
            continue
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(users.get(username=username))
        client = clients[username]
        with setting[0]() if setting else nullcontext():
            status, *afresh = _time(client, path, repeat, afresh=True)
            _, *again = _time(client, path, repeat, afresh=False)
        yield label, username, status, afresh, again


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--page", default="", help="only the pages whose label contains this text")
    args = parser.parse_args()
    # As kent_plans/wsgi.py does in each server process: start-up objects out of the collector's sight.
    import kent_plans.urls  # noqa: F401

    gc.collect()
    gc.freeze()
    vendor = connection.vendor
    print(
        f"\n== {vendor}: {args.repeat} timed requests per page "
        f"(targets: <= {MAX_QUERIES} queries, p95 <= {MAX_P95_MS} ms)"
    )
    print(f"{'':<53} {'---------- afresh ---------':>27}  {'---------- again ----------':>27}")
    print(
        f"{'page':<32} {'user':<13} {'status':>6} "
        + f"{'queries':>7} {'median ms':>9} {'p95 ms':>9}  " * 2
        + "over target"
    )
    for label, username, status, afresh, again in measure(args.repeat, args.page):
        over = []
        for name, (queries, _median, p95) in (("afresh", afresh), ("again", again)):
            over += [
                f"{what} {name}" for what, bad in (("queries", queries > MAX_QUERIES), ("p95", p95 > MAX_P95_MS)) if bad
            ]
        cells = "".join(f"{queries:>7} {median:>9.1f} {p95:>9.1f}  " for queries, median, p95 in (afresh, again))
        print(f"{label:<32} {username:<13} {status:>6} {cells}{', '.join(over)}")


if __name__ == "__main__":
    main()
