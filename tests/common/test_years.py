import datetime

import pytest
from django.core.exceptions import ValidationError

from common.fields import MonthFormField
from common.years import financial_year_label, format_month, parse_financial_year, parse_month

APRIL_2013 = datetime.date(2013, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 2013", APRIL_2013),
        ("Apr 2013", APRIL_2013),
        ("april 2013", APRIL_2013),
        ("Apr. 2013", APRIL_2013),
        ("  April 2013  ", APRIL_2013),
        ("Sept 2013", datetime.date(2013, 9, 1)),
        ("Sep 2013", datetime.date(2013, 9, 1)),
        ("September 2013", datetime.date(2013, 9, 1)),
        ("Apr-13", APRIL_2013),
        ("Mar-14", datetime.date(2014, 3, 1)),
        ("04/2013", APRIL_2013),
        ("4/2013", APRIL_2013),
        ("01/04/2013", APRIL_2013),
        ("30/04/2013", APRIL_2013),
        ("2013-04", APRIL_2013),
        ("2013-12", datetime.date(2013, 12, 1)),
    ],
)
def test_parse_month_reads_the_ways_plans_write_a_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2013",
        "April",
        "Foo 2013",
        "Aprill 2013",
        "13/2013",
        "00/2013",
        "01/13/2013",
        "2013-13",
        "2013-00",
        "April 2013 to May 2013",
        "April 0000",
    ],
)
def test_parse_month_refuses_other_text_with_a_readable_message(text):
    with pytest.raises(ValueError, match="is not a month; write it like April 2013") as error:
        parse_month(text)
    assert f"“{text.strip()}”" in str(error.value)


def test_parse_month_treats_none_as_empty_text():
    with pytest.raises(ValueError, match="“” is not a month"):
        parse_month(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-14", 2013),
        ("2013/14", 2013),
        ("2013/2014", 2013),
        ("2013-2014", 2013),
        (" 2013 - 14 ", 2013),
        ("2009-10", 2009),
        ("1999-00", 1999),
    ],
)
def test_parse_financial_year_gives_the_start_year(text, expected):
    assert parse_financial_year(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2013", "is not a financial year; write it like 2013-14"),
        ("13-14", "is not a financial year; write it like 2013-14"),
        ("", "is not a financial year; write it like 2013-14"),
        ("2013-15", "the second year must follow the first"),
        ("2013/2013", "the second year must follow the first"),
        ("2014-13", "the second year must follow the first"),
    ],
)
def test_parse_financial_year_refuses_other_text_with_a_readable_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_financial_year(text)


@pytest.mark.parametrize(
    ("start_year", "label"),
    [(2013, "2013-14"), (2009, "2009-10"), (2000, "2000-01"), (1999, "1999-00"), (1990, "1990-91")],
)
def test_financial_year_label(start_year, label):
    assert financial_year_label(start_year) == label


@pytest.mark.parametrize(
    "start_year",
    [
        2008,
        2013,
        2015,
        2098,
        1999,
    ],
)
def test_financial_year_label_reads_back_to_the_same_year(start_year):
    assert parse_financial_year(financial_year_label(start_year)) == start_year


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2013, 4, 1), "April 2013"),
        (datetime.date(2014, 3, 31), "March 2014"),
        (datetime.date(2013, 9, 15), "September 2013"),
        (None, ""),
    ],
)
def test_format_month(day, text):
    assert format_month(day) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Apr-13", APRIL_2013),
        ("Sept 2013", datetime.date(2013, 9, 1)),
        ("01/04/2013", APRIL_2013),
        (datetime.date(2013, 4, 17), APRIL_2013),
    ],
)
def test_month_form_field_normalises_to_the_first_of_the_month(value, expected):
    assert MonthFormField().clean(value) == expected


def test_month_form_field_refuses_text_that_is_not_a_month_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        MonthFormField().clean("Smarch 2013")
    assert error.value.messages == ["“Smarch 2013” is not a month; write it like April 2013."]
    assert error.value.error_list[0].code == "invalid"


def test_month_form_field_blank_is_none_when_optional_and_refused_when_required():
    assert MonthFormField(required=False).clean("") is None
    with pytest.raises(ValidationError, match="This field is required"):
        MonthFormField().clean("")


def test_month_form_field_shows_a_date_as_councils_write_it():
    field = MonthFormField()
    assert field.prepare_value(datetime.date(2013, 4, 1)) == "April 2013"
    assert field.prepare_value("not parsed yet") == "not parsed yet"
    assert field.help_text == "For example, April 2013"
