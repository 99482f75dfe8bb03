"""Charts drawn on the server as SVG, so the page and a printed PDF show the same picture.

Each chart is an image with a title and a description (role="img", aria-labelledby); the page puts
the table of its figures beside it, so nothing is told by the picture alone. Series differ by line
style and marker shape as well as colour (actuals: solid line and circles; target: dashed line and
squares; floor: dotted line and diamonds).
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from performance.formatting import figure

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 48, 40, 56
BLUE, GREEN, RED, GREY, BLACK = "#1d70b8", "#00703c", "#d4351c", "#505a5f", "#0b0c0c"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]
    colour: str
    dash: str  # SVG stroke-dasharray, "" for a solid line
    marker: str  # circle, square or diamond


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    # Every text put into the markup below is escaped first.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="app-chart" '
        'width="100%" font-family="arial, helvetica, sans-serif" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        points = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
        return f'<path d="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def trend_chart(*, chart_id: str, title: str, description: str, labels: list[str], series: list[Series]) -> SafeString:
    """A line chart of one or more series over the periods named in labels."""
    values = [float(v) for s in series for v in s.values if v is not None]
    if not values or not labels:
        return _frame(chart_id, title, description, [_no_data()])
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(index: int) -> float:
        return LEFT + (plot_width / 2 if len(labels) == 1 else plot_width * index / (len(labels) - 1))

    def y_of(value: float) -> float:
        return TOP + plot_height * (1 - (value - low) / (high - low))

    body = []
    for tick in ticks:
        y = y_of(tick)
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{BLACK}">'
            f"{escape(figure(Decimal(str(tick))))}</text>"
        )
    step = max(1, math.ceil(len(labels) / 8))  # at most eight labels along the bottom
    for index, label in enumerate(labels):
        if index % step == 0 or index == len(labels) - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                f'fill="{BLACK}">{escape(label)}</text>'
            )
    for s in series:
        points = [(x_of(i), y_of(float(v))) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="3"{dash}/>')
        body.extend(_marker(s.marker, x, y, s.colour) for x, y in points)
    body.append(_legend(series))
    return _frame(chart_id, title, description, body)


def _legend(series: list[Series]) -> str:
    parts, x = [], LEFT
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(f'<line x1="{x}" x2="{x + 28}" y1="16" y2="16" stroke="{s.colour}" stroke-width="3"{dash}/>')
        parts.append(_marker(s.marker, x + 14, 16, s.colour))
        parts.append(f'<text x="{x + 34}" y="20" font-size="13" fill="{BLACK}">{escape(s.name)}</text>')
        x += 44 + 8 * len(s.name)
    return "".join(parts)


def _no_data() -> str:
    return (
        f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="14" fill="{BLACK}">'
        "No figures yet</text>"
    )


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[tuple[str, Decimal, bool]]) -> SafeString:
    """Horizontal bars in the order given: (label, value, highlighted). The highlighted bar is this council's."""
    if not bars:
        return _frame(chart_id, title, description, [_no_data()])
    label_width, value_width = 150, 60
    row = min(32, (HEIGHT - 20) / len(bars))
    top = (HEIGHT - row * len(bars)) / 2
    ticks = nice_ticks(0.0, max(float(value) for _, value, _ in bars))
    high = ticks[-1] or 1
    plot_width = WIDTH - label_width - value_width - 16
    body = []
    for index, (label, value, highlighted) in enumerate(bars):
        y = top + row * index
        width = max(1.0, plot_width * float(value) / high)
        colour = BLUE if highlighted else GREY
        weight = ' font-weight="bold"' if highlighted else ""
        body.append(
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="{BLACK}"{weight}>{escape(label)}</text>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 4:.1f}" width="{width:.1f}" height="{row - 8:.1f}" fill="{colour}"/>'
        )
        body.append(
            f'<text x="{label_width + width + 6:.1f}" y="{y + row / 2 + 4:.1f}" font-size="13" '
            f'fill="{BLACK}"{weight}>{escape(figure(value))}</text>'
        )
    return _frame(chart_id, title, description, body)


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 5


def sparkline(*, chart_id: str, title: str, description: str, values: list[Decimal | None]) -> SafeString:
    """A small line of the latest figures for a table cell, with its own title and description (the
    text alternative names the first and last figures; the indicator's page has the full chart)."""
    present = [(index, float(value)) for index, value in enumerate(values) if value is not None]
    body = []
    if present:
        low, high = min(v for _, v in present), max(v for _, v in present)
        span = (high - low) or 1.0
        step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(1, len(values) - 1)

        def point(index: int, value: float) -> tuple[float, float]:
            x = SPARK_WIDTH / 2 if len(values) == 1 else SPARK_PAD + step * index
            return x, SPARK_HEIGHT - SPARK_PAD - (SPARK_HEIGHT - 2 * SPARK_PAD) * (value - low) / span

        points = [point(index, value) for index, value in present]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
        x, y = points[-1]
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BLUE}"/>')
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" class="app-sparkline" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
