"""Issue 11: a programme's projects linked to the plan actions that deliver them, so that the programme's
progress is seen from the monitoring returns (plans/programme_links.py, dashboards/programmes.py)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from dashboards.programmes import NO_RETURN, Delivery, programme_tables, status_counts
from monitoring import services
from monitoring.models import ActionReturn
from plans.models import Action, Plan, TableColumn, TableKind, TableRow, TemplateSection, TemplateSectionTable
from tests.factories import PlanFactory, PlanTemplateFactory, fill_plan, year
from tests.html_forms import form_data
from tests.plan_pages import whole_plan

WHEN = datetime.datetime(2013, 11, 1, 10, 0, tzinfo=datetime.UTC)


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def make_programme(unit, *, projects=3, status=Plan.Status.PUBLISHED) -> Plan:
    template = PlanTemplateFactory(sections=[("7.2", "Understand Phase", [])])
    section = TemplateSection.objects.get(template=template)
    table = TemplateSectionTable.objects.create(
        section=section, kind=TableKind.CUSTOM, slug="projects", title="Understand projects", delivered_by_actions=True
    )
    TableColumn.objects.create(table=table, order=1, key="project", heading="Project")
    plan = PlanFactory(unit=unit, template=template, status=status, title="Transformation Programme Blueprint")
    for number in range(1, projects + 1):
        TableRow.objects.create(plan=plan, table=table, number=number, values={"project": f"Project {number}"})
    return plan


def delivering_plan(unit, *, priorities=1, actions=2) -> Plan:
    plan = PlanFactory(unit=unit, status=Plan.Status.PUBLISHED)
    fill_plan(plan, priorities=priorities, actions=actions, sub_actions=0)
    return plan


@pytest.fixture
def programme(directorate):
    return make_programme(directorate)


@pytest.fixture
def plan(division):
    return delivering_plan(division)


@pytest.fixture
def actions(plan):
    return list(Action.objects.filter(priority__plan=plan).order_by("number"))


def open_round(admin_user, directorate, kind="mid_year"):
    return services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind=kind, deadline=datetime.date(2014, 3, 31)
    )


def save_returns(round_, plan, user, statuses: dict):
    services.return_save(
        round_=round_,
        plan=plan,
        user=user,
        now=WHEN,
        actions={
            action.pk: {"version": 0, "status": status, "commentary": f"{status} commentary"}
            for action, status in statuses.items()
        },
    )


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], {}),
        ([None], {NO_RETURN: 1}),
        (["on_course", "on_course", "delayed"], {"On course": 2, "Delayed": 1}),
        (["completed", None, "cancelled"], {"Completed": 1, "Cancelled": 1, NO_RETURN: 1}),
        (["withdrawn"], {"Withdrawn": 1}),
    ],
)
def test_status_counts(statuses, expected):
    deliveries = []
    for status in statuses:
        if status is None:
            ret = None
        elif status == "withdrawn":
            ret = ActionReturn(withdrawn="withdrawn", withdrawn_note="No longer needed")
        else:
            ret = ActionReturn(status=status)
        deliveries.append(Delivery(action=Action(number=1), ret=ret))
    assert status_counts(deliveries) == expected


@pytest.mark.parametrize(
    ("status", "rag", "label"),
    [
        ("completed", "green", "Completed"),
        ("on_course", "amber", "On course"),
        ("delayed", "red", "Delayed"),
        ("cancelled", "red", "Cancelled"),
        (None, "none", NO_RETURN),
    ],
)
def test_a_delivery_shows_its_status_as_a_rag_and_in_words(status, rag, label):
    delivery = Delivery(action=Action(number=1), ret=ActionReturn(status=status) if status else None)
    assert (delivery.rag, delivery.status_label) == (rag, label)


def test_only_a_custom_table_can_be_delivered_by_actions(programme):
    from django.core.exceptions import ValidationError

    section = TemplateSection.objects.get(template=programme.template)
    table = TemplateSectionTable(section=section, kind=TableKind.RISKS, delivered_by_actions=True)
    with pytest.raises(ValidationError, match="Only a custom table"):
        table.full_clean()


# --- linking --------------------------------------------------------------------------------------


def test_an_editor_of_the_programme_links_actions_and_sees_their_latest_status(
    programme, plan, actions, admin_user, approver, client_for, directorate
):
    from tests.conftest import _member

    editor = _member("programme.editor", directorate, "editor")
    client = client_for(editor)
    row = programme.table_rows.get(number=2)
    url = reverse("plans:delivering_actions", args=[programme.pk, row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"priority 1, action {actions[0].label}" in text_of(page)
    data = form_data(page)
    data["actions"] = [str(actions[0].pk), str(actions[1].pk)]
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("dashboards:programme", args=[programme.pk])
    assert set(row.delivering_actions.all()) == set(actions)

    mid_year = open_round(admin_user, directorate)
    save_returns(mid_year, plan, admin_user, {actions[0]: "on_course", actions[1]: "delayed"})
    services.round_close(round_=mid_year, user=admin_user)
    year_end = open_round(admin_user, directorate, kind="year_end")
    save_returns(year_end, plan, admin_user, {actions[0]: "completed"})

    progress = client_for(approver).get(reverse("dashboards:programme", args=[programme.pk]))
    text = text_of(progress)
    # Each delivering action links to its row on its plan's priorities.
    anchor = f"action-{actions[0].priority.number}-{actions[0].label}"
    action_link = reverse("plans:table", args=[plan.pk, "priorities"]) + f"#{anchor}"
    assert f'href="{action_link}"' in progress.text
    assert f'id="{anchor}"' in client_for(approver).get(action_link, follow=True).text
    # Action 1 from the year-end round (the latest), action 2 from the closed mid-year round (its latest).
    assert f"action {actions[0].label}: {actions[0].text[:40]}" in text
    assert "Green Completed Year-end 2013-14: completed commentary" in text
    assert "Red Delayed Mid-year 2013-14: delayed commentary" in text
    assert "Completed 1 action" in text
    assert "Delayed 1 action" in text
    assert "Project 1 No delivering action linked." in text
    assert "Link actions" not in text  # the approver reads; the programme's editors link

    # The programme's plan pages lead to its progress page.
    assert reverse("dashboards:programme", args=[programme.pk]) in whole_plan(client, programme)


def test_actions_of_plans_the_editor_cannot_read_are_neither_offered_nor_dropped(
    division, plan, actions, other_division, client_for, unit_editor
):
    programme = make_programme(division)  # kept by DIV's editors, who cannot read OTHER's plans
    hidden_plan = delivering_plan(other_division)
    hidden_action = Action.objects.filter(priority__plan=hidden_plan).first()
    row = programme.table_rows.get(number=1)
    row.delivering_actions.add(hidden_action)  # linked earlier by someone who may read OTHER's plan
    editor = unit_editor
    client = client_for(editor)
    url = reverse("plans:delivering_actions", args=[programme.pk, row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{hidden_action.pk}"' not in page.content.decode()
    data = form_data(page)
    data["actions"] = [str(hidden_action.pk)]
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    data["actions"] = [str(actions[0].pk)]
    assert client.post(url, data).status_code == 302
    assert set(row.delivering_actions.all()) == {actions[0], hidden_action}
    progress = text_of(client.get(reverse("dashboards:programme", args=[programme.pk])))
    assert "And 1 action of plans you cannot see." in progress
    assert hidden_action.text[:30] not in progress


# --- who may ----------------------------------------------------------------------------------------


def test_who_may_see_the_progress_page_and_who_may_link(
    programme, client_for, admin_user, approver, committee_member, unit_editor, other_unit_editor, directorate
):
    draft = make_programme(directorate, status=Plan.Status.DRAFT)
    row = programme.table_rows.first()
    progress = reverse("dashboards:programme", args=[programme.pk])
    link = reverse("plans:delivering_actions", args=[programme.pk, row.pk])
    # Readers of the programme's plan see the progress page; only its editors and administrators link.
    assert client_for(admin_user).get(link).status_code == 200
    for user in (approver, committee_member):
        assert client_for(user).get(progress).status_code == 200
        assert client_for(user).get(link).status_code == 403
        assert client_for(user).post(link, {"actions": []}).status_code == 403
    # A division editor does not reach the directorate's plan: it is hidden from them.
    for user in (unit_editor, other_unit_editor):
        assert client_for(user).get(progress).status_code == 404
        assert client_for(user).get(link).status_code == 404
    # A committee member does not see a draft programme at all.
    assert client_for(committee_member).get(reverse("dashboards:programme", args=[draft.pk])).status_code == 404
    # A plan with no delivered-by-actions table has no progress page; a row of another table no link page.
    ordinary = PlanFactory(unit=directorate, status=Plan.Status.PUBLISHED)
    assert client_for(admin_user).get(reverse("dashboards:programme", args=[ordinary.pk])).status_code == 404
    other_row = draft.table_rows.first()
    wrong = reverse("plans:delivering_actions", args=[programme.pk, other_row.pk])
    assert client_for(admin_user).get(wrong).status_code == 404


# --- a fixed number of queries ----------------------------------------------------------------------


def _linked_programme(directorate, division, admin_user, *, projects, rounds, actions):
    programme = make_programme(directorate, projects=projects)
    plan = delivering_plan(division, actions=actions)
    all_actions = list(Action.objects.filter(priority__plan=plan))
    for row in programme.table_rows.all():
        row.delivering_actions.set(all_actions)
    for kind in ["mid_year", "year_end"][:rounds]:
        round_ = open_round(admin_user, directorate, kind=kind)
        save_returns(round_, plan, admin_user, dict.fromkeys(all_actions, "on_course"))
    return programme


@pytest.mark.parametrize(("projects", "rounds", "actions"), [(1, 1, 1), (6, 2, 5)])
def test_the_progress_page_takes_a_fixed_number_of_queries(
    projects, rounds, actions, directorate, division, admin_user, django_assert_num_queries
):
    programme = _linked_programme(directorate, division, admin_user, projects=projects, rounds=rounds, actions=actions)
    with django_assert_num_queries(6):
        tables = programme_tables(admin_user, programme)
    assert len(tables[0].projects) == projects
    assert {len(p.deliveries) for p in tables[0].projects} == {actions}
    assert {d.status_label for p in tables[0].projects for d in p.deliveries} == {"On course"}


def test_the_demo_blueprint_projects_are_delivered_by_actions_but_left_unlinked(db):
    """The sources name no plan action as delivering an 'understand' project, so the demo links none."""
    from exchange.seeds import load_all

    load_all()
    table = TemplateSectionTable.objects.get(slug="understand-projects")
    assert table.delivered_by_actions
    assert TableRow.objects.filter(table=table).count() == 24
    assert not TableRow.delivering_actions.through.objects.exists()
