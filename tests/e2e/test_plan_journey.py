from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD
from plans.models import Plan


def test_editor_signs_in_and_reads_the_ldmh_plan_without_axe_violations(
    ldmh_plan, page, sign_in, live_server, assert_accessible
):
    sign_in("ldmh.editor", DEMO_PASSWORD)
    assert_accessible()  # the plan list, where sign-in lands

    page.get_by_role("link", name="Divisional Business Plan 2013-14", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Learning Disability/Mental Health")
    assert_accessible()  # the plan's front page, with its contents

    page.get_by_role("link", name="Section C: Priorities, actions, programmes, projects, milestones").click()
    expect(page.get_by_role("heading", name="Priority 6: Financial & Policy Changes")).to_be_visible()
    assert_accessible()

    for _ in "DEFG":  # on through the plan by each page's "Next section" link
        page.get_by_role("link", name="Next section").click()
        page.wait_for_load_state()
    expect(
        page.get_by_role("heading", name="Section G: Activity requiring support from other divisions/services")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Next section")).to_have_count(0)
    assert_accessible()


def test_sign_in_page_with_an_error_has_no_axe_violations(ldmh_plan, page, sign_in, assert_accessible):
    sign_in("ldmh.editor", "not-the-password")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible()


def test_axe_check_reports_a_real_violation(ldmh_plan, page, sign_in):
    """The harness can fail: an image without a text alternative is reported."""
    from tests.e2e.conftest import axe_violations

    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


def test_editor_starts_a_new_version_and_submits_and_approver_approves(
    ldmh_plan, page, sign_in, live_server, assert_accessible
):
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{ldmh_plan.pk}/")
    page.get_by_role("link", name="Start a new version").click()
    assert_accessible()
    page.get_by_label("Version label").fill("Draft v 7")
    page.get_by_role("button", name="Start the new version").click()
    page.wait_for_load_state()
    expect(page.get_by_text("New version “Draft v 7” started as a draft.")).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="Submit for approval").click()
    page.get_by_label("Comment").fill("Refreshed for the mid-year review")
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Refreshed for the mid-year review")).to_be_visible()
    new_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in("fsc.approver", DEMO_PASSWORD)
    page.goto(new_url)
    page.get_by_role("link", name="Approve").click()
    assert_accessible()
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Approved by")).to_be_visible()
    assert_accessible()
    assert Plan.objects.get(version_label="Draft v 7").status == Plan.Status.APPROVED
