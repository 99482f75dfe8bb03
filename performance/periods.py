"""Reporting periods of indicators: a month, a quarter, a school term or a whole year.

A period is held as its kind and the first day it covers (`period` and `period_start` on targets,
actuals and commentary). One representation for every frequency, so that a monthly indicator can
also carry an annual target, and the seeds' annual outturns sit beside monthly figures:

- month:   the first day of the month (April 2008 is 2008-04-01);
- quarter: the first day of a financial quarter: Q1 starts 1 April, Q2 1 July, Q3 1 October,
           Q4 1 January;
- term:    the first day of the term's first month: Autumn 1 September, Spring 1 January,
           Summer 1 April (academic years run September to August);
- year:    1 April for a financial year, 1 September for an academic year.

Codes (used in URLs): "2008-04" (a month), "FY2008" (2008-09), "FY2008-Q1", "AY2008" (academic
year 2008/09) and "AY2008-autumn".
"""

import datetime
import re
from dataclasses import dataclass

from django.db import models


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    TERM = "term", "Term"
    YEAR = "year", "Year"


class YearBasis(models.TextChoices):
    FINANCIAL = "financial", "Financial year (April to March)"
    ACADEMIC = "academic", "Academic year (September to August)"


TERMS = {9: "Autumn", 1: "Spring", 4: "Summer"}
QUARTER_STARTS = (4, 7, 10, 1)
# Months a period of each kind may start in.
START_MONTHS = {
    PeriodKind.MONTH: tuple(range(1, 13)),
    PeriodKind.QUARTER: QUARTER_STARTS,
    PeriodKind.TERM: tuple(TERMS),
    PeriodKind.YEAR: (4, 9),
}
LENGTH_IN_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
_CODE = re.compile(
    r"^(?:(?P<month_year>\d{4})-(?P<month>\d{2})"
    r"|FY(?P<fy>\d{4})(?:-Q(?P<quarter>[1-4]))?"
    r"|AY(?P<ay>\d{4})(?:-(?P<term>autumn|spring|summer))?)$"
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def year_start_of(day: datetime.date, basis: str = YearBasis.FINANCIAL) -> int:
    """The start year of the financial (April) or academic (September) year containing the day."""
    first_month = 9 if basis == YearBasis.ACADEMIC else 4
    return day.year if day.month >= first_month else day.year - 1


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ordered by start date, then by kind (so a month sorts before its year)."""

    start: datetime.date
    kind: str

    def __post_init__(self):
        if self.start.day != 1 or self.start.month not in START_MONTHS[PeriodKind(self.kind)]:
            raise ValueError(f"A {self.kind} cannot start on {self.start:%d %B %Y}.")

    @property
    def basis(self) -> str:
        """Terms and years starting in September belong to academic years; everything else to financial years."""
        if self.kind == PeriodKind.TERM or (self.kind == PeriodKind.YEAR and self.start.month == 9):
            return YearBasis.ACADEMIC
        return YearBasis.FINANCIAL

    @property
    def year_start(self) -> int:
        return year_start_of(self.start, self.basis)

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        if self.kind == PeriodKind.TERM:
            # Autumn runs to December, Spring to March, Summer to August.
            return add_months(self.start, {9: 4, 1: 3, 4: 5}[self.start.month])
        return add_months(self.start, LENGTH_IN_MONTHS[PeriodKind(self.kind)])

    def previous(self) -> "Period":
        if self.kind == PeriodKind.TERM:
            return Period(add_months(self.start, {9: -5, 1: -4, 4: -3}[self.start.month]), self.kind)
        return Period(add_months(self.start, -LENGTH_IN_MONTHS[PeriodKind(self.kind)]), self.kind)

    @property
    def quarter(self) -> int | None:
        """The financial quarter (1 to 4) a month or quarter falls in; None for terms and years."""
        if self.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
            return None
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return self.start.strftime("%B %Y")
        if self.kind == PeriodKind.QUARTER:
            return f"Q{self.quarter} {year_label(self.year_start)}"
        if self.kind == PeriodKind.TERM:
            return f"{TERMS[self.start.month]} term {self.start.year}"
        if self.basis == YearBasis.ACADEMIC:
            return f"Academic year {self.year_start}/{(self.year_start + 1) % 100:02d}"
        return year_label(self.year_start)

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"FY{self.year_start}-Q{self.quarter}"
        if self.kind == PeriodKind.TERM:
            return f"AY{self.year_start}-{TERMS[self.start.month].lower()}"
        return f"{'AY' if self.basis == YearBasis.ACADEMIC else 'FY'}{self.year_start}"

    def __str__(self):
        return self.label


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_period(start_year: int, basis: str = YearBasis.FINANCIAL) -> Period:
    return Period(datetime.date(start_year, 9 if basis == YearBasis.ACADEMIC else 4, 1), PeriodKind.YEAR)


def parse_code(code: str) -> Period:
    """A period code from a URL ("FY2008-Q1") -> the Period. Raises ValueError when it is not one."""
    match = _CODE.match(code or "")
    if not match:
        raise ValueError(f"“{code}” is not a period.")
    parts = match.groupdict()
    if parts["month_year"]:
        month = int(parts["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"“{code}” is not a period.")
        return Period(datetime.date(int(parts["month_year"]), month, 1), PeriodKind.MONTH)
    if parts["fy"]:
        year = int(parts["fy"])
        if parts["quarter"]:
            return Period(add_months(datetime.date(year, 4, 1), 3 * (int(parts["quarter"]) - 1)), PeriodKind.QUARTER)
        return year_period(year)
    year = int(parts["ay"])
    if parts["term"]:
        month = {"autumn": 9, "spring": 1, "summer": 4}[parts["term"]]
        return Period(datetime.date(year if month == 9 else year + 1, month, 1), PeriodKind.TERM)
    return year_period(year, YearBasis.ACADEMIC)


def periods_in_year(kind: str, start_year: int, basis: str = YearBasis.FINANCIAL) -> list[Period]:
    """Every period of a kind in a financial (or, for terms and years, academic) year, in order."""
    if kind == PeriodKind.YEAR:
        return [year_period(start_year, basis)]
    if kind == PeriodKind.TERM:
        return [
            Period(datetime.date(start_year, 9, 1), kind),
            Period(datetime.date(start_year + 1, 1, 1), kind),
            Period(datetime.date(start_year + 1, 4, 1), kind),
        ]
    first = datetime.date(start_year, 4, 1)
    step = LENGTH_IN_MONTHS[PeriodKind(kind)]
    return [Period(add_months(first, step * n), kind) for n in range(12 // step)]
