"""Monitoring returns on the plan's history page: who entered or changed a return, when, old and new values."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from plans.models import Milestone, Priority
from tests.factories import PlanFactory, fill_plan
from tests.monitoring.conftest import entry

pytestmark = pytest.mark.django_db


def history_page(client, plan) -> str:
    response = client.get(reverse("plans:history", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_return_entered_then_changed_shows_both_with_old_and_new_values(
    round_, plan, actions, unit_editor, client_for
):
    action = actions[0]
    services.return_save(
        round_=round_, plan=plan, user=unit_editor, actions={action.pk: entry(status="on_course", commentary="Begun")}
    )
    services.return_save(
        round_=round_,
        plan=plan,
        user=unit_editor,
        actions={action.pk: entry(version=1, status="completed", commentary="Done in October")},
    )
    page = history_page(client_for(unit_editor), plan)
    assert f"Created – Monitoring return, {round_.name}: action {action.label}" in page
    assert f"Changed – Monitoring return, {round_.name}: action {action.label}" in page
    assert "On course" in page
    assert "Completed" in page
    assert "Begun" in page
    assert "Done in October" in page
    assert "Entered at" not in page  # who and when head every change; not repeated as a field


def test_priority_milestone_and_decision_returns_are_listed(round_, plan, unit_editor, client_for):
    priority = Priority.objects.filter(plan=plan).order_by("number").first()
    milestone = Milestone.objects.filter(priority=priority).first()
    services.return_save(
        round_=round_,
        plan=plan,
        user=unit_editor,
        priorities={priority.pk: {"version": 0, "key_achievements": "New contract let", "key_issues": ""}},
        milestones={milestone.pk: {"version": 0, "status": "achieved", "commentary": ""}} if milestone else None,
        decision_changes={"version": 0, "text": "Decision 1.1 deferred to March"},
    )
    page = history_page(client_for(unit_editor), plan)
    assert f"Monitoring return, {round_.name}: priority {priority.number}" in page
    assert "New contract let" in page
    assert f"Monitoring return, {round_.name}: changes to key decisions" in page
    assert "Decision 1.1 deferred to March" in page
    if milestone:
        assert f"Monitoring return, {round_.name}: milestone {milestone.letter}" in page


def test_returns_of_another_plan_are_not_shown(round_, plan, unit_editor, admin_user, client_for):
    second = PlanFactory(unit=plan.unit, status="draft")
    fill_plan(second, priorities=1, actions=1)
    action = plan.priorities.first().actions.first()
    services.return_save(
        round_=round_, plan=plan, user=unit_editor, actions={action.pk: entry(status="completed", commentary="X1")}
    )
    assert "Monitoring return" not in history_page(client_for(admin_user), second)


def test_history_page_query_count_does_not_grow_with_returns(round_, plan, actions, unit_editor, client_for):
    client = client_for(unit_editor)
    services.return_save(round_=round_, plan=plan, user=unit_editor, actions={actions[0].pk: entry(status="completed")})
    client.get(reverse("plans:history", args=[plan.pk]))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("plans:history", args=[plan.pk]))
    services.return_save(
        round_=round_,
        plan=plan,
        user=unit_editor,
        actions={action.pk: entry(status="on_course", commentary=f"Note {n}") for n, action in enumerate(actions[1:])},
    )
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("plans:history", args=[plan.pk]))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_committee_member_cannot_open_the_history_with_its_returns(round_, plan, committee_member, client_for):
    # The published plan is theirs to read (so 403, not 404), but its history and returns are not.
    assert client_for(committee_member).get(reverse("plans:history", args=[plan.pk])).status_code == 403
