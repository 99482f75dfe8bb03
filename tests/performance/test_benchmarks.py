"""Comparator councils ranked with the indicator's polarity (performance/benchmarks.py)."""

from decimal import Decimal

from performance.benchmarks import ordinal, position_statement, rank
from performance.rag import Polarity

D = Decimal
# The service comparison of the 2008/9 mental health plan (Data from end March 07).
CARE_PLAN = [
    ("Kent", D("98"), True),
    ("Essex", D("100"), False),
    ("Gloucs", D("92"), False),
    ("Lancs", D("96.3"), False),
    ("Hamps", D("96.4"), False),
    ("Suffolk", D("100"), False),
    ("West Sussex", D("100"), False),
]


def test_higher_is_better_ranks_the_highest_first_and_ties_share_a_position():
    ranked = rank(CARE_PLAN, Polarity.HIGHER)
    assert [(r.council, r.position) for r in ranked] == [
        ("Essex", 1),
        ("Suffolk", 1),
        ("West Sussex", 1),
        ("Kent", 4),
        ("Hamps", 5),
        ("Lancs", 6),
        ("Gloucs", 7),
    ]
    assert position_statement(ranked, Polarity.HIGHER) == "Kent is 4th of 7 (higher is better)."


def test_lower_is_better_ranks_the_lowest_first():
    ranked = rank([("Kent", D("1.7"), True), ("A", D("1.2"), False), ("B", D("1.7"), False)], Polarity.LOWER)
    assert [(r.council, r.position) for r in ranked] == [("A", 1), ("Kent", 2), ("B", 2)]
    assert position_statement(ranked, Polarity.LOWER) == "Kent is 2nd equal of 3 (lower is better)."


def test_without_polarity_the_councils_stay_as_printed_and_are_not_ranked():
    ranked = rank(CARE_PLAN, "")
    assert [r.council for r in ranked] == [c for c, _, _ in CARE_PLAN]
    assert {r.position for r in ranked} == {None}
    assert position_statement(ranked, "") == "Kent is not ranked: the indicator has no stated polarity."


def test_nothing_to_state_without_this_councils_figure():
    assert position_statement(rank(CARE_PLAN[1:], Polarity.HIGHER), Polarity.HIGHER) == ""


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]
