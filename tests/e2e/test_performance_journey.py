"""A committee member reads the indicators of the 2008/9 mental health plan in the browser."""

import pytest
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from organisation.models import Unit
from performance.seed import load_indicator_seeds


@pytest.fixture
def page(browser):
    """As tests/e2e/conftest.py's page, but letting axe-core's injected script past the app's
    Content-Security-Policy (script-src 'self'), which blocks inline scripts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    load_all()
    load_indicator_seeds()
    create_demo_accounts()
    # The demo's committee member sits on the FSC committee; FSC replaced KASS (2008/9), so they read
    # its published Adult Mental Health Services plan and indicators without a KASS membership.


def test_committee_member_reads_the_indicator_list_and_an_indicator_without_axe_violations(
    demo, page, sign_in, live_server, assert_accessible
):
    sign_in("committee.member", DEMO_PASSWORD)
    page.get_by_role("link", name="Indicators", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Performance and activity indicators"
    assert page.get_by_role("link", name="Enter actuals for Adult Mental Health Services (AMH)").count() == 0
    assert_accessible()

    page.get_by_role(
        "link", name="People with Mental Health needs helped to live at home per 1000 population aged 18-64."
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("PAF C31:")
    expect(page.get_by_role("img", name="PAF C31: actual, target by period")).to_be_visible()
    expect(page.get_by_role("img", name="PAF C31: comparator councils, 2006-07")).to_be_visible()
    expect(page.get_by_text("Kent is 4th of 7 (higher is better).", exact=True)).to_be_visible()
    assert_accessible()


def test_an_editor_sees_the_error_summary_of_the_entry_page_without_axe_violations(
    demo, page, sign_in, live_server, assert_accessible
):
    sign_in("admin", DEMO_PASSWORD)
    amh = Unit.objects.get(code="AMH")
    page.goto(f"{live_server.url}/performance/units/{amh.pk}/actuals/?period=FY2008")
    assert page.get_by_role("heading", level=1).inner_text() == "Enter actuals: 2008-09"
    assert_accessible()
    page.get_by_role(
        "group", name="PAF C31: People with Mental Health needs helped to live at home per 1000 population aged 18-64."
    ).get_by_label("Actual").fill("three")
    page.get_by_role("button", name="Save the figures").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.get_by_role("link", name="PAF C31, actual: Actual must be a number, like 85 or 96.3").click()
    assert_accessible()


def test_an_editor_sets_a_floor_and_targets_by_keyboard_without_axe_violations(
    demo, page, sign_in, live_server, assert_accessible
):
    from performance.models import Indicator

    sign_in("admin", DEMO_PASSWORD)
    indicator = Indicator.objects.get(unit__code="AMH", reference="PAF C31")
    page.goto(f"{live_server.url}/performance/{indicator.pk}/")
    page.get_by_role("link", name="2008-09", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Floor and targets: PAF C31")
    assert_accessible()

    page.get_by_label("Target for the year 2008-09").fill("too many")
    page.get_by_role("button", name="Save the floor and targets").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name="Target for the year 2008-09 must be a number, like 85 or 96.3").click()
    expect(page.get_by_label("Target for the year 2008-09")).to_be_focused()

    page.keyboard.press("Control+A")
    page.keyboard.type("3.9")
    page.keyboard.press("Enter")  # submits the form from the field, as a keyboard user would
    page.wait_for_load_state()
    expect(page.get_by_text("PAF C31, 2008-09: floor and targets saved")).to_be_visible()
    assert_accessible()
