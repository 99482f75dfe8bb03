"""Browser tests of the plan checks: the checks page and a blocked submission, read and checked by axe."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from plans import services
from plans.models import Plan, PlanCheckPolicy


@pytest.fixture
def new_draft(transactional_db):
    """A new draft version of the LD/MH plan, which keeps the seed's three findings."""
    load_all()
    create_demo_accounts()
    published = Plan.objects.with_unit().get(unit__code="LDMH", year_id=2013, status=Plan.Status.PUBLISHED)
    editor = get_user_model().objects.get(username="ldmh.editor")
    return services.plan_new_version(plan=published, user=editor, version_label="Draft v 7")


def test_editor_reads_the_checks_and_follows_a_finding_to_the_field_to_fix(
    new_draft, page, sign_in, live_server, assert_accessible
):
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.get_by_role("link", name="3 findings for LDMH 2013-14, Draft v 7").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Plan checks"
    assert_accessible()

    page.get_by_role("link", name="Priority 5, action 1.1 starts in April 2012").click()
    page.wait_for_load_state()
    action = new_draft.priorities.get(number=5).actions.get(number=1, sub_number=1)
    assert page.url.endswith(f"/plans/{new_draft.pk}/edit/action/{action.pk}/#id_start")
    expect(page.locator("#id_start")).to_be_visible()
    expect(page.locator("#id_start")).to_have_value("April 2012")
    assert_accessible()


def test_a_blocking_check_stops_the_submission_page(new_draft, page, sign_in, live_server, assert_accessible):
    PlanCheckPolicy.objects.filter(code="action_dates_outside_year").update(blocks_submission=True)
    sign_in("ldmh.editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{new_draft.pk}/workflow/submit/")
    expect(page.get_by_text("You cannot submit this plan")).to_be_visible()
    assert page.get_by_role("button", name="Submit for approval").count() == 0
    assert_accessible()
    new_draft.refresh_from_db()
    assert new_draft.status == Plan.Status.DRAFT
