"""Workflow steps: each allowed step, each refused step, new versions, and the pages for them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plans import services
from plans.models import Action, Plan, PlanEvent
from tests.factories import ActionFactory, PlanFactory, PriorityFactory, RiskFactory


@pytest.fixture
def plan(division):
    return Plan.objects.with_unit().get(pk=PlanFactory(unit=division).pk)


def _step(plan, user, step, comment=""):
    return services.plan_transition(plan=plan, user=user, step=step, comment=comment)


def test_editor_submits_and_approver_approves_and_publishes(plan, unit_editor, approver):
    _step(plan, unit_editor, "submit", "Ready for DivMT")
    _step(plan, approver, "approve", "Agreed")
    _step(plan, approver, "publish")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED
    events = list(plan.events.values_list("step", "from_status", "to_status", "user__username", "comment"))
    assert events == [
        ("submit", "draft", "submitted", "division.editor", "Ready for DivMT"),
        ("approve", "submitted", "approved", "directorate.approver", "Agreed"),
        ("publish", "approved", "published", "directorate.approver", ""),
    ]


def test_approver_sends_back_with_a_comment(plan, unit_editor, approver):
    _step(plan, unit_editor, "submit")
    _step(plan, approver, "send_back", "Add dates to action 2.1")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_send_back_without_a_comment_is_refused(plan, unit_editor, approver):
    _step(plan, unit_editor, "submit")
    with pytest.raises(ValidationError, match="Enter a comment"):
        _step(plan, approver, "send_back", "  ")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("draft", "approve"),
        ("draft", "publish"),
        ("draft", "send_back"),
        ("submitted", "submit"),
        ("submitted", "publish"),
        ("approved", "approve"),
        ("published", "submit"),
        ("published", "approve"),
        ("published", "send_back"),
    ],
)
def test_step_not_allowed_from_status_is_refused_and_nothing_changes(division, admin_user, status, step):
    plan = PlanFactory(unit=division, status=status)
    with pytest.raises(ValidationError, match="cannot be"):
        _step(plan, admin_user, step, "comment")
    plan.refresh_from_db()
    assert plan.status == status
    assert not PlanEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "step"),
    [
        ("unit_editor", "submitted", "approve"),
        ("other_unit_editor", "draft", "submit"),
        ("committee_member", "draft", "submit"),
        ("committee_member", "approved", "publish"),
        ("approver", "draft", "submit"),
    ],
)
def test_user_without_the_role_cannot_take_the_step(request, division, role, status, step):
    user = request.getfixturevalue(role)
    plan = Plan.objects.with_unit().get(pk=PlanFactory(unit=division, status=status).pk)
    with pytest.raises(PermissionDenied):
        _step(plan, user, step, "comment")
    plan.refresh_from_db()
    assert plan.status == status


def test_new_version_copies_content_and_links_back(division, unit_editor):
    plan = PlanFactory(unit=division, status=Plan.Status.PUBLISHED, version_label="Final v 6")
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, sub_number=0)
    ActionFactory(priority=priority, number=1, sub_number=1, officer="Chris Beaney/Mark Walker")
    RiskFactory(plan=plan)
    plan = Plan.objects.with_unit().get(pk=plan.pk)

    new = services.plan_new_version(plan=plan, user=unit_editor, version_label="Draft v 7")

    assert new.pk != plan.pk
    assert new.previous_version == plan
    assert new.status == Plan.Status.DRAFT
    assert new.priorities.count() == 1
    copied = Action.objects.filter(priority__plan=new).order_by("number", "sub_number")
    assert [(a.number, a.sub_number) for a in copied] == [(1, 0), (1, 1)]
    assert copied[1].officer == "Chris Beaney/Mark Walker"
    assert new.risks.count() == 1
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED
    assert Action.objects.filter(priority__plan=plan).count() == 2


def test_new_version_only_from_a_published_plan(division, unit_editor):
    plan = Plan.objects.with_unit().get(pk=PlanFactory(unit=division, status=Plan.Status.DRAFT).pk)
    with pytest.raises(ValidationError, match="only be started from a published plan"):
        services.plan_new_version(plan=plan, user=unit_editor, version_label="Draft v 2")


def test_new_version_needs_a_new_label(division, unit_editor):
    plan = PlanFactory(unit=division, status=Plan.Status.PUBLISHED, version_label="Final v 6")
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    with pytest.raises(ValidationError, match="already has a plan for this year with this version label"):
        services.plan_new_version(plan=plan, user=unit_editor, version_label="Final v 6")
    assert Plan.objects.count() == 1


def test_submit_page_records_the_step_and_shows_it_on_the_plan(plan, unit_editor, client_for):
    client = client_for(unit_editor)
    url = reverse("plans:transition", args=[plan.pk, "submit"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"comment": "Ready <b>now</b>"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Submitted for approval" in page
    assert "Ready &lt;b&gt;now&lt;/b&gt;" in page


def test_send_back_page_without_comment_shows_an_error_summary(plan, unit_editor, approver, client_for):
    _step(plan, unit_editor, "submit")
    response = client_for(approver).post(reverse("plans:transition", args=[plan.pk, "send_back"]), {"comment": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("other_unit_editor", 404), ("committee_member", 404), ("approver", 403), ("unit_editor", 200)],
)
def test_submit_page_permissions(plan, request, client_for, role, expected):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("plans:transition", args=[plan.pk, "submit"]))
    assert response.status_code == expected


def test_post_by_a_user_who_may_not_approve_changes_nothing(plan, unit_editor, client_for):
    _step(plan, unit_editor, "submit")
    response = client_for(unit_editor).post(reverse("plans:transition", args=[plan.pk, "approve"]), {"comment": "x"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Plan.Status.SUBMITTED


@pytest.mark.parametrize("name", ["plans:transition", "plans:new_version", "plans:history"])
def test_workflow_pages_redirect_anonymous_to_sign_in(client, plan, name):
    args = [plan.pk, "submit"] if name == "plans:transition" else [plan.pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_history_page_shows_who_changed_what(plan, unit_editor, client_for, committee_member):
    priority = PriorityFactory(plan=plan, number=1, title="Prevention")
    action = ActionFactory(priority=priority, number=1, sub_number=0, officer="Mark Walker")
    action.officer = "Chris Beaney"
    action.save()
    response = client_for(unit_editor).get(reverse("plans:history", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accountable officer" in page
    assert "Mark Walker" in page
    assert "Chris Beaney" in page
    # committee members read published plans only, and never the history
    assert client_for(committee_member).get(reverse("plans:history", args=[plan.pk])).status_code == 404


def test_history_page_query_count_is_fixed(plan, unit_editor, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(unit_editor)
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, sub_number=0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("plans:history", args=[plan.pk]))
    for number in range(2, 8):
        other = PriorityFactory(plan=plan, number=number)
        ActionFactory(priority=other, number=1, sub_number=0)
        ActionFactory(priority=other, number=1, sub_number=1)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("plans:history", args=[plan.pk]))
    assert len(large.captured_queries) == len(small.captured_queries)
