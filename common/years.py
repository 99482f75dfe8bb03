"""Financial years and months, as councils write them.

A financial year runs April to March and is written "2013-14" (or "2013/14" in some documents).
Dates in plans are mostly a month and a year ("April 2013"), held as the first day of the month.
"""

import datetime
import re

MONTH_NAMES = {
    name: number
    for number in range(1, 13)
    for name in {
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    }
}
MONTH_NAMES["sept"] = 9

_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")
_MONTH_WORDS = re.compile(r"^\s*([A-Za-z]+)\.?[\s\-/]+(\d{2}|\d{4})\s*$")
_MONTH_NUMERIC = re.compile(r"^\s*(?:(\d{1,2})/)?(\d{1,2})/(\d{4})\s*$")
_MONTH_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def financial_year_label(start_year: int) -> str:
    """2013 -> "2013-14"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """ "2013-14", "2013/14" or "2013/2014" -> 2013. Raises ValueError with a readable message."""
    match = _YEAR_LABEL.match(text or "")
    if not match:
        raise ValueError(f"“{text}” is not a financial year; write it like 2013-14.")
    start, end = int(match.group(1)), match.group(2)
    follows = int(end) == start + 1 if len(end) == 4 else int(end) == (start + 1) % 100
    if not follows:
        raise ValueError(f"“{text}” is not a financial year: the second year must follow the first.")
    return start


def financial_year_of(day: datetime.date) -> int:
    """The start year of the financial year that contains the day."""
    return day.year if day.month >= 4 else day.year - 1


def parse_month(text: str) -> datetime.date:
    try:
        return _parse_month(text)
    except ValueError as error:
        # datetime's own messages ("year 0 is out of range") mean nothing to an officer.
        raise ValueError(f"“{(text or '').strip()}” is not a month; write it like April 2013.") from error


def _parse_month(text: str) -> datetime.date:
    """Month/year as written in plans and spreadsheets -> the first day of that month.

    Accepts "April 2013", "Apr 2013", "Sept 2013", "Apr-13", "04/2013", "01/04/2013" and "2013-04".
    """
    text = (text or "").strip()
    if match := _MONTH_WORDS.match(text):
        month = MONTH_NAMES.get(match.group(1).lower())
        year = int(match.group(2))
        if len(match.group(2)) == 2:
            year += 2000
        if month:
            return datetime.date(year, month, 1)
    elif match := _MONTH_NUMERIC.match(text):
        month, year = int(match.group(2)), int(match.group(3))
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
    elif match := _MONTH_ISO.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
    raise ValueError(f"“{text}” is not a month; write it like April 2013.")


def format_month(day: datetime.date | None) -> str:
    return day.strftime("%B %Y") if day else ""
