"""Relative targets resolved to a figure (performance/targets.py)."""

from decimal import Decimal

import pytest

from performance.targets import annual_target, resolve_relative_target

D = Decimal


@pytest.mark.parametrize(
    ("base", "percent", "expected"),
    [
        (D("86"), D("5"), D("90.30")),  # +5% on last outturn
        (D("1.7"), D("-5"), D("1.62")),  # -5% (lower is better): 1.615 rounds half up
        (D("100"), D("0"), D("100.00")),
        (D("0"), D("5"), D("0.00")),
        (None, D("5"), None),  # no outturn to build on
        (D("86"), None, None),
    ],
)
def test_relative_target(base, percent, expected):
    assert resolve_relative_target(base, percent) == expected


def test_a_target_set_for_the_year_wins_over_a_relative_one():
    target = annual_target(
        set_value=D("88"), relative_percent=D("5"), previous_outturn=D("86"), previous_year_actual=None
    )
    assert (target.value, target.how) == (D("88"), "set")


def test_a_relative_target_builds_on_the_printed_previous_outturn_first():
    target = annual_target(
        set_value=None, relative_percent=D("5"), previous_outturn=D("86"), previous_year_actual=D("80")
    )
    assert (target.value, target.how) == (D("90.30"), "relative")
    assert target.explanation == "+5% on the previous outturn (86)"


def test_a_relative_target_falls_back_on_the_previous_year_actual():
    target = annual_target(
        set_value=None, relative_percent=D("-5"), previous_outturn=None, previous_year_actual=D("20")
    )
    assert (target.value, target.how) == (D("19.00"), "relative")
    assert target.explanation == "-5% on the previous year's actual (20)"


def test_a_relative_target_without_any_outturn_is_not_set_and_says_why():
    target = annual_target(set_value=None, relative_percent=D("5"), previous_outturn=None, previous_year_actual=None)
    assert target.value is None
    assert target.how == "not set"
    assert "not recorded" in target.explanation


def test_no_target_at_all():
    target = annual_target(set_value=None, relative_percent=None, previous_outturn=D("86"), previous_year_actual=None)
    assert (target.value, target.how) == (None, "not set")
