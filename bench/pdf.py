"""Benchmark: the app's PDFs against bare WeasyPrint on the same HTML. Prints figures; asserts nothing.

For each document (the LD/MH plan 2013-14, the FSC mid-year committee report, a synthetic plan of about
50 pages) it times, `repeats` times and interleaved so that load from other processes falls on both alike:

- app: the app's own code path, print HTML built from the database then rendered by documents.rendering
  (WeasyPrint through the static-files fetcher, PDF/UA-1, tags, metadata);
- bare: the same saved HTML through bare WeasyPrint, `HTML(string=..., base_url=...).write_pdf(...)` with
  the same stylesheet (read from its file) and the same PDF/UA-1 variant.

It prints medians of wall-clock and CPU time and the ratio app/bare (target: within 1.2). The synthetic
plan is made inside a transaction that is rolled back, so the database is left as it was. The HTML and
PDFs of the last run are written to the output folder (for pdftoppm).

Run after `make run` (or `python manage.py migrate && python manage.py load_demo`):
    make bench-pdf                      # REPEATS=5 by default
    .venv/bin/python bench/pdf.py [--repeats N] [--out DIR] [--only plan|report|synthetic]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent_plans.settings")

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from weasyprint import HTML  # noqa: E402

from documents import builders  # noqa: E402
from documents.committee_report import committee_report_print_html  # noqa: E402
from documents.rendering import print_stylesheet_url, render_pdf  # noqa: E402
from monitoring.models import Round  # noqa: E402
from plans.models import Action, Plan  # noqa: E402

TARGET_RATIO = 1.2
# Copies of the LD/MH plan's priorities, risks and critical functions that make about 50 A4 pages.
SYNTHETIC_COPIES = 4


class Rollback(Exception):
    pass


def bare_html(html: str) -> tuple[str, str]:
    """The saved HTML as bare WeasyPrint reads it: the stylesheet link points at the file itself."""
    stylesheet = Path(finders.find("css/print.css"))
    return html.replace(print_stylesheet_url(), stylesheet.as_uri()), stylesheet.parent.as_uri() + "/"


def bare_render(html: str, base_url: str) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, build_html, repeats: int, out: Path) -> dict:
    app_wall, app_cpu, html_wall, bare_wall, bare_cpu = [], [], [], [], []
    saved, base_url = bare_html(build_html())
    bare_render(saved, base_url)  # warm-up, untimed: fonts, caches and imports are loaded once per process

    def app():
        nonlocal html, pdf, pages
        with CaptureQueriesContext(connection) as captured:
            html, wall, cpu = timed(build_html)
        html_wall.append(wall)
        queries.append(len(captured.captured_queries))
        (pdf, pages), wall2, cpu2 = timed(lambda: render_pdf(html))
        app_wall.append(wall + wall2)
        app_cpu.append(cpu + cpu2)

    def bare():
        nonlocal bare_pdf
        bare_pdf, wall, cpu = timed(lambda: bare_render(saved, base_url))
        bare_wall.append(wall)
        bare_cpu.append(cpu)

    html, pdf, pages, bare_pdf, queries = "", b"", 0, b"", []
    for run in range(repeats):
        for step in (app, bare) if run % 2 == 0 else (bare, app):  # alternate which goes first
            step()
    slug = name.split(":")[0].lower().replace(" ", "-").replace("/", "")
    (out / f"{slug}.html").write_text(html)
    (out / f"{slug}.pdf").write_bytes(pdf)
    (out / f"{slug}-bare.pdf").write_bytes(bare_pdf)
    row = {
        "name": name,
        "pages": pages,
        "bytes": len(pdf),
        "html_chars": len(html),
        "queries": queries[-1],
        "html": statistics.median(html_wall),
        "app": statistics.median(app_wall),
        "bare": statistics.median(bare_wall),
        "app_cpu": statistics.median(app_cpu),
        "bare_cpu": statistics.median(bare_cpu),
    }
    row["ratio"] = row["app"] / row["bare"]
    row["ratio_cpu"] = row["app_cpu"] / row["bare_cpu"]
    return row


def ldmh_plan() -> Plan | None:
    return Plan.objects.filter(unit__code="LDMH", year__start_year=2013).order_by("-version_date", "-pk").first()


def committee_report_round():
    """The FSC mid-year 2013-14 round, if it has its committee report (monitoring/seed.py loads it)."""
    return Round.objects.filter(
        directorate__code="FSC", kind="mid_year", year__start_year=2013, committee_report__isnull=False
    ).first()


def make_synthetic_plan(source: Plan, copies: int) -> Plan:
    """A copy of the plan whose priorities, actions, milestones, decisions, risks, critical functions and
    section G rows are repeated `copies` times (numbered on), for a long document."""
    plan = Plan.objects.get(pk=source.pk)
    plan.pk = plan.id = None
    plan.version_label = "Synthetic benchmark copy"
    plan.previous_version = None
    plan.save()
    for section in source.sections.all():
        section.pk = section.id = None
        section.plan = plan
        section.save()
    priorities = list(source.priorities.prefetch_related("actions", "milestones", "decisions").order_by("number"))
    number = 0
    for copy in range(copies):
        for priority in priorities:
            children = [list(getattr(priority, name).all()) for name in ("actions", "milestones", "decisions")]
            number += 1
            priority.pk = priority.id = None
            priority.plan = plan
            priority.number = number
            priority.save()
            for rows in children:
                for row in rows:
                    row.pk = row.id = None
                    row.priority = priority
                    row.save()
        for related in ("risks", "critical_functions", "support_needed"):
            rows = list(getattr(source, related).order_by("number"))
            offset = copy * len(rows)
            for row in rows:
                row.pk = row.id = None
                row.plan = plan
                row.number += offset
                row.save()
    return plan


def report(rows: list[dict], repeats: int) -> None:
    print(
        f"\nMedians over {repeats} runs; app = print HTML from the database + PDF; bare = WeasyPrint on the saved HTML."
    )
    header = (
        f"{'document':<34} {'pages':>5} {'HTML':>7} {'app s':>7} {'bare s':>7} {'ratio':>6}"
        f" {'app cpu':>8} {'bare cpu':>8} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['name'][:34]:<34} {row['pages']:>5} {row['html'] * 1000:>5.0f}ms {row['app']:>7.2f}"
            f" {row['bare']:>7.2f} {row['ratio']:>6.2f} {row['app_cpu']:>8.2f} {row['bare_cpu']:>8.2f}"
            f" {row['ratio_cpu']:>6.2f}"
        )
    for row in rows:
        verdict = "within" if row["ratio"] <= TARGET_RATIO else "ABOVE"
        print(
            f"{row['name']}: {row['html_chars']:,} characters of HTML in {row['queries']} SQL queries, "
            f"{row['bytes']:,} bytes of PDF; app/bare {row['ratio']:.2f} ({verdict} the {TARGET_RATIO} target)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "kent-plans-bench-pdf")
    parser.add_argument("--only", choices=["plan", "report", "synthetic"], action="append")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or ["plan", "report", "synthetic"])
    plan = ldmh_plan()
    if plan is None:
        sys.exit("No LDMH 2013-14 plan: run `python manage.py load_demo` first.")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    rows = []
    if "plan" in wanted:
        rows.append(
            measure(
                f"LD/MH plan: {plan.title}",
                lambda: builders.plan_print_html(plan.pk, for_pdf=True),
                args.repeats,
                args.out,
            )
        )
    if "report" in wanted:
        round_ = committee_report_round()
        if round_ is None:
            print("No FSC mid-year 2013-14 round with its committee report: skipped.")
        else:
            rows.append(
                measure(
                    f"FSC committee report: {round_.name}",
                    lambda: committee_report_print_html(round_.pk, for_pdf=True),
                    args.repeats,
                    args.out,
                )
            )
    if "synthetic" in wanted:
        try:
            with transaction.atomic():
                synthetic = make_synthetic_plan(plan, SYNTHETIC_COPIES)
                actions = Action.objects.filter(priority__plan=synthetic).count()
                rows.append(
                    measure(
                        f"Synthetic plan: {actions} actions",
                        lambda: builders.plan_print_html(synthetic.pk, for_pdf=True),
                        args.repeats,
                        args.out,
                    )
                )
                raise Rollback
        except Rollback:
            pass
    print(f"Load average after: {os.getloadavg()[0]:.2f}; HTML and PDFs in {args.out}")
    report(rows, args.repeats)


if __name__ == "__main__":
    main()
