"""The roll-up rule, table by table (dashboards/rollups.py: a pure function, no database)."""

from decimal import Decimal

import pytest

from dashboards.rollups import DEFAULT_RULE, TOTALS, WORST, Rule, describe, directorate_rag, rollup
from performance.rag import Rag

# (rule, actions, completed, delayed or cancelled, expected)
STRICT = Rule(red_percent=Decimal(1), green_percent=Decimal(100))
LENIENT = Rule(red_percent=Decimal(50), green_percent=Decimal(80))

CASES = [
    # Default rule: red at 10% delayed or cancelled, green when all completed.
    (DEFAULT_RULE, 0, 0, 0, Rag.NONE),
    (DEFAULT_RULE, 18, 1, 0, Rag.AMBER),  # SCS 2013-14
    (DEFAULT_RULE, 20, 2, 0, Rag.AMBER),  # OPPD
    (DEFAULT_RULE, 19, 11, 0, Rag.AMBER),  # LDMH
    (DEFAULT_RULE, 48, 11, 0, Rag.AMBER),  # SC
    (DEFAULT_RULE, 105, 25, 0, Rag.AMBER),  # FSC directorate
    (DEFAULT_RULE, 10, 10, 0, Rag.GREEN),
    (DEFAULT_RULE, 10, 9, 1, Rag.RED),  # exactly 10%
    (DEFAULT_RULE, 11, 10, 1, Rag.AMBER),  # 9.1%: under the threshold
    (DEFAULT_RULE, 20, 0, 0, Rag.AMBER),  # some returns made, none completed or delayed yet
    (DEFAULT_RULE, 1, 0, 1, Rag.RED),
    # A strict rule: any delay is red.
    (STRICT, 100, 99, 1, Rag.RED),
    (STRICT, 100, 100, 0, Rag.GREEN),
    # A lenient rule.
    (LENIENT, 10, 8, 2, Rag.GREEN),
    (LENIENT, 10, 7, 3, Rag.AMBER),
    (LENIENT, 10, 5, 5, Rag.RED),
    # Red when the threshold is 0 needs at least one delayed action.
    (Rule(red_percent=Decimal(0)), 5, 0, 0, Rag.AMBER),
    (Rule(red_percent=Decimal(0)), 5, 0, 1, Rag.RED),
]


@pytest.mark.parametrize(("rule", "actions", "completed", "delayed", "expected"), CASES)
def test_rollup(rule, actions, completed, delayed, expected):
    assert rollup(rule, actions=actions, completed=completed, delayed_or_cancelled=delayed) == expected


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        (0, Rag.NONE),  # a round just opened: no RAG yet, rather than amber
        (1, Rag.AMBER),  # one action on course
        (None, Rag.AMBER),  # not known (an older snapshot): the counts decide
    ],
)
def test_no_rag_until_a_return_is_made(returned, expected):
    assert rollup(DEFAULT_RULE, actions=20, completed=0, delayed_or_cancelled=0, returned=returned) == expected


TOTALS_COUNTS = {"headline_actions": 20, "completed": 19, "delayed_or_cancelled": 1}


@pytest.mark.parametrize(
    ("method", "divisions", "expected"),
    [
        (TOTALS, [Rag.RED, Rag.GREEN], Rag.AMBER),  # 1 of 20 delayed is 5%: amber on the totals
        (WORST, [Rag.RED, Rag.GREEN], Rag.RED),
        (WORST, [Rag.GREEN, Rag.AMBER], Rag.AMBER),
        (WORST, [Rag.GREEN, Rag.NONE], Rag.GREEN),
        (WORST, [], Rag.NONE),
    ],
)
def test_directorate_rag(method, divisions, expected):
    assert directorate_rag(Rule(directorate_method=method), TOTALS_COUNTS, divisions) == expected


def test_the_rule_in_words_states_its_thresholds():
    words = " ".join(describe(Rule(red_percent=Decimal("12.50"), green_percent=Decimal(90), directorate_method=WORST)))
    assert "12.5% or more" in words
    assert "90% or more" in words
    assert "worst of its divisions" in words
