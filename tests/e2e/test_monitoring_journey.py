"""An editor enters a return in the demo's open year-end round, in Chromium, with axe checking each page."""

import pytest
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from monitoring.demo import open_demo_round
from monitoring.models import ActionReturn
from plans.models import Action


@pytest.fixture
def demo(transactional_db):
    load_all()
    create_demo_accounts()
    return open_demo_round()


def test_editor_enters_an_action_return_without_axe_violations(demo, page, sign_in, live_server, assert_accessible):
    action = Action.objects.get(priority__plan__unit__code="LDMH", priority__number=1, number=1, sub_number=0)
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.get_by_role("link", name="Monitoring", exact=True).click()
    page.get_by_role("link", name="Year-end 2013-14").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Year-end 2013-14"
    expect(page.get_by_text("Deadline reconstructed, not printed")).to_be_visible()
    assert_accessible()  # the round page

    page.get_by_role("link", name="Enter returns for LDMH").click()
    page.wait_for_load_state()
    assert_accessible()  # the return page: 76 actions, their milestones and priorities

    row = page.locator(f"#action-{action.pk}")
    row.get_by_label("On course").check()
    row.get_by_label("Progress commentary on action 1").fill("Supporting Independence pathfinder begun in Dover.")
    page.get_by_role("button", name="Save returns").click()
    page.wait_for_load_state()
    expect(page.get_by_text("LDMH: 1 return saved.")).to_be_visible()
    assert row.get_by_label("Progress commentary on action 1").input_value() == (
        "Supporting Independence pathfinder begun in Dover."
    )
    assert_accessible()

    ret = ActionReturn.objects.get(action=action)
    assert (ret.status, ret.entered_by.username, ret.late) == ("on_course", "ldmh.editor", True)


def test_return_page_with_errors_has_no_axe_violations(demo, page, sign_in, live_server, assert_accessible):
    action = Action.objects.get(priority__plan__unit__code="LDMH", priority__number=1, number=1, sub_number=0)
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/monitoring/{demo.pk}/plans/{action.priority.plan_id}/")
    page.locator(f"#action-{action.pk}").get_by_label("Delayed").check()
    page.get_by_role("button", name="Save returns").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.get_by_role("link", name="Priority 1, action 1: say why the action is delayed.").click()
    assert page.evaluate("document.activeElement.id") == f"id_action-{action.pk}-commentary"
    assert_accessible()
    assert not ActionReturn.objects.exists()
