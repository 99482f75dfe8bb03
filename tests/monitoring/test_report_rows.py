"""The round's report reads plain rows (monitoring.selectors.report_rows), not model instances: what it
shows of each action and return is what the models themselves say."""

import pytest

from monitoring import services
from monitoring.models import ActionReturn
from monitoring.selectors import _entered_by, build_round_report, user_name
from plans.models import Action
from tests.factories import UserFactory
from tests.monitoring.conftest import BEFORE_DEADLINE, entry

pytestmark = pytest.mark.django_db


def save(round_, plan, user, **changes):
    return services.return_save(round_=round_, plan=plan, user=user, now=BEFORE_DEADLINE, **changes)


@pytest.mark.parametrize(
    ("number", "sub_number", "label", "headline"),
    [(2, 0, "2", True), (2, 1, "2.1", False), (10, 12, "10.12", False)],
)
def test_an_actions_label_and_headline_read_from_values_match_the_model(number, sub_number, label, headline):
    action = Action(number=number, sub_number=sub_number)
    assert (action.label, action.is_headline) == (label, headline)
    assert (Action.label_of(number, sub_number), Action.headline_sub_number(sub_number)) == (label, headline)


@pytest.mark.parametrize(
    ("first", "last", "username", "shown"),
    [
        ("Penny", "Southern", "penny", "Penny Southern"),
        ("Penny", "", "penny", "Penny"),
        ("", "Southern", "penny", "Southern"),
        ("", "", "penny", "penny"),
    ],
)
def test_who_entered_a_return_read_from_values_is_named_as_user_name_names_them(first, last, username, shown):
    user = UserFactory(first_name=first, last_name=last, username=username)
    row = {
        "entered_by_id": user.pk,
        "entered_by__first_name": first,
        "entered_by__last_name": last,
        "entered_by__username": username,
    }
    assert _entered_by(row) == user_name(user) == shown


def test_a_return_entered_by_nobody_names_nobody():
    row = {"entered_by_id": None, "entered_by__first_name": None, "entered_by__last_name": None}
    assert _entered_by(row) == user_name(None) == ""


def test_the_report_shows_each_return_as_its_model_displays_it(round_, plan, actions, unit_editor):
    save(
        round_, plan, unit_editor,
        actions={
            actions[0].pk: entry(status="delayed", commentary="Waiting for the contract."),
            actions[1].pk: entry(withdrawn="merged", merged_into=actions[2].pk),
        },
    )  # fmt: skip
    unit = next(u for u in build_round_report(round_)["units"] if u["plan"])
    shown = {action["id"]: action for priority in unit["priorities"] for action in priority["actions"]}
    for action in actions[:2]:
        ret = ActionReturn.objects.select_related("merged_into__priority").get(round=round_, action=action)
        data = shown[action.pk]
        assert (data["label"], data["headline"], data["returned"]) == (action.label, action.is_headline, True)
        assert (data["status_label"], data["withdrawn_label"]) == (
            ret.get_status_display() if ret.status else "",
            ret.get_withdrawn_display() if ret.withdrawn else "",
        )
        assert data["entered_by"] == user_name(unit_editor)
    merged = shown[actions[1].pk]
    assert (merged["merged_into"], merged["merged_into_priority"]) == (actions[2].label, actions[2].priority.number)
    assert shown[actions[0].pk]["status_label"] == "Delayed"
    assert shown[actions[3].pk]["returned"] is False
