from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD


def test_committee_member_prints_the_plan_without_axe_violations(
    ldmh_plan, page, sign_in, live_server, assert_accessible
):
    sign_in("committee.member", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{ldmh_plan.pk}/")
    page.get_by_role("link", name="Print preview").click()
    assert page.title() == "Learning Disability/Mental Health: Divisional Business Plan 2013-14"
    assert_accessible()

    page.goto(f"{live_server.url}/plans/{ldmh_plan.pk}/")
    page.get_by_role("link", name="Download the plan as a PDF").click()
    expect(page.get_by_role("heading", name="Preparing the PDF")).to_be_visible()
    assert_accessible()
    response = page.request.get(f"{live_server.url}/documents/plans/{ldmh_plan.pk}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
