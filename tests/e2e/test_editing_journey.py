import pytest
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from plans import services
from plans.models import Action, Plan


@pytest.fixture
def draft(transactional_db):
    load_all()
    create_demo_accounts()
    published = Plan.objects.with_unit().get(unit__code="LDMH", year_id=2013)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="ldmh.editor")
    return services.plan_new_version(plan=published, user=editor, version_label="Draft v 7")


def test_editor_changes_an_action_through_the_task_list_without_axe_violations(
    draft, page, sign_in, live_server, assert_accessible
):
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{draft.pk}/")
    page.get_by_role("link", name="Edit the plan").click()
    expect(page.get_by_role("heading", name="Edit the business plan")).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="Section C: Priorities, actions, programmes, projects, milestones").click()
    assert_accessible()
    page.get_by_role("link", name="Prevention", exact=True).click()
    assert_accessible()

    page.get_by_role("link", name="Change 1.1", exact=True).click()
    assert_accessible()
    page.get_by_label("Accountable officer").fill("Chris Beaney")
    page.get_by_label("End month").fill("Smarch 2014")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible()  # the error summary and field messages

    page.get_by_label("End month").fill("February 2014")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action saved.")).to_be_visible()
    action = Action.objects.get(priority__plan=draft, priority__number=1, number=1, sub_number=1)
    assert (action.officer, str(action.end)) == ("Chris Beaney", "2014-02-01")
