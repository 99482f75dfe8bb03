"""A new version published while a round is open takes over the returns entered on the old one."""

import pytest

from monitoring import services as monitoring
from monitoring.models import ActionReturn, DecisionChange, PriorityReturn
from monitoring.selectors import covered_plans, round_report
from plans import services
from plans.models import Action, Plan
from tests.monitoring.conftest import entry

pytestmark = pytest.mark.django_db


def publish_new_version(plan, editor, approver, admin):
    draft = services.plan_new_version(plan=plan, user=editor, version_label="Corrected version")
    services.plan_transition(plan=draft, user=editor, step="submit", comment="Corrected")
    services.plan_transition(plan=draft, user=approver, step="approve", comment="Fine")
    services.plan_transition(plan=draft, user=admin, step="publish", comment="")
    return Plan.objects.with_unit().get(pk=draft.pk)


def test_returns_follow_the_plan_into_its_published_new_version(
    round_, plan, actions, unit_editor, approver, admin_user
):
    first, second = actions[0], actions[1]
    priority = first.priority
    monitoring.return_save(
        round_=round_,
        plan=plan,
        user=unit_editor,
        actions={
            first.pk: entry(status="completed", commentary="Done"),
            second.pk: entry(withdrawn="merged", withdrawn_note="Merged", merged_into=first.pk),
        },
        priorities={priority.pk: {"version": 0, "key_achievements": "Contract let", "key_issues": ""}},
        decision_changes={"version": 0, "text": "None since publication"},
    )

    new = publish_new_version(plan, unit_editor, approver, admin_user)

    assert [p.pk for p in covered_plans(round_) if p.unit_id == plan.unit_id] == [new.pk]
    copied = {
        r.action.label: r
        for r in ActionReturn.objects.filter(round=round_, action__priority__plan=new).select_related(
            "action", "merged_into"
        )
    }
    assert copied[first.label].status == "completed"
    assert copied[first.label].commentary == "Done"
    assert copied[first.label].entered_by == unit_editor
    assert "Carried over from version" in copied[first.label].source_note
    merged = copied[second.label]
    assert merged.merged_into.priority.plan_id == new.pk  # points at the new version's action
    assert merged.merged_into.label == first.label
    assert PriorityReturn.objects.get(round=round_, priority__plan=new).key_achievements == "Contract let"
    assert DecisionChange.objects.get(round=round_, plan=new).text == "None since publication"
    # The round page now reads the new version and counts the carried returns, not missing ones.
    unit = next(u for u in round_report(round_)["units"] if u["plan"] and u["plan"]["id"] == new.pk)
    assert unit["counts"]["completed"] >= 1


def test_a_closed_round_keeps_its_returns_where_they_were(round_, plan, actions, unit_editor, approver, admin_user):
    monitoring.return_save(
        round_=round_, plan=plan, user=unit_editor, actions={actions[0].pk: entry(status="completed")}
    )
    monitoring.round_close(round_=round_, user=admin_user)
    new = publish_new_version(plan, unit_editor, approver, admin_user)
    assert not ActionReturn.objects.filter(action__priority__plan=new).exists()


def test_an_action_the_new_version_no_longer_has_keeps_its_return_on_the_old_version(
    round_, plan, actions, unit_editor, approver, admin_user
):
    last = actions[-1]
    monitoring.return_save(
        round_=round_,
        plan=plan,
        user=unit_editor,
        actions={last.pk: entry(status="delayed", commentary="Waiting for the contract")},
    )
    draft = services.plan_new_version(plan=plan, user=unit_editor, version_label="Corrected version")
    Action.objects.filter(
        priority__plan=draft, number=last.number, sub_number=last.sub_number, priority__number=last.priority.number
    ).delete()
    services.plan_transition(plan=draft, user=unit_editor, step="submit", comment="Shorter")
    services.plan_transition(plan=draft, user=approver, step="approve", comment="Fine")
    services.plan_transition(plan=draft, user=admin_user, step="publish", comment="")
    assert not ActionReturn.objects.filter(action__priority__plan=draft).exists()
    assert ActionReturn.objects.filter(action=last).exists()
