"""Money as councils print it: thousands of pounds (£'000) to one decimal place, held as Decimal.

A blank cell is not 0.0: the printed budgets leave a cell blank where nothing is budgeted and print
0.0 where a figure was set to nothing, so `parse_money("")` is None and `format_money(None)` is "".
Negatives are written "-12.3" or, as accountants do, "(12.3)"; they are displayed "-12.3", as the
council's budget tables print them (for example the external income column, "-1,217.3").

Everything is Decimal: floats cannot hold 0.1 exactly, and budget subtotals must equal the printed
ones to the last tenth.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
# The largest figure accepted, in £'000: £100 billion less £100. Kent's whole revenue budget is
# about £2 billion (2,000,000.0 in £'000), so anything larger is a slip of the keyboard or a figure
# keyed in pounds rather than thousands of pounds.
MONEY_LIMIT = Decimal("99999999.9")
# FTE: the largest establishment accepted (Kent employs some tens of thousands of people).
FTE_LIMIT = Decimal("999999.99")

_FIGURE = re.compile(
    r"""^
    (?P<digits>\d{1,3}(?:,\d{3})+|\d+)   # 1,234,567 or 1234567
    (?:\.(?P<places>\d+))?               # .5
    $""",
    re.VERBOSE,
)
_MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, the minus sign and the en dash some spreadsheets export
# What a spreadsheet formula starts with: "=SUM(B2:B9)", "@SUM(…)", "+B2*3", "-C4".
_CELL_FORMULA = re.compile(r"^[+\-\u2212]\s*[A-Za-z]")


class MoneyError(ValueError):
    """A figure that cannot be taken as keyed; the message is written for the officer who typed it."""


def parse_money(text) -> Decimal | None:
    """A figure in £'000 as typed or printed -> Decimal to one decimal place, or None for a blank.

    Accepts "1234.5", "1,234.5", "£1,234.5", "-12.3", "(12.3)", "£(12.3)" and "12.30" (trailing zeros
    only). Refuses text, a formula, a second decimal place, badly placed thousands separators and
    figures larger than MONEY_LIMIT, each with a message that says what to type instead.
    """
    return _parse(
        text,
        places=1,
        limit=MONEY_LIMIT,
        what="a figure in £'000 (thousands of pounds)",
        example="1,234.5 or -12.3",
        too_large="Figures are in thousands of pounds: check it was not typed in pounds.",
    )


def parse_fte(text) -> Decimal | None:
    """Full-time equivalents as typed or printed (257.68) -> Decimal to two places, or None for a blank."""
    return _parse(
        text,
        places=2,
        limit=FTE_LIMIT,
        what="a number of full-time equivalent posts",
        example="257.68",
        too_large="Check the figure.",
    )


def _parse(text, *, places: int, limit: Decimal, what: str, example: str, too_large: str) -> Decimal | None:
    if text is None:
        return None
    if isinstance(text, Decimal):
        text = format(text, "f")
    elif isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    elif not isinstance(text, str):
        # A float has already lost the exact figure (0.1 + 0.2 != 0.3): refuse it rather than guess.
        raise MoneyError(f"“{text}” is not an exact figure: type it as text, for example {example}.")
    raw = text.strip()
    if raw == "":
        return None
    if raw.startswith(("=", "@")) or _CELL_FORMULA.match(raw):
        raise MoneyError(f"“{raw}” is a formula: type the figure itself, for example {example}.")

    body, negations, pounds = raw, 0, 0
    while body:  # "£", a minus sign and brackets, in any order: -£12.3, £-12.3, (£12.3), £(12.3)
        if body.startswith("£"):
            body, pounds = body[1:].lstrip(), pounds + 1
        elif body[0] in _MINUS_SIGNS:
            body, negations = body[1:].lstrip(), negations + 1
        elif body[0] == "+" and not (negations or pounds):
            body = body[1:].lstrip()
        elif body.startswith("(") and body.endswith(")"):
            body, negations = body[1:-1].strip(), negations + 1
        else:
            break
    match = _FIGURE.match(body) if negations <= 1 and pounds <= 1 else None
    if not match:
        raise MoneyError(f"“{raw}” is not a figure: type {what}, for example {example}.")
    decimals = (match.group("places") or "").rstrip("0")
    if len(decimals) > places:
        where = "one decimal place" if places == 1 else f"{places} decimal places"
        raise MoneyError(f"“{raw}” has more than {where}: type {what} to {where}, for example {example}.")
    value = Decimal(match.group("digits").replace(",", "") + "." + (decimals or "0"))
    if value > limit:
        raise MoneyError(
            f"“{raw}” is too large: the largest figure accepted is {format_money(limit, places)}. {too_large}"
        )
    value = value.quantize(Decimal(1).scaleb(-places))
    return -value if negations and value else value


def round_money(value: Decimal | None, places: int = 1) -> Decimal | None:
    """Round half away from zero, as the council's spreadsheets do (2.25 -> 2.3, -2.25 -> -2.3).

    Decimal's default, banker's rounding, would give 2.2.
    """
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_money(value: Decimal | None, places: int = 1) -> str:
    """Decimal -> "1,234.5" / "-1,217.3" / "0.0"; None -> "" (a blank stays blank)."""
    if value is None:
        return ""
    value = round_money(value, places)
    if value == 0:
        value = abs(value)  # never print "-0.0"
    return f"{value:,.{places}f}"
