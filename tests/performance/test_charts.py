"""Server-side SVG charts (performance/charts.py): accessible, escaped, and scaled to their figures."""

import re
from decimal import Decimal

import pytest

from performance.charts import BLUE, GREEN, Series, bar_chart, nice_ticks, trend_chart


def test_a_trend_chart_is_an_image_named_by_its_title_and_description():
    svg = trend_chart(
        chart_id="trend-1",
        title="PAF C73: actual by period",
        description="Line chart from 2005-06 to 2006-07.",
        labels=["2005-06", "2006-07"],
        series=[Series("Actual", [Decimal("1.9"), Decimal("1.7")], BLUE, "", "circle")],
    )
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-1-title trend-1-desc"' in svg
    assert '<title id="trend-1-title">PAF C73: actual by period</title>' in svg
    assert '<desc id="trend-1-desc">Line chart from 2005-06 to 2006-07.</desc>' in svg
    assert svg.count("<circle") == 3  # two points and the legend's marker
    assert ">2005-06</text>" in svg
    assert ">2006-07</text>" in svg


def test_missing_figures_leave_gaps_not_zeros():
    svg = trend_chart(
        chart_id="t",
        title="t",
        description="d",
        labels=["Q1", "Q2", "Q3"],
        series=[
            Series("Actual", [Decimal("5"), None, Decimal("7")], BLUE, "", "circle"),
            Series("Target", [None, None, Decimal("8")], GREEN, "8 4", "square"),
        ],
    )
    assert svg.count("<circle") == 3  # two points, one legend marker
    assert svg.count("<rect") == 2  # one point, one legend marker
    assert svg.count("<polyline") == 1  # a single target point draws no line


def test_text_is_escaped():
    svg = bar_chart(chart_id="b", title="<script>", description="A & B", bars=[("Kent <b>", Decimal("3.8"), True)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg
    assert "Kent &lt;b&gt;" in svg


def test_a_chart_without_figures_says_so():
    assert "No figures yet" in trend_chart(chart_id="e", title="t", description="d", labels=[], series=[])
    assert "No figures yet" in bar_chart(chart_id="e", title="t", description="d", bars=[])


def test_the_longest_bar_fits_inside_the_chart():
    svg = bar_chart(
        chart_id="b",
        title="t",
        description="d",
        bars=[("Hamps", Decimal("12.1"), False), ("Kent", Decimal("3.8"), True)],
    )
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', svg)]
    assert max(widths) <= 640 - 150 - 60
    assert ">12.1</text>" in svg


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 12.1, [0, 5, 10, 15]),
        (0, 3.8, [0, 1, 2, 3, 4]),
        (0, 194, [0, 50, 100, 150, 200]),
        (-5, 5, [-6, -4, -2, 0, 2, 4, 6]),
    ],
)
def test_ticks_are_round_and_cover_the_figures(low, high, expected):
    ticks = nice_ticks(low, high)
    assert ticks == expected
    assert ticks[0] <= low
    assert ticks[-1] >= high
