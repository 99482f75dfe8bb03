"""Benchmark: how long the LD/MH plan takes to become HTML and a PDF. Prints figures; asserts nothing.

Run after `make run` (or `python manage.py migrate && python manage.py load_demo`):
    .venv/bin/python bench/plan_pdf.py [repeats]
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kent_plans.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from documents.builders import plan_print_html  # noqa: E402
from documents.rendering import render_pdf  # noqa: E402
from plans.models import Plan  # noqa: E402


def main(repeats: int) -> None:
    plan = Plan.objects.filter(unit__code="LDMH").order_by("pk").first()
    if plan is None:
        sys.exit("No LDMH plan: run `python manage.py load_demo` first.")
    html_times, pdf_times = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            html = plan_print_html(plan.pk, for_pdf=True)
        html_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf, pages = render_pdf(html)
        pdf_times.append(time.perf_counter() - started)
    print(f"plan: {plan}")
    print(f"print HTML: {len(html):,} characters, {len(queries.captured_queries)} SQL queries")
    print(f"HTML build: median {statistics.median(html_times) * 1000:.0f} ms over {repeats} runs")
    median = statistics.median(pdf_times)
    print(f"PDF render: median {median:.2f} s over {repeats} runs, {pages} pages, {len(pdf):,} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
