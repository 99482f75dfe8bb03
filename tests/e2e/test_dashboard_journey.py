"""A committee member signs in, lands on the demo round's business plan dashboard and drills down to LDMH,
in Chromium, with axe checking each page."""

import pytest
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from monitoring import services
from monitoring.demo import open_demo_round
from plans.models import Action


@pytest.fixture
def demo(transactional_db):
    load_all()
    create_demo_accounts()
    round_ = open_demo_round()
    plan_id = Action.objects.filter(priority__plan__unit__code="LDMH").values_list("priority__plan_id", flat=True)[0]
    first = Action.objects.get(priority__plan_id=plan_id, priority__number=1, number=1, sub_number=0)
    from django.contrib.auth import get_user_model

    services.return_save(
        round_=round_,
        plan=first.priority.plan,
        user=get_user_model().objects.get(username="ldmh.editor"),
        actions={
            first.pk: {
                "version": 0,
                "status": "completed",
                "commentary": "Pathfinder completed.",
                "withdrawn": "",
                "withdrawn_note": "",
                "merged_into": None,
            }
        },
    )
    return round_


def test_committee_member_opens_the_dashboard_and_drills_down(demo, page, sign_in, live_server, assert_accessible):
    sign_in("committee.member", DEMO_PASSWORD)
    assert page.url.endswith(f"/dashboards/rounds/{demo.pk}/")  # where a committee member lands
    assert page.get_by_role("heading", level=1).inner_text() == "Business plan dashboard: Year-end 2013-14"
    row = page.locator("#row-LDMH")
    assert row.locator("td").all_inner_texts()[:4] == ["6", "20", "1", "0"]
    expect(page.locator("#rollup-rule")).to_be_visible()
    assert page.get_by_role("button", name="Save returns").count() == 0
    assert_accessible()

    row.get_by_role("link", name="LDMH").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("LDMH")
    expect(page.get_by_text("Pathfinder completed.")).to_be_visible()
    assert_accessible()

    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "status=completed" in page.url
    assert page.locator("section[id^=priority-]").count() == 1
    assert_accessible()

    page.goto(f"{live_server.url}/dashboards/rounds/{demo.pk}/exceptions/")
    assert_accessible()
