"""monitoring/seed.py on an empty database: each reconstructed plan file on its own, an open mid-year round
left by the earlier demo, and the check on rows flagged reconstructed."""

import datetime

import pytest

from exchange.seeds import load_all, load_organisation
from monitoring import seed
from monitoring.demo import load_demo_rounds
from monitoring.models import ActionReturn, Round
from organisation.models import Unit
from plans.models import Plan

pytestmark = pytest.mark.django_db


def test_an_open_round_left_by_the_earlier_demo_is_filled_and_closed():
    """Databases loaded before this seed hold an empty open "Mid-year 2013-14": the loader completes it."""
    load_all()
    fsc = Unit.objects.get(code="FSC", level="directorate", first_year_id=2012)
    early = Round.objects.create(
        directorate=fsc, year_id=2013, kind="mid_year", name="Mid-year 2013-14",
        deadline=datetime.date(2013, 11, 15), opened_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    closed, _ = load_demo_rounds()
    assert closed.pk == early.pk
    assert not closed.is_open
    assert closed.opened_at == datetime.datetime(2013, 10, 1, 8, 0, tzinfo=datetime.UTC)
    assert ActionReturn.objects.filter(round=closed).count() == 107


def test_each_plan_file_loads_on_its_own():
    load_organisation()
    for name in seed.RECONSTRUCTED_PLAN_FILES:
        plan = seed.load_reconstructed_plan(seed.read_seed(name))
        assert plan.priorities.exists()
    assert Plan.objects.count() == 3


def test_a_row_flagged_reconstructed_must_say_so():
    load_organisation()
    data = seed.read_seed("fsc-scs-plan-2013-14-reconstructed.json")
    row = next(a for p in data["plan"]["priorities"] for a in p["actions"] if a.get("reconstructed"))
    row["text"] = "An action the report never names"
    with pytest.raises(ValueError, match="flagged reconstructed"):
        seed.load_reconstructed_plan(data)
