"""The editing pages: who may use them, numbering never broken, no lost edits, clear errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Action, Milestone, Plan, PlanSection, Priority
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    PlanFactory,
    PriorityFactory,
    RiskFactory,
    UserFactory,
    fill_plan,
)


@pytest.fixture
def plan(division):
    return PlanFactory(unit=division, status=Plan.Status.DRAFT)


@pytest.fixture
def priority(plan):
    return PriorityFactory(plan=plan, number=1, title="Prevention")


@pytest.fixture
def editor(client_for, unit_editor):
    return client_for(unit_editor)


def _numbers(priority):
    return [a.label for a in Action.objects.filter(priority=priority).order_by("number", "sub_number")]


def _edit_urls(plan, priority):
    action = ActionFactory(priority=priority)
    risk = RiskFactory(plan=plan)
    return [
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:edit_header", args=[plan.pk]),
        reverse("plans:edit_section", args=[plan.pk, "C"]),
        reverse("plans:edit_section", args=[plan.pk, "E"]),
        reverse("plans:edit_priority", args=[plan.pk, priority.pk]),
        reverse("plans:row_add", args=[plan.pk, "priority"]),
        reverse("plans:row_add", args=[plan.pk, "risk"]),
        reverse("plans:row_add_in_priority", args=[plan.pk, priority.pk, "action"]),
        reverse("plans:row_add_in_priority", args=[plan.pk, priority.pk, "milestone"]),
        reverse("plans:row_edit", args=[plan.pk, "action", action.pk]),
        reverse("plans:row_edit", args=[plan.pk, "risk", risk.pk]),
        reverse("plans:row_remove", args=[plan.pk, "action", action.pk]),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("unit_editor", 200),
        ("admin_user", 200),
        ("approver", 403),
        ("other_unit_editor", 404),
        ("committee_member", 404),
    ],
)
def test_every_editing_page_answers_each_role(request, plan, priority, client_for, role, expected):
    client = client_for(request.getfixturevalue(role))
    for url in _edit_urls(plan, priority):
        assert client.get(url).status_code == expected, url


def test_every_editing_page_sends_anonymous_visitors_to_sign_in(client, plan, priority):
    for url in _edit_urls(plan, priority):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("status", [Plan.Status.SUBMITTED, Plan.Status.APPROVED, Plan.Status.PUBLISHED])
@pytest.mark.parametrize("role", ["unit_editor", "admin_user"])
def test_a_plan_that_is_not_a_draft_is_read_only_even_for_administrators(
    request, plan, priority, client_for, status, role
):
    urls = _edit_urls(plan, priority)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    client = client_for(request.getfixturevalue(role))
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("plans:row_add", args=[plan.pk, "priority"]), {"title": "Sneaky"})
    assert response.status_code == 403
    assert not plan.priorities.filter(title="Sneaky").exists()


def test_posts_by_other_units_change_nothing(plan, priority, client_for, other_unit_editor, approver):
    action = ActionFactory(priority=priority, text="Original")
    url = reverse("plans:row_edit", args=[plan.pk, "action", action.pk])
    assert client_for(other_unit_editor).post(url, {"text": "Hacked"}).status_code == 404
    assert client_for(approver).post(url, {"text": "Hacked"}).status_code == 403
    action.refresh_from_db()
    assert action.text == "Original"


def test_a_row_of_another_plan_cannot_be_reached_through_this_plan(plan, priority, editor, division):
    other_plan = PlanFactory(unit=division)
    foreign = ActionFactory(priority=PriorityFactory(plan=other_plan))
    assert editor.get(reverse("plans:row_edit", args=[plan.pk, "action", foreign.pk])).status_code == 404


def test_adding_headline_and_sub_actions_numbers_them_in_order(plan, priority, editor):
    url = reverse("plans:row_add_in_priority", args=[plan.pk, priority.pk, "action"])
    common = {"officer": "Chris Beaney", "start": "April 2013", "end": "March 2014"}
    assert editor.post(url, {"place": "new", "text": "Headline one", **common}).status_code == 302
    assert editor.post(url, {"place": "new", "text": "Headline two", **common}).status_code == 302
    assert editor.post(url, {"place": "1", "text": "Sub one point one", **common}).status_code == 302
    assert editor.post(url, {"place": "1", "text": "Sub one point two", **common}).status_code == 302
    assert _numbers(priority) == ["1", "1.1", "1.2", "2"]
    sub = Action.objects.get(priority=priority, number=1, sub_number=2)
    assert sub.text == "Sub one point two"
    assert str(sub.start) == "2013-04-01"


def test_removing_a_headline_removes_its_sub_actions_and_closes_the_gap(plan, priority, editor):
    for headline in (1, 2, 3):
        ActionFactory(priority=priority, number=headline, sub_number=0)
        ActionFactory(priority=priority, number=headline, sub_number=1, text=f"sub of {headline}")
    two = Action.objects.get(priority=priority, number=2, sub_number=0)
    page = editor.get(reverse("plans:row_remove", args=[plan.pk, "action", two.pk])).content.decode()
    assert "Its sub-actions will be removed too" in page
    editor.post(reverse("plans:row_remove", args=[plan.pk, "action", two.pk]))
    assert _numbers(priority) == ["1", "1.1", "2", "2.1"]
    assert Action.objects.get(priority=priority, number=2, sub_number=1).text == "sub of 3"


def test_removing_a_sub_action_renumbers_its_siblings(plan, priority, editor):
    ActionFactory(priority=priority, number=1, sub_number=0)
    for sub in (1, 2, 3):
        ActionFactory(priority=priority, number=1, sub_number=sub, text=f"1.{sub}")
    first = Action.objects.get(priority=priority, number=1, sub_number=1)
    editor.post(reverse("plans:row_remove", args=[plan.pk, "action", first.pk]))
    assert _numbers(priority) == ["1", "1.1", "1.2"]
    assert Action.objects.get(priority=priority, number=1, sub_number=1).text == "1.2"


def test_moving_a_headline_down_carries_its_sub_actions(plan, priority, editor):
    for headline in (1, 2):
        ActionFactory(priority=priority, number=headline, sub_number=0, text=f"headline {headline}")
        ActionFactory(priority=priority, number=headline, sub_number=1, text=f"sub of {headline}")
    one = Action.objects.get(priority=priority, number=1, sub_number=0)
    editor.post(reverse("plans:row_move", args=[plan.pk, "action", one.pk, "down"]))
    actions = {a.label: a.text for a in Action.objects.filter(priority=priority)}
    assert actions == {"1": "headline 2", "1.1": "sub of 2", "2": "headline 1", "2.1": "sub of 1"}


def test_moving_a_priority_up_swaps_the_numbers(plan, editor):
    first, second = PriorityFactory(plan=plan, title="First"), PriorityFactory(plan=plan, title="Second")
    editor.post(reverse("plans:row_move", args=[plan.pk, "priority", second.pk, "up"]))
    assert list(Priority.objects.filter(plan=plan).values_list("number", "title")) == [(1, "Second"), (2, "First")]
    first.refresh_from_db()
    assert first.number == 2


def test_removing_a_milestone_re_letters_the_rest(plan, priority, editor):
    for text in ("alpha", "bravo", "charlie"):
        MilestoneFactory(priority=priority, text=text)
    bravo = Milestone.objects.get(priority=priority, text="bravo")
    editor.post(reverse("plans:row_remove", args=[plan.pk, "milestone", bravo.pk]))
    assert list(Milestone.objects.filter(priority=priority).values_list("letter", "text")) == [
        ("A", "alpha"),
        ("B", "charlie"),
    ]


def test_move_needs_a_post(plan, priority, editor):
    action = ActionFactory(priority=priority)
    assert editor.get(reverse("plans:row_move", args=[plan.pk, "action", action.pk, "up"])).status_code == 405


def test_end_before_start_gets_an_error_summary_and_nothing_is_saved(plan, priority, editor):
    action = ActionFactory(priority=priority, text="Before")
    url = reverse("plans:row_edit", args=[plan.pk, "action", action.pk])
    version = editor.get(url).context["form"].initial["version"]
    response = editor.post(
        url, {"text": "After", "officer": "x", "start": "March 2014", "end": "April 2013", "version": version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The end month cannot be before the start month." in page
    action.refresh_from_db()
    assert action.text == "Before"


def test_a_month_that_cannot_be_read_is_explained(plan, priority, editor):
    url = reverse("plans:row_add_in_priority", args=[plan.pk, priority.pk, "action"])
    response = editor.post(url, {"place": "new", "text": "x", "start": "Smarch 2013"})
    assert "“Smarch 2013” is not a month; write it like April 2013." in response.content.decode()
    assert not priority.actions.exists()


def test_second_save_over_a_newer_version_is_refused_and_keeps_what_was_typed(plan, priority, client_for, unit_editor):
    action = ActionFactory(priority=priority, text="Original", officer="Mark Walker")
    url = reverse("plans:row_edit", args=[plan.pk, "action", action.pk])
    first, second = client_for(unit_editor), client_for(UserFactory(username="colleague", is_superuser=True))
    opened_version = first.get(url).context["form"].initial["version"]
    second_version = second.get(url).context["form"].initial["version"]

    second.post(url, {"text": "Original", "officer": "Chris Beaney", "version": second_version})
    response = first.post(url, {"text": "My careful rewrite", "officer": "Mark Walker", "version": opened_version})

    page = response.content.decode()
    assert response.status_code == 200
    assert "changed this while you were editing it" in page
    assert "My careful rewrite" in page  # nothing lost
    assert "Chris Beaney" in page  # what changed meanwhile
    action.refresh_from_db()
    assert (action.text, action.officer) == ("Original", "Chris Beaney")

    # Saving again from the refreshed form is a deliberate overwrite, and works.
    again = response.context["form"].data["version"]
    first.post(url, {"text": "My careful rewrite", "officer": "Mark Walker", "version": again})
    action.refresh_from_db()
    assert action.text == "My careful rewrite"


def test_section_narrative_saves_and_the_task_list_shows_its_progress(plan, editor):
    url = reverse("plans:edit_section", args=[plan.pk, "A"])
    response = editor.post(url, {"body": "Our role is **to help**.", "progress": "completed", "version": 0})
    assert response.status_code == 302
    section = PlanSection.objects.get(plan=plan, template_section__code="A")
    assert section.progress == PlanSection.Progress.COMPLETED
    overview = editor.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert 'id="task-A-status">\n      Completed' in overview
    assert "Not started" in overview  # the other sections


def test_adding_a_row_marks_its_section_in_progress(plan, editor):
    editor.post(reverse("plans:row_add", args=[plan.pk, "risk"]), {"risk": "Budget pressure", "mitigation": "Monitor"})
    assert PlanSection.objects.get(plan=plan, template_section__code="E").progress == "in_progress"
    assert plan.risks.get().number == 1


def test_header_form_saves_the_plan_details(plan, editor):
    url = reverse("plans:edit_header", args=[plan.pk])
    version = editor.get(url).context["form"].initial["version"]
    response = editor.post(
        url,
        {
            "title": plan.title,
            "version_date": "16/12/2012",
            "director": "Penny Southern",
            "gross_expenditure": "172233.0",
            "fte": "757.2",
            "fte_at": "Nov 2012",
            "version": version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.director, str(plan.fte), str(plan.fte_at)) == ("Penny Southern", "757.2", "2012-11-01")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_priority_and_section_pages_take_a_fixed_number_of_queries(division, editor):
    # Seven priorities or more gives every section A-G its narrative row, so both plans have the same shape.
    small = fill_plan(PlanFactory(unit=division), priorities=7, actions=1)
    large = fill_plan(PlanFactory(unit=division), priorities=12, actions=3, sub_actions=2)
    for name, args in [("plans:edit_section", ["C"]), ("plans:edit_section", ["E"]), ("plans:edit", [])]:
        assert _queries(editor, reverse(name, args=[small.pk, *args])) == _queries(
            editor, reverse(name, args=[large.pk, *args])
        ), name
    small_priority, large_priority = small.priorities.first(), large.priorities.first()
    assert _queries(editor, reverse("plans:edit_priority", args=[small.pk, small_priority.pk])) == _queries(
        editor, reverse("plans:edit_priority", args=[large.pk, large_priority.pk])
    )


def test_change_link_of_a_priority_opens_its_form(plan, priority, editor):
    response = editor.get(reverse("plans:row_edit", args=[plan.pk, "priority", priority.pk]))
    assert 'name="title"' in response.content.decode()
    response = editor.post(
        reverse("plans:row_edit", args=[plan.pk, "priority", priority.pk]),
        {
            "title": "Prevention and early help",
            "description": "",
            "version": response.context["form"].initial["version"],
        },
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Prevention and early help"


def _posts(plan, priority):
    action = ActionFactory(priority=priority, text="Original")
    risk = RiskFactory(plan=plan)
    return [
        (reverse("plans:edit_header", args=[plan.pk]), {"title": "Changed title"}),
        (reverse("plans:edit_section", args=[plan.pk, "A"]), {"body": "Changed", "progress": "completed"}),
        (reverse("plans:row_add", args=[plan.pk, "priority"]), {"title": "New priority"}),
        (reverse("plans:row_add_in_priority", args=[plan.pk, priority.pk, "action"]), {"place": "new", "text": "x"}),
        (reverse("plans:row_edit", args=[plan.pk, "action", action.pk]), {"text": "Changed"}),
        (reverse("plans:row_remove", args=[plan.pk, "risk", risk.pk]), {}),
        (reverse("plans:row_move", args=[plan.pk, "action", action.pk, "down"]), {}),
    ]


def _snapshot(plan):
    plan.refresh_from_db()
    return (
        plan.title,
        list(plan.sections.values_list("body", flat=True)),
        list(plan.priorities.values_list("number", "title")),
        list(Action.objects.filter(priority__plan=plan).values_list("number", "sub_number", "text")),
        list(plan.risks.values_list("number", flat=True)),
    )


@pytest.mark.parametrize(
    ("role", "expected"), [("approver", 403), ("other_unit_editor", 404), ("committee_member", 404)]
)
def test_every_editing_post_by_a_user_without_the_right_changes_nothing(
    request, plan, priority, client_for, role, expected
):
    posts = _posts(plan, priority)
    before = _snapshot(plan)
    client = client_for(request.getfixturevalue(role))
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    assert _snapshot(plan) == before


def test_every_editing_post_by_an_anonymous_visitor_changes_nothing(client, plan, priority):
    posts = _posts(plan, priority)
    before = _snapshot(plan)
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert _snapshot(plan) == before


def test_a_priority_is_linked_to_the_council_priorities_it_contributes_to(plan, priority, editor):
    from organisation.models import Council
    from plans.models import CorporateObjective

    council = plan.unit.council
    bold_steps = CorporateObjective.objects.create(
        council=council, framework="Bold Steps for Kent", number=12, title="Improve services for the most vulnerable"
    )
    elsewhere = CorporateObjective.objects.create(
        council=Council.objects.create(name="Another County Council"), framework="Plan", number=1, title="Theirs"
    )
    url = reverse("plans:row_edit", args=[plan.pk, "priority", priority.pk])
    form = editor.get(url).context["form"]
    assert list(form.fields["corporate_objectives"].queryset) == [bold_steps]
    data = {"title": "Prevention", "description": "", "version": form.initial["version"]}

    refused = editor.post(url, {**data, "corporate_objectives": [elsewhere.pk]})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not priority.corporate_objectives.exists()

    assert editor.post(url, {**data, "corporate_objectives": [bold_steps.pk]}).status_code == 302
    assert list(priority.corporate_objectives.all()) == [bold_steps]
    page = editor.get(reverse("plans:table", args=[plan.pk, "priorities"]), follow=True).text
    assert "Bold Steps for Kent" in page


def test_without_council_priorities_the_priority_form_does_not_offer_them(plan, priority, editor):
    form = editor.get(reverse("plans:row_edit", args=[plan.pk, "priority", priority.pk])).context["form"]
    assert "corporate_objectives" not in form.fields
