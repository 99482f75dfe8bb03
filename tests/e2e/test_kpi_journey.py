"""A committee member finds the KPI dashboards from the dashboards page, reads FSC's and then that of
KASS (which FSC replaced), in Chromium with the Content Security Policy on and axe checking each page."""

import pytest
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from organisation.models import Unit
from performance.seed import load_indicator_seeds


@pytest.fixture
def demo(transactional_db):
    load_all()
    load_indicator_seeds()
    create_demo_accounts()


def test_committee_member_reads_the_kpi_dashboards_without_axe_violations(
    demo, page, sign_in, live_server, assert_accessible
):
    sign_in("committee.member", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_role("link", name="KPI dashboards", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "KPI dashboards"
    assert_accessible()

    page.get_by_role("link", name="KPI dashboard: Families & Social Care (FSC)").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "KPI dashboard: Families & Social Care (FSC)"
    row = page.get_by_role("row", name="Number of clients placed in residential care (LDMH)")
    expect(row).to_be_visible()
    assert row.get_by_role("cell").all_inner_texts()[:5] == [
        "July 2013",
        "1,260",
        "Not set for July 2013; 2013-14 target 1,260",
        "No RAG",
        "No earlier figure",
    ]
    expect(row.get_by_role("img", name="Trend of Number of clients placed in residential…")).to_be_visible()
    expect(page.get_by_role("link", name="Download the KPI dashboard as a PDF")).to_be_visible()
    assert page.get_by_role("link", name="Enter actuals", exact=False).count() == 0  # read only for viewers
    assert_accessible()

    # The demo committee member sits on FSC; FSC replaced KASS, so they read KASS's published 2008/9 figures.
    kass = Unit.objects.get(code="KASS")
    page.goto(f"{live_server.url}/performance/kpi/{kass.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "KPI dashboard: Kent Adult Social Services (KASS)"
    expect(page.get_by_role("row", name="PAF C31", exact=False).first).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="see its print preview").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "KPI dashboard: Kent Adult Social Services (KASS)"
    assert_accessible()
