"""Money in £'000 (common/money.py): what an officer may type, what is refused and why, and how
figures are shown."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.money import MONEY_LIMIT, MoneyError, format_money, parse_fte, parse_money, round_money


@pytest.mark.parametrize(
    ("typed", "held"),
    [
        ("1234.5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("£1,234.5", Decimal("1234.5")),
        ("  5776.1 ", Decimal("5776.1")),
        ("12", Decimal("12.0")),
        ("12.30", Decimal("12.3")),  # trailing zeros are the same figure
        ("0", Decimal("0.0")),
        ("0.0", Decimal("0.0")),
        ("-12.3", Decimal("-12.3")),
        ("(12.3)", Decimal("-12.3")),  # as accountants write a negative
        ("(1,217.3)", Decimal("-1217.3")),
        ("-£12.3", Decimal("-12.3")),
        ("£-12.3", Decimal("-12.3")),
        ("£(12.3)", Decimal("-12.3")),
        ("\u221212.3", Decimal("-12.3")),  # the minus sign a word processor puts in
        ("+12.3", Decimal("12.3")),
        ("-0.0", Decimal("0.0")),
        ("99,999,999.9", MONEY_LIMIT),
    ],
)
def test_parse_money_takes_figures_as_the_council_writes_them(typed, held):
    value = parse_money(typed)
    assert value == held
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -1  # always one decimal place


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_is_none_not_zero(blank):
    assert parse_money(blank) is None
    assert parse_money("0") is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "“abc” is not a figure: type a figure in £'000 (thousands of pounds), for example 1,234.5 or -12.3."),
        ("twelve", "is not a figure"),
        ("1e5", "is not a figure"),
        ("NaN", "is not a figure"),
        ("Infinity", "is not a figure"),
        ("1 234.5", "is not a figure"),
        ("1,23.4", "is not a figure"),
        ("--12", "is not a figure"),
        ("(-12)", "is not a figure"),
        ("12.3.4", "is not a figure"),
        ("£", "is not a figure"),
        (
            "12.34",
            "“12.34” has more than one decimal place: type a figure in £'000 (thousands of pounds) to one decimal "
            "place, for example 1,234.5 or -12.3.",
        ),
        ("0.05", "has more than one decimal place"),
        (
            "100000000",
            "“100000000” is too large: the largest figure accepted is 99,999,999.9. Figures are in thousands of "
            "pounds: check it was not typed in pounds.",
        ),
        ("-123,456,789.0", "is too large"),
        ("=SUM(B2:B9)", "“=SUM(B2:B9)” is a formula: type the figure itself, for example 1,234.5 or -12.3."),
        ("=1+2", "is a formula"),
        ("@SUM(A1)", "is a formula"),
        ("+B2*3", "is a formula"),
        ("-C4", "is a formula"),
    ],
)
def test_parse_money_refuses_a_bad_figure_with_a_message_saying_what_to_type(typed, message):
    with pytest.raises(MoneyError) as refused:
        parse_money(typed)
    assert message in str(refused.value)


def test_parse_money_refuses_a_float_which_has_already_lost_the_exact_figure():
    with pytest.raises(MoneyError, match="is not an exact figure"):
        parse_money(0.1)


def test_parse_money_takes_decimals_and_whole_numbers_from_code():
    assert parse_money(Decimal("-1217.3")) == Decimal("-1217.3")
    assert parse_money(12) == Decimal("12.0")


def test_parse_fte_takes_two_decimal_places():
    assert parse_fte("257.68") == Decimal("257.68")
    assert parse_fte("4.5") == Decimal("4.50")
    with pytest.raises(MoneyError, match="has more than 2 decimal places"):
        parse_fte("1.234")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "1,234.5"),
        (Decimal("-1217.3"), "-1,217.3"),
        (Decimal("24733.6"), "24,733.6"),
        (Decimal("1234567.8"), "1,234,567.8"),
        (Decimal("0.0"), "0.0"),
        (Decimal("-0.0"), "0.0"),  # never "-0.0"
        (Decimal("5"), "5.0"),
        (None, ""),  # a blank stays blank
    ],
)
def test_format_money_shows_thousands_separators_and_negatives_as_printed(value, shown):
    assert format_money(value) == shown


def test_format_money_of_fte_shows_two_places():
    assert format_money(Decimal("8.00"), 2) == "8.00"
    assert format_money(Decimal("265.61"), 2) == "265.61"


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Decimal("2.25"), Decimal("2.3")),  # half away from zero, not banker's rounding (2.2)
        (Decimal("2.35"), Decimal("2.4")),
        (Decimal("-2.25"), Decimal("-2.3")),
        (Decimal("2.24"), Decimal("2.2")),
        (Decimal("0.05"), Decimal("0.1")),
    ],
)
def test_round_money_rounds_half_away_from_zero(value, rounded):
    assert round_money(value) == rounded


def test_decimal_sums_are_exact_where_floats_are_not():
    assert 0.1 + 0.2 != 0.3
    assert parse_money("0.1") + parse_money("0.2") == parse_money("0.3")


@given(st.decimals(min_value=-MONEY_LIMIT, max_value=MONEY_LIMIT, places=1, allow_nan=False))
def test_a_shown_figure_reads_back_to_the_same_figure(value):
    assert parse_money(format_money(value)) == value
