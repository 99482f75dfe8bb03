"""Cell values as UK spreadsheets hold them, case by case: what is read, and what is refused with which message."""

import datetime
from decimal import Decimal

import pytest

from exchange import parsing
from exchange.parsing import CellError

D = datetime.date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("April 2013", D(2013, 4, 1)),
        ("april 2013", D(2013, 4, 1)),
        ("Apr 2013", D(2013, 4, 1)),
        ("Apr-13", D(2013, 4, 1)),
        ("Sept 2013", D(2013, 9, 1)),
        ("Sep-13", D(2013, 9, 1)),
        ("01/04/2013", D(2013, 4, 1)),
        ("15/04/2013", D(2013, 4, 1)),  # the day is dropped
        ("04/2013", D(2013, 4, 1)),
        ("2013-04", D(2013, 4, 1)),
        ("2013-04-01", D(2013, 4, 1)),
        ("  March 2014  ", D(2014, 3, 1)),
        (datetime.datetime(2013, 4, 1), D(2013, 4, 1)),  # a real Excel date, as openpyxl gives it
        (datetime.datetime(2013, 4, 17, 9, 30), D(2013, 4, 1)),
        (D(2014, 3, 31), D(2014, 3, 1)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_month_reads(cell, expected):
    assert parsing.month(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Smarch 2014", "“Smarch 2014” is not a month; write it like April 2013."),
        ("13/2013", "“13/2013” is not a month; write it like April 2013."),
        ("April", "“April” is not a month; write it like April 2013."),
        ("2013", "“2013” is not a month; write it like April 2013."),
        (41365, "“41365” is a number, not a month; write it like April 2013."),
        (41365.0, "“41365” is a number, not a month; write it like April 2013."),
        (True, "“TRUE” is a number, not a month; write it like April 2013."),
        ("April 0213", "“April 0213” is not a month between 1990 and 2100: check the year."),
        (datetime.datetime(1899, 12, 31), "“31/12/1899” is not a month between 1990 and 2100: check the year."),
    ],
)
def test_month_refuses(cell, message):
    with pytest.raises(CellError) as error:
        parsing.month(cell)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("16/12/2012", D(2012, 12, 16)),
        ("16/12/12", D(2012, 12, 16)),
        ("2012-12-16", D(2012, 12, 16)),
        ("16 December 2012", D(2012, 12, 16)),
        ("16 Dec 2012", D(2012, 12, 16)),
        ("16-Dec-12", D(2012, 12, 16)),
        (datetime.datetime(2012, 12, 16), D(2012, 12, 16)),
        (None, None),
        ("", None),
    ],
)
def test_date_reads(cell, expected):
    assert parsing.date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2013", "“31/02/2013” is not a date; write it like 16/12/2012."),
        ("12/16/2012", "“12/16/2012” is not a date; write it like 16/12/2012."),  # American order
        ("December 2012", "“December 2012” is not a date; write it like 16/12/2012."),
        (41259, "“41259” is a number, not a date; write it like 16/12/2012."),
    ],
)
def test_date_refuses(cell, message):
    with pytest.raises(CellError) as error:
        parsing.date(cell)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£1,234.5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("1,234", Decimal("1234.0")),
        ("(12.3)", Decimal("-12.3")),
        ("£(12.3)", Decimal("-12.3")),
        ("(£12.3)", Decimal("-12.3")),
        ("-12.3", Decimal("-12.3")),
        ("−12.3", Decimal("-12.3")),  # the minus sign
        ("-£12.3", Decimal("-12.3")),
        ("+7", Decimal("7.0")),
        ("0", Decimal("0.0")),  # zero is a figure …
        ("0.0", Decimal("0.0")),
        ("", None),  # … and a blank is not zero
        (None, None),
        ("   ", None),
        (757.2, Decimal("757.2")),  # a numeric cell
        (172233.0, Decimal("172233.0")),
        (12, Decimal("12.0")),
        (Decimal("5776.1"), Decimal("5776.1")),
        ("1,234,567.8", Decimal("1234567.8")),
        (".5", Decimal("0.5")),
    ],
)
def test_money_reads(cell, expected):
    value = parsing.money(cell)
    assert value == expected
    if expected is not None:
        assert value.as_tuple().exponent == -1  # always one decimal place


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("12,34", "“12,34” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("1,2345.0", "“1,2345.0” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("1.23", "“1.23” has too many decimal places: write it to 1 decimal place."),
        (1.25, "“1.25” has too many decimal places: write it to 1 decimal place."),
        ("twelve", "“twelve” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("--12", "“--12” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("(-12)", "“(-12)” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("££12", "“££12” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        ("12 %", "“12 %” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        (True, "“TRUE” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        (float("nan"), "“nan” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        (
            datetime.datetime(2013, 4, 1),
            "“01/04/2013” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative.",
        ),
        ("1e15", "“1e15” is not a figure in £'000; write it like 1,234.5 or (12.3) for a negative."),
        (1e15, "“1000000000000000” is too large to be a figure in £'000: check it."),
    ],
)
def test_money_refuses(cell, message):
    with pytest.raises(CellError) as error:
        parsing.money(cell)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(1, 1), ("1", 1), (" 3 ", 3), (3.0, 3), ("03", 3), ("12", 12), (None, None), ("", None)],
)
def test_whole_number_reads(cell, expected):
    assert parsing.whole_number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0", "“0” is not a number: numbers start at 1."),
        (-2, "“-2” is not a number: numbers start at 1."),
        (1.5, "“1.5” is not a number; write a whole number such as 1, 2 or 3."),
        ("one", "“one” is not a number; write a whole number such as 1, 2 or 3."),
        ("40000", "“40000” is too large for a number."),
    ],
)
def test_whole_number_refuses(cell, message):
    with pytest.raises(CellError) as error:
        parsing.whole_number(cell)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1", (1, 0)),
        ("1.1", (1, 1)),
        ("1.10", (1, 10)),  # a text cell keeps the printed 1.10 (the export formats the column as text)
        (" 2.3 ", (2, 3)),
        (4, (4, 0)),
        (1.1, (1, 1)),  # a numeric cell typed 1.1
        (None, None),
    ],
)
def test_action_number_reads(cell, expected):
    assert parsing.action_number(cell) == expected


@pytest.mark.parametrize("cell", ["0", "1.0", "1.", ".1", "1.1.1", "A", "-1", True, 0])
def test_action_number_refuses(cell):
    with pytest.raises(CellError) as error:
        parsing.action_number(cell)
    assert "is not an action number: write 1 for a headline action and 1.1, 1.2 … for its sub-actions." in str(
        error.value
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes", True),
        ("yes", True),
        ("Y", True),
        ("No", False),
        ("n", False),
        (True, True),  # Excel's TRUE
        (False, False),
        ("", None),  # not stated
        (None, None),
    ],
)
def test_yes_no_reads(cell, expected):
    assert parsing.yes_no(cell) is expected


@pytest.mark.parametrize("cell", ["Maybe", "1", 1, "Not sure"])
def test_yes_no_refuses(cell):
    with pytest.raises(CellError) as error:
        parsing.yes_no(cell)
    assert "is not Yes or No; write Yes, No, or leave the cell blank if not stated." in str(error.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2013-14", 2013), ("2013/14", 2013), ("2013/2014", 2013), (" 2012-13 ", 2012), (None, None), ("", None)],
)
def test_financial_year_reads(cell, expected):
    assert parsing.financial_year(cell) == expected


@pytest.mark.parametrize("cell", ["2013-15", "2013", 2013, "13-14", "April 2013"])
def test_financial_year_refuses(cell):
    with pytest.raises(CellError) as error:
        parsing.financial_year(cell)
    assert "is not a financial year" in str(error.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Prevention; People", ("Prevention", "People")),
        ("Prevention;People;", ("Prevention", "People")),
        ("Prevention\nPeople", ("Prevention", "People")),
        ("  Prevention  ;  Prevention ", ("Prevention",)),
        (["Prevention", "People"], ("Prevention", "People")),
        ("", ()),
        (None, ()),
    ],
)
def test_name_list_reads(cell, expected):
    assert parsing.name_list(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Some text", "Some text"),
        ("Line one\r\nLine two", "Line one\nLine two"),
        ("  kept as typed  ", "  kept as typed  "),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (True, "Yes"),
        (datetime.datetime(2013, 4, 1), "01/04/2013"),
        (None, ""),
    ],
)
def test_text_reads(cell, expected):
    assert parsing.text(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Completed", "completed"), ("completed", "completed"), ("in  progress", "in_progress"), ("", None)],
)
def test_choice_reads_label_or_value(cell, expected):
    options = {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}
    assert parsing.choice(cell, options) == expected


def test_choice_refuses_with_the_list():
    with pytest.raises(CellError) as error:
        parsing.choice("Done", {"not_started": "Not started", "completed": "Completed"})
    assert str(error.value) == "“Done” is not one of: Not started, Completed."


@pytest.mark.parametrize(("cell", "expected"), [("A", "A"), ("b", "B"), (" AA ", "AA"), (None, None)])
def test_letter_reads(cell, expected):
    assert parsing.letter(cell) == expected


@pytest.mark.parametrize("cell", ["1", "A1", "ABCD", "É", 1])
def test_letter_refuses(cell):
    with pytest.raises(CellError):
        parsing.letter(cell)
