"""Opening, saving returns (late, withdrawn, all or nothing, concurrent saves) and closing a round."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from monitoring import services
from monitoring.models import ActionReturn, DecisionChange, MilestoneReturn, PriorityReturn, Round
from monitoring.selectors import covered_plans, round_report
from plans.models import Action, Milestone, Plan
from tests.factories import DirectorateFactory, PlanFactory, ServiceUnitFactory, year
from tests.monitoring.conftest import AFTER_DEADLINE, BEFORE_DEADLINE, DEADLINE, entry, published_plan, row_cells


def save(round_, plan, user, now=BEFORE_DEADLINE, **kwargs):
    return services.return_save(round_=round_, plan=plan, user=user, now=now, **kwargs)


# Opening


def test_administrator_opens_a_round_named_after_its_kind_and_year(directorate, admin_user):
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="year_end", deadline=datetime.date(2014, 5, 1)
    )
    assert round_.name == "Year-end 2013-14"
    assert round_.status == Round.Status.OPEN
    assert round_.opened_by == admin_user
    assert round_.history.count() == 1


@pytest.mark.parametrize("role", ["unit_editor", "approver", "committee_member"])
def test_only_an_administrator_opens_a_round(request, directorate, role):
    with pytest.raises(PermissionDenied):
        services.round_open(
            user=request.getfixturevalue(role), directorate=directorate, year=year(2013), kind="mid_year",
            deadline=DEADLINE,
        )  # fmt: skip
    assert not Round.objects.exists()


def test_a_second_round_of_the_same_kind_and_year_is_refused(round_, directorate, admin_user):
    with pytest.raises(ValidationError, match="already has a round of this kind"):
        services.round_open(
            user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
        )


def test_a_round_is_for_a_directorate_and_its_deadline_within_reach_of_its_year(division, directorate, admin_user):
    with pytest.raises(ValidationError, match="Choose a directorate"):
        services.round_open(user=admin_user, directorate=division, year=year(2013), kind="mid_year", deadline=DEADLINE)
    with pytest.raises(ValidationError, match="on or after the start of 2013-14"):
        services.round_open(
            user=admin_user, directorate=directorate, year=year(2013), kind="mid_year",
            deadline=datetime.date(2013, 3, 31),
        )  # fmt: skip


# Which plans a round covers


def test_round_covers_the_latest_published_plan_of_each_unit_of_its_directorate(round_, plan, division, other_division):
    service_unit = ServiceUnitFactory(parent=division)
    unit_plan = PlanFactory(unit=service_unit, status=Plan.Status.PUBLISHED)
    PlanFactory(unit=other_division, status=Plan.Status.DRAFT)  # not in force: not covered
    newer = PlanFactory(unit=division, status=Plan.Status.PUBLISHED, version_date=datetime.date(2013, 6, 1))
    PlanFactory(unit=DirectorateFactory(council=division.council), status=Plan.Status.PUBLISHED)  # elsewhere
    PlanFactory(unit=division, status=Plan.Status.PUBLISHED, year=year(2014))  # another year
    assert {p.pk for p in covered_plans(round_)} == {newer.pk, unit_plan.pk}
    assert plan.pk not in {p.pk for p in covered_plans(round_)}


# Saving


def test_editor_saves_an_action_return(round_, plan, actions, unit_editor):
    written = save(round_, plan, unit_editor, actions={actions[0].pk: entry(status="on_course", commentary="Pilot on")})
    assert written == 1
    ret = ActionReturn.objects.get()
    assert (ret.action, ret.status, ret.commentary, ret.entered_by, ret.version, ret.late) == (
        actions[0], "on_course", "Pilot on", unit_editor, 1, False,
    )  # fmt: skip
    save(round_, plan, unit_editor, actions={actions[0].pk: entry(version=1, status="completed", commentary="Done")})
    ret.refresh_from_db()
    assert (ret.status, ret.version) == ("completed", 2)
    history = list(ret.history.order_by("history_id").values_list("status", "version", "history_user__username"))
    assert history == [("on_course", 1, "division.editor"), ("completed", 2, "division.editor")]


def test_every_kind_of_return_is_saved_in_one_go(round_, plan, actions, unit_editor):
    priority = plan.priorities.first()
    milestone = Milestone.objects.filter(priority=priority).first()
    written = save(
        round_, plan, unit_editor,
        actions={actions[0].pk: entry(status="completed", commentary="Done")},
        milestones={milestone.pk: {"version": 0, "status": "on_track", "commentary": "38% so far"}},
        priorities={priority.pk: {"version": 0, "key_achievements": "Pathfinder begun", "key_issues": "2.3 on hold"}},
        decision_changes={"version": 0, "text": "Integration Pioneer bid succeeded."},
    )  # fmt: skip
    assert written == 4
    assert MilestoneReturn.objects.get().status == "on_track"
    assert PriorityReturn.objects.get().key_issues == "2.3 on hold"
    assert DecisionChange.objects.get().text == "Integration Pioneer bid succeeded."


def test_blank_rows_are_not_saved_and_unchanged_rows_are_not_written_again(round_, plan, actions, unit_editor):
    assert save(round_, plan, unit_editor, actions={a.pk: entry() for a in actions}) == 0
    save(round_, plan, unit_editor, actions={actions[0].pk: entry(status="on_course")})
    assert save(round_, plan, unit_editor, actions={actions[0].pk: entry(version=1, status="on_course")}) == 0
    assert ActionReturn.history.count() == 1


def test_a_return_entered_after_the_deadline_is_marked_late(round_, plan, actions, unit_editor):
    save(round_, plan, unit_editor, now=BEFORE_DEADLINE, actions={actions[0].pk: entry(status="on_course")})
    on_deadline = datetime.datetime(2013, 11, 15, 23, 0, tzinfo=datetime.UTC)  # 23:00 GMT is still the 15th
    save(round_, plan, unit_editor, now=on_deadline, actions={actions[1].pk: entry(status="on_course")})
    save(round_, plan, unit_editor, now=AFTER_DEADLINE, actions={actions[2].pk: entry(status="on_course")})
    # an on-time return edited after the deadline stays on time: late is about when it came in
    save(round_, plan, unit_editor, now=AFTER_DEADLINE, actions={actions[0].pk: entry(version=1, status="completed")})
    late = dict(ActionReturn.objects.values_list("action_id", "late"))
    assert late == {actions[0].pk: False, actions[1].pk: False, actions[2].pk: True}
    assert round_report(round_)["totals"]["late"] == 1


def test_an_action_is_taken_out_with_a_reason_and_shown_as_a_footnote(round_, plan, actions, unit_editor):
    save(
        round_, plan, unit_editor,
        actions={
            actions[0].pk: entry(status="on_course", withdrawn="withdrawn", withdrawn_note="Funding ended."),
            actions[1].pk: entry(withdrawn="merged", merged_into=actions[2].pk),
        },
    )  # fmt: skip
    withdrawn = ActionReturn.objects.get(action=actions[0])
    assert (withdrawn.status, withdrawn.withdrawn) == ("", "withdrawn")  # a withdrawn action has no status
    unit = next(u for u in round_report(round_)["units"] if u["plan"])
    assert unit["footnotes"] == [
        f"Priority {actions[0].priority.number}, action {actions[0].label} was withdrawn. Funding ended.",
        f"Priority {actions[1].priority.number}, action {actions[1].label} was merged into "
        f"priority {actions[2].priority.number}, action {actions[2].label}.",
    ]
    assert unit["counts"]["withdrawn"] == 2
    assert unit["counts"]["returned"] == 2
    # withdrawn headline actions are not counted on the dashboard
    headlines = sum(1 for a in actions if a.is_headline)
    assert unit["counts"]["headline_actions"] == headlines - 1


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (entry(commentary="Text but no status"), "status", "choose a status, or take the action out"),
        (entry(status="delayed"), "commentary", "say why the action is delayed"),
        (entry(withdrawn="withdrawn"), "withdrawn_note", "give the reason the action was withdrawn"),
        (entry(withdrawn="merged"), "merged_into", "choose the action it was merged into"),
        (entry(status="finished"), "status", "is not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_field_errors_and_nothing_is_saved(
    round_, plan, actions, unit_editor, bad, field, message
):
    good = entry(status="completed", commentary="Done")
    with pytest.raises(ValidationError) as error:
        save(round_, plan, unit_editor, actions={actions[0].pk: good, actions[1].pk: bad})
    key = f"action-{actions[1].pk}-{field}"
    assert list(error.value.message_dict) == [key]
    assert message in error.value.message_dict[key][0].lower()
    assert error.value.message_dict[key][0].startswith(f"Priority 1, action {actions[1].label}:")
    assert not ActionReturn.objects.exists()  # not even the good row: all or nothing


def test_an_action_cannot_be_merged_into_an_action_of_another_plan(round_, plan, actions, unit_editor, other_division):
    elsewhere = published_plan(other_division, priorities=1, actions=1)
    other_action = Action.objects.filter(priority__plan=elsewhere).first()
    with pytest.raises(ValidationError, match="choose an action of this plan"):
        save(round_, plan, unit_editor, actions={actions[0].pk: entry(withdrawn="merged", merged_into=other_action.pk)})


def test_returns_only_for_the_actions_of_the_plan(round_, plan, unit_editor, other_division):
    elsewhere = published_plan(other_division, priorities=1, actions=1)
    other_action = Action.objects.filter(priority__plan=elsewhere).first()
    with pytest.raises(ValidationError, match="not part of this plan"):
        save(round_, plan, unit_editor, actions={other_action.pk: entry(status="on_course")})


@pytest.mark.parametrize("role", ["other_unit_editor", "approver", "committee_member"])
def test_only_the_plans_editors_and_administrators_enter_returns(request, round_, plan, actions, role):
    with pytest.raises(PermissionDenied):
        save(round_, plan, request.getfixturevalue(role), actions={actions[0].pk: entry(status="on_course")})
    assert not ActionReturn.objects.exists()


def test_a_plan_the_round_does_not_cover_takes_no_returns(round_, division, unit_editor):
    draft = PlanFactory(unit=division, status=Plan.Status.DRAFT)
    with pytest.raises(ValidationError, match="does not report in this round"):
        save(round_, draft, unit_editor, decision_changes={"version": 0, "text": "x"})


# Two people at once


def test_a_stale_save_is_refused_with_both_values_and_nothing_is_saved(round_, plan, actions, unit_editor, admin_user):
    # Both open the page (every row at version 0); the administrator saves first.
    save(round_, plan, admin_user, actions={actions[0].pk: entry(status="completed", commentary="Theirs")})
    with pytest.raises(services.ReturnConflict) as raised:
        save(
            round_, plan, unit_editor,
            actions={
                actions[0].pk: entry(status="delayed", commentary="Mine"),
                actions[1].pk: entry(status="on_course", commentary="Also mine"),
            },
        )  # fmt: skip
    (conflict,) = raised.value.conflicts
    assert conflict.key == f"action-{actions[0].pk}"
    assert conflict.changed_by == admin_user.username
    assert conflict.version == 1
    assert ("Status", "Completed", "Delayed") in conflict.differences
    assert ("Progress commentary", "Theirs", "Mine") in conflict.differences
    assert "changed 1 of these returns since you opened them" in str(raised.value)
    # nothing of the second save was written, not even the row nobody else touched
    assert list(ActionReturn.objects.values_list("action_id", "commentary")) == [(actions[0].pk, "Theirs")]
    # saving again with the current version (as the page does after showing the conflict) overwrites
    save(round_, plan, unit_editor, actions={actions[0].pk: entry(version=1, status="delayed", commentary="Mine")})
    assert ActionReturn.objects.get().commentary == "Mine"


def test_a_row_left_untouched_in_a_stale_form_keeps_the_other_persons_values(
    round_, plan, actions, unit_editor, admin_user
):
    save(round_, plan, unit_editor, actions={actions[0].pk: entry(status="on_course", commentary="First")})
    # Both load the page at version 1; the administrator changes action 0 ...
    save(round_, plan, admin_user, actions={actions[0].pk: entry(version=1, status="completed", commentary="Done")})
    # ... the editor, from the old page, changes only action 1 and posts action 0 as it was loaded.
    save(
        round_, plan, unit_editor,
        actions={
            actions[0].pk: entry(version=1, status="on_course", commentary="First"),
            actions[1].pk: entry(status="on_course", commentary="New"),
        },
    )  # fmt: skip
    assert dict(ActionReturn.objects.values_list("action_id", "commentary")) == {
        actions[0].pk: "Done",
        actions[1].pk: "New",
    }


def test_a_row_created_meanwhile_is_a_conflict(round_, plan, unit_editor, admin_user):
    save(round_, plan, admin_user, decision_changes={"version": 0, "text": "Theirs"})
    with pytest.raises(services.ReturnConflict) as raised:
        save(round_, plan, unit_editor, decision_changes={"version": 0, "text": "Mine"})
    assert raised.value.conflicts[0].key == "decisions"
    assert DecisionChange.objects.get().text == "Theirs"


# Closing


def test_closing_freezes_what_the_round_shows(round_, plan, actions, unit_editor, admin_user, client_for):
    save(round_, plan, unit_editor, actions={actions[0].pk: entry(status="on_course", commentary="As at closing")})
    services.round_close(round_=round_, user=admin_user)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert round_.closed_by == admin_user

    # Afterwards the plan's action and the return itself are edited (outside the round's pages) ...
    action = actions[0]
    action.text = "Rewritten action text"
    action.officer = "Someone else"
    action.save()
    ActionReturn.objects.filter(action=action).update(commentary="Edited after closing", status="delayed")
    Action.objects.create(priority=action.priority, number=9, sub_number=0, text="Added after closing")

    client = client_for(unit_editor)
    round_page = client.get(reverse("monitoring:detail", args=[round_.pk])).content.decode()
    return_page = client.get(reverse("monitoring:return", args=[round_.pk, plan.pk])).content.decode()
    # actions, returned, missing, late, milestones: as at closing (the added action is not counted)
    assert row_cells(round_page, "unit-DIV")[2:6] == [str(len(actions)), "1", str(len(actions) - 1), "0"]
    assert "As at closing" in return_page
    assert "On course" in return_page
    assert "Edited after closing" not in return_page
    assert "Rewritten action text" not in return_page
    assert "Added after closing" not in return_page
    assert "Someone else" not in return_page
    frozen = next(unit for unit in round_report(round_)["units"] if unit["plan"])
    assert frozen["priorities"][0]["actions"][0]["commentary"] == "As at closing"


def test_a_closed_round_takes_no_more_returns_and_cannot_be_closed_again(
    round_, plan, actions, unit_editor, admin_user
):
    services.round_close(round_=round_, user=admin_user)
    with pytest.raises(ValidationError, match="round is closed"):
        save(round_, plan, unit_editor, actions={actions[0].pk: entry(status="on_course")})
    with pytest.raises(ValidationError, match="already closed"):
        services.round_close(round_=round_, user=admin_user)


def test_only_an_administrator_closes_a_round(round_, approver):
    with pytest.raises(PermissionDenied):
        services.round_close(round_=round_, user=approver)
    round_.refresh_from_db()
    assert round_.is_open
