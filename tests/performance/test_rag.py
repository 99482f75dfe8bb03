"""The alert rules of performance/rag.py, case by case and as properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from performance.rag import (
    BAND_LABELS,
    Direction,
    Polarity,
    Rag,
    RangeStatus,
    band_label,
    direction,
    is_alert,
    rag,
    range_status,
    tag_class,
)

D = Decimal
HIGHER, LOWER, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE

# (actual, target, floor, polarity, expected)
RAG_CASES = [
    # Higher is better: target 80, floor 70.
    (D("90"), D("80"), D("70"), HIGHER, Rag.GREEN),  # exceeded
    (D("80"), D("80"), D("70"), HIGHER, Rag.GREEN),  # exactly on target
    (D("79.9"), D("80"), D("70"), HIGHER, Rag.AMBER),  # just below target
    (D("70"), D("80"), D("70"), HIGHER, Rag.AMBER),  # exactly on the floor
    (D("69.9"), D("80"), D("70"), HIGHER, Rag.RED),  # just below the floor
    (D("0"), D("80"), D("70"), HIGHER, Rag.RED),
    (D("50"), D("80"), None, HIGHER, Rag.AMBER),  # no floor: nothing is below it
    (None, D("80"), D("70"), HIGHER, Rag.NONE),  # missing actual
    (D("90"), None, D("70"), HIGHER, Rag.NONE),  # no target
    (D("10"), None, D("70"), HIGHER, Rag.NONE),  # no target, even below the floor
    # Lower is better: target 20, floor 30 (the worst acceptable).
    (D("10"), D("20"), D("30"), LOWER, Rag.GREEN),  # better than target
    (D("20"), D("20"), D("30"), LOWER, Rag.GREEN),  # exactly on target
    (D("20.1"), D("20"), D("30"), LOWER, Rag.AMBER),  # just worse than target
    (D("30"), D("20"), D("30"), LOWER, Rag.AMBER),  # exactly on the floor
    (D("30.1"), D("20"), D("30"), LOWER, Rag.RED),  # just beyond the floor
    (D("50"), D("20"), None, LOWER, Rag.AMBER),
    (None, D("20"), D("30"), LOWER, Rag.NONE),  # missing actual
    (D("10"), None, D("30"), LOWER, Rag.NONE),  # no target
    # Data only, or polarity not stated: never a RAG.
    (D("90"), D("80"), D("70"), NONE, Rag.NONE),
    (D("0"), D("80"), D("70"), NONE, Rag.NONE),
    (D("90"), D("80"), D("70"), "", Rag.NONE),
    (None, None, None, NONE, Rag.NONE),
    # Integers and floats behave like decimals.
    (80, 80, 70, HIGHER, Rag.GREEN),
    (69.5, 80.0, 70.0, HIGHER, Rag.RED),
]


@pytest.mark.parametrize(("actual", "target", "floor", "polarity", "expected"), RAG_CASES)
def test_rag(actual, target, floor, polarity, expected):
    assert rag(actual, target, floor, polarity) == expected


DIRECTION_CASES = [
    (D("5"), D("4"), HIGHER, Direction.IMPROVING),
    (D("3"), D("4"), HIGHER, Direction.WORSENING),
    (D("4"), D("4"), HIGHER, Direction.UNCHANGED),
    (D("1.7"), D("1.9"), LOWER, Direction.IMPROVING),  # PAF C73, 2005-06 to 2006-07
    (D("2"), D("1.9"), LOWER, Direction.WORSENING),
    (D("1.9"), D("1.9"), LOWER, Direction.UNCHANGED),
    (D("5"), D("4"), NONE, Direction.UP),
    (D("3"), D("4"), NONE, Direction.DOWN),
    (D("4"), D("4"), NONE, Direction.UNCHANGED),
    (D("5"), D("4"), "", Direction.UP),
    (D("5"), None, HIGHER, Direction.NONE),  # no earlier figure
    (None, D("4"), HIGHER, Direction.NONE),
]


@pytest.mark.parametrize(("current", "previous", "polarity", "expected"), DIRECTION_CASES)
def test_direction_of_travel(current, previous, polarity, expected):
    assert direction(current, previous, polarity) == expected


RANGE_CASES = [
    (D("150"), D("100"), D("200"), RangeStatus.WITHIN),
    (D("100"), D("100"), D("200"), RangeStatus.WITHIN),  # on the lower threshold
    (D("200"), D("100"), D("200"), RangeStatus.WITHIN),  # on the upper threshold
    (D("99"), D("100"), D("200"), RangeStatus.BELOW),
    (D("201"), D("100"), D("200"), RangeStatus.ABOVE),
    (D("5"), None, D("200"), RangeStatus.WITHIN),  # only an upper threshold
    (D("500"), D("100"), None, RangeStatus.WITHIN),  # only a lower threshold
    (D("5"), D("100"), None, RangeStatus.BELOW),
    (None, D("100"), D("200"), RangeStatus.NONE),  # no figure
    (D("150"), None, None, RangeStatus.NONE),  # no range
]


@pytest.mark.parametrize(("value", "lower", "upper", "expected"), RANGE_CASES)
def test_activity_against_its_expected_range(value, lower, upper, expected):
    assert range_status(value, lower, upper) == expected


def test_amber_red_and_out_of_range_ask_for_commentary_and_nothing_else_does():
    alerts = {status for status in [*Rag, *RangeStatus, *Direction] if is_alert(status)}
    assert alerts == {Rag.AMBER, Rag.RED, RangeStatus.ABOVE, RangeStatus.BELOW}


def test_band_labels_are_the_words_the_2008_9_plan_prints():
    assert band_label(5) == "Band 5 – OPTIMUM Performance"
    assert band_label(1) == "Band 1 – Investigate urgently"
    assert sorted(BAND_LABELS) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("status", "css"),
    [
        (Rag.GREEN, "govuk-tag--green"),
        (Rag.AMBER, "govuk-tag--orange"),
        (Rag.RED, "govuk-tag--red"),
        (Rag.NONE, "govuk-tag--grey"),
        (Direction.IMPROVING, "govuk-tag--green"),
        (Direction.WORSENING, "govuk-tag--red"),
        (Direction.NONE, "govuk-tag--grey"),
        (RangeStatus.ABOVE, "govuk-tag--orange"),
        ("not a status", "govuk-tag--grey"),
    ],
)
def test_every_status_has_a_govuk_tag_colour(status, css):
    assert tag_class(status) == css


def test_status_values_never_collide_so_each_tag_has_one_meaning():
    values = [*Rag.values, *Direction.values, *RangeStatus.values]
    assert len(values) == len(set(values))


# --- Properties --------------------------------------------------------------------------------

figures = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
optional = st.none() | figures
ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
MIRROR = {Polarity.HIGHER: Polarity.LOWER, Polarity.LOWER: Polarity.HIGHER}


def negate(value):
    return None if value is None else -value


@given(a=figures, b=figures, target=figures, floor=optional)
def test_a_better_actual_never_gets_a_worse_rag(a, b, target, floor):
    worse, better = sorted((a, b))
    assert ORDER[rag(better, target, floor, HIGHER)] >= ORDER[rag(worse, target, floor, HIGHER)]
    # For lower is better the smaller figure is the better one.
    assert ORDER[rag(worse, target, floor, LOWER)] >= ORDER[rag(better, target, floor, LOWER)]


@given(actual=optional, target=optional, floor=optional, polarity=st.sampled_from([HIGHER, LOWER]))
def test_mirroring_the_polarity_mirrors_the_result(actual, target, floor, polarity):
    assert rag(actual, target, floor, polarity) == rag(negate(actual), negate(target), negate(floor), MIRROR[polarity])
    assert direction(actual, target, polarity) == direction(negate(actual), negate(target), MIRROR[polarity])


@given(actual=optional, target=optional, floor=optional)
def test_data_only_never_gets_a_rag(actual, target, floor):
    assert rag(actual, target, floor, NONE) == Rag.NONE


@given(actual=figures, target=figures, floor=optional, polarity=st.sampled_from([HIGHER, LOWER]))
def test_meeting_the_target_is_always_green(actual, target, floor, polarity):
    met = actual >= target if polarity == HIGHER else actual <= target
    assert (rag(actual, target, floor, polarity) == Rag.GREEN) == met
