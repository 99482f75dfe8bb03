"""Cell values as UK spreadsheets hold them -> Python values, each failure a message for the officer.

A cell arrives as openpyxl gives it (str, int, float, bool, datetime, date, None), as a CSV file
gives it (always text) or as the JSON format gives it (text, numbers, true/false, null). Every
function here takes any of those and returns the Python value, or None for a blank cell: a blank is
never 0, never "No" and never a month. Anything it cannot take raises CellError, whose message
says what was found and what to type instead, in the user's terms ("“Smarch 2014” is not a month;
write it like April 2013.").

Decisions:
- A float from a numeric Excel cell is read through its shortest repr (757.2 -> "757.2"), which is
  what the officer typed; formulas never reach here (the workbook reader refuses them), so no
  computed float such as 0.30000000000000004 can arrive.
- A month cell may hold a real Excel date (01/04/2013 shown as "Apr-13"): its day is dropped.
- Negative figures are "-12.3" or, as accountants write them, "(12.3)"; "£" and thousands
  separators are allowed, but separators must be in the right places ("12,34" is refused).
"""

import datetime
import math
import re
from decimal import Decimal

from common.years import financial_year_label, parse_financial_year, parse_month

# Months and dates outside this range are typing slips ("April 0213"), not plans.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
NUMBER_LIMIT = Decimal("1e12")

_FIGURE = re.compile(r"^(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<places>\d+))?$|^\.(?P<fraction>\d+)$")
_MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (some spreadsheets export the last)
_ACTION_NUMBER = re.compile(r"^(\d+)(?:\.(\d+))?$")
_LETTER = re.compile(r"^[A-Z]{1,3}$")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d.%m.%Y")


class CellError(ValueError):
    """A cell that cannot be read; str(error) is the message for the officer."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _shown(value) -> str:
    """The value as the officer would see it in the cell, for messages."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _float_text(value)
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "…"


def _float_text(value: float) -> str:
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


# --- text ------------------------------------------------------------------------------------------


def text(value) -> str:
    """Any cell as text; a blank is "". Line endings become "\\n" (Excel and CSV files use "\\r\\n")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"“{value}” is not text that can be kept.")
        return _float_text(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return _shown(value)
    if isinstance(value, int | Decimal):
        return str(value)
    raise CellError("This cell holds a list or a table where text was expected.")


def key_text(value) -> str:
    """Text that identifies something (a unit code, a section letter): surrounding spaces removed."""
    return text(value).strip()


# --- numbers ---------------------------------------------------------------------------------------


def number(value, *, places: int | None = None, minimum: Decimal | None = None, what: str = "a number"):
    """A figure -> Decimal (quantised to `places` when given), or None for a blank.

    Accepts 1234.5, "1,234.5", "£1,234.5", "-12.3", "(12.3)", "£(12.3)" and real numeric cells.
    """
    if is_blank(value):
        return None
    example = "1,234.5 or (12.3) for a negative" if places != 0 else "12"
    if isinstance(value, bool | datetime.date):
        raise CellError(f"“{_shown(value)}” is not {what}; write it like {example}.")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"“{_shown(value)}” is not {what}; write it like {example}.")
        amount = Decimal(repr(value))
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = _figure(value.strip(), what=what, example=example)
    else:
        raise CellError(f"This cell does not hold {what}; write it like {example}.")
    if not amount.is_finite() or abs(amount) >= NUMBER_LIMIT:
        raise CellError(f"“{_shown(value)}” is too large to be {what}: check it.")
    if places is not None:
        exponent = amount.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            where = "a whole number" if places == 0 else f"{places} decimal place{'s' if places > 1 else ''}"
            raise CellError(f"“{_shown(value)}” has too many decimal places: write it to {where}.")
        amount = amount.quantize(Decimal(1).scaleb(-places))
    if minimum is not None and amount < minimum:
        raise CellError(f"“{_shown(value)}” cannot be below {minimum}.")
    return amount


def _figure(raw: str, *, what: str, example: str) -> Decimal:
    body, negative, pounds = raw, False, False
    while body:  # "£", a minus sign and brackets, in any order: -£12.3, £-12.3, (£12.3), £(12.3)
        if body.startswith("£") and not pounds:
            body, pounds = body[1:].strip(), True
        elif body[0] in _MINUS_SIGNS and not negative:
            body, negative = body[1:].strip(), True
        elif body.startswith("(") and body.endswith(")") and not negative:
            body, negative = body[1:-1].strip(), True
        elif body[0] == "+" and not negative:
            body = body[1:].strip()
        else:
            break
    match = _FIGURE.match(body)
    if not match:
        raise CellError(f"“{_shown(raw)}” is not {what}; write it like {example}.")
    if match.group("fraction") is not None:
        amount = Decimal("0." + match.group("fraction"))
    else:
        places = match.group("places")
        amount = Decimal(match.group("digits").replace(",", "") + (f".{places}" if places else ""))
    return -amount if negative else amount


def money(value):
    """£'000 to one decimal place, as plans print them."""
    return number(value, places=1, what="a figure in £'000")


def whole_number(value, *, minimum: int = 1, what: str = "a number"):
    """A position or count: 1, 2, 3 … (a numeric cell 3.0 is 3); None for a blank."""
    if is_blank(value):
        return None
    try:
        amount = number(value, places=0, what=what)
    except CellError as error:
        raise CellError(f"“{_shown(value)}” is not {what}; write a whole number such as 1, 2 or 3.") from error
    if amount < minimum:
        raise CellError(f"“{_shown(value)}” is not {what}: numbers start at {minimum}.")
    if amount > 32767:
        raise CellError(f"“{_shown(value)}” is too large for {what}.")
    return int(amount)


# --- months, dates, years --------------------------------------------------------------------------


def _plausible(day: datetime.date, value) -> datetime.date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise CellError(f"“{_shown(value)}” is not a month between {EARLIEST_YEAR} and {LATEST_YEAR}: check the year.")
    return day


def month(value):
    """A month and year -> the first day of that month, or None for a blank.

    Accepts "April 2013", "Apr 2013", "Apr-13", "Sept 2013", "04/2013", "01/04/2013" (day/month/year;
    the day is dropped), "2013-04", and real Excel dates.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _plausible(value.date().replace(day=1), value)
    if isinstance(value, datetime.date):
        return _plausible(value.replace(day=1), value)
    if isinstance(value, bool | int | float | Decimal):
        raise CellError(f"“{_shown(value)}” is a number, not a month; write it like April 2013.")
    if not isinstance(value, str):
        raise CellError("This cell does not hold a month; write it like April 2013.")
    try:
        day = parse_month(value.strip())
    except ValueError as error:
        raise CellError(f"“{_shown(value)}” is not a month; write it like April 2013.") from error
    return _plausible(day, value)


def date(value):
    """A full date -> datetime.date, or None for a blank. Day first, as in the UK: 16/12/2012."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _plausible(value.date(), value)
    if isinstance(value, datetime.date):
        return _plausible(value, value)
    if isinstance(value, bool | int | float | Decimal):
        raise CellError(f"“{_shown(value)}” is a number, not a date; write it like 16/12/2012.")
    if not isinstance(value, str):
        raise CellError("This cell does not hold a date; write it like 16/12/2012.")
    raw = value.strip()
    for pattern in _DATE_FORMATS:
        try:
            return _plausible(datetime.datetime.strptime(raw, pattern).date(), value)
        except ValueError:
            continue
    raise CellError(f"“{_shown(value)}” is not a date; write it like 16/12/2012.")


def financial_year(value):
    """ "2013-14", "2013/14" or "2013/2014" -> 2013; None for a blank."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        try:
            start = parse_financial_year(value.strip())
        except ValueError as error:
            raise CellError(f"“{_shown(value)}” is not a financial year; write it like 2013-14.") from error
        if not EARLIEST_YEAR <= start <= LATEST_YEAR:
            raise CellError(f"“{_shown(value)}” is not a financial year between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return start
    raise CellError(f"“{_shown(value)}” is not a financial year; write it like 2013-14.")


def financial_year_text(start_year) -> str:
    return financial_year_label(start_year) if start_year is not None else ""


# --- yes/no, choices, numbers as printed ------------------------------------------------------------

YES = {"yes", "y", "true"}
NO = {"no", "n", "false"}


def yes_no(value):
    """Yes/No -> True/False; None for a blank (not stated). Also Excel's TRUE/FALSE cells."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        answer = value.strip().lower()
        if answer in YES:
            return True
        if answer in NO:
            return False
    raise CellError(f"“{_shown(value)}” is not Yes or No; write Yes, No, or leave the cell blank if not stated.")


def yes_no_text(value) -> str:
    return "" if value is None else ("Yes" if value else "No")


def choice(value, options: dict[str, str]):
    """One of a fixed list: options maps each stored value to its label. Either is accepted."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        wanted = " ".join(value.split()).lower()
        for stored, label in options.items():
            if wanted in (stored.lower(), label.lower()):
                return stored
    names = ", ".join(options.values())
    raise CellError(f"“{_shown(value)}” is not one of: {names}.")


def action_number(value):
    """An action number as printed: "1" (a headline action) -> (1, 0); "1.1" -> (1, 1)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raw = ""
    elif isinstance(value, int):
        raw = str(value)
    elif isinstance(value, float):
        raw = _float_text(value) if math.isfinite(value) else ""
    elif isinstance(value, str | Decimal):
        raw = str(value).strip()
    else:
        raw = ""
    match = _ACTION_NUMBER.match(raw)
    if match:
        number_, sub = int(match.group(1)), int(match.group(2) or 0)
        if number_ >= 1 and (match.group(2) is None or sub >= 1) and number_ <= 32767 and sub <= 32767:
            return (number_, sub)
    raise CellError(
        f"“{_shown(value)}” is not an action number: write 1 for a headline action and 1.1, 1.2 … for its sub-actions."
    )


def action_number_text(value) -> str:
    if value is None:
        return ""
    number_, sub = value
    return str(number_) if sub == 0 else f"{number_}.{sub}"


def letter(value):
    """A milestone letter: A, B … Z, AA …; lower case is accepted."""
    if is_blank(value):
        return None
    raw = value.strip().upper() if isinstance(value, str) else ""
    if _LETTER.match(raw):
        return raw
    raise CellError(f"“{_shown(value)}” is not a milestone letter: write A, B, C …")


def name_list(value) -> tuple[str, ...]:
    """Names separated by semicolons or new lines ("Prevention; People") -> a tuple; blank -> ()."""
    if is_blank(value):
        return ()
    if isinstance(value, list | tuple):
        items = []
        for item in value:
            if not isinstance(item, str | int):
                raise CellError("A list may only hold names.")
            items.append(str(item))
    elif isinstance(value, str):
        items = re.split(r"[;\n]", value)
    else:
        raise CellError(f"“{_shown(value)}” is not a list of names: separate the names with semicolons.")
    return tuple(dict.fromkeys(" ".join(item.split()) for item in items if item.strip()))
