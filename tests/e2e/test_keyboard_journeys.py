"""The approver's, the committee member's and the administrator's journeys by keyboard alone (WCAG 2.1.1,
2.4.7), in Chromium on the demo data: Tab, Shift+Tab, Space and Enter, no click. Every element the
keyboard reaches on the way must show where its focus is, and each page reached passes axe.
(The editor's return and the committee member's drill-down are in test_keyboard_and_zoom.py.)"""

import io

import openpyxl
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from monitoring.demo import load_demo_rounds
from plans import services
from plans.models import Plan, PlanEvent
from tests.e2e.keyboard import Keyboard, sign_in_by_keyboard
from tests.e2e.test_import_journey import fill_in


def _link_to(path):
    return lambda f: f["tag"] == "a" and f'href="{path}"' in f["html"]


def test_approver_sends_a_plan_back_and_then_approves_it_by_keyboard_alone(
    ldmh_plan, page, live_server, assert_accessible
):
    editor = get_user_model().objects.get(username="ldmh.editor")
    draft = services.plan_new_version(plan=ldmh_plan, user=editor, version_label="Draft v 7")
    services.plan_transition(plan=draft, user=editor, step=PlanEvent.Step.SUBMIT, comment="For the mid-year review")
    keys = Keyboard(page)
    sign_in_by_keyboard(page, live_server, keys, "fsc.approver")
    assert page.url.endswith("/plans/")  # an approver lands on the plan list

    keys.tab_to(_link_to(f"/plans/{draft.pk}/"))
    keys.follow()
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Send back to the editors")
    keys.follow()
    assert_accessible()
    keys.tab_to(lambda f: f["label"] == "Comment")
    keys.type("Add the milestones of priority 2.")
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Send back to the editors")
    keys.follow()
    expect(page.get_by_text("Add the milestones of priority 2.")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT

    services.plan_transition(plan=draft, user=editor, step=PlanEvent.Step.SUBMIT, comment="Milestones added")
    page.reload()
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Approve")
    keys.follow()
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Approve")
    keys.follow()
    expect(page.get_by_text("Approved by")).to_be_visible()
    assert_accessible()

    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED
    steps = list(draft.events.order_by("id").values_list("step", "user__username", "comment"))
    assert steps[-2:] == [
        (PlanEvent.Step.SUBMIT, "ldmh.editor", "Milestones added"),
        (PlanEvent.Step.APPROVE, "fsc.approver", ""),
    ]
    assert (PlanEvent.Step.SEND_BACK, "fsc.approver", "Add the milestones of priority 2.") in steps
    assert keys.hidden_focus == [], f"Focus not visible on: {keys.hidden_focus}"


def test_committee_member_compares_two_rounds_and_downloads_the_report_by_keyboard_alone(
    ldmh_plan, page, live_server, assert_accessible
):
    closed, opened = load_demo_rounds()
    keys = Keyboard(page)
    sign_in_by_keyboard(page, live_server, keys, "committee.member")
    assert page.url.endswith(f"/dashboards/rounds/{closed.pk}/")  # the latest round reported to committee

    keys.tab_to(_link_to(f"/dashboards/rounds/{closed.pk}/compare/{opened.pk}/"))
    keys.follow()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What moved from {closed.name} to {opened.name}")
    assert_accessible()

    keys.tab_to(lambda f: f["tag"] == "a" and f["text"].startswith("Business plan dashboard"))
    keys.follow()
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Download committee report (PDF)")
    # "Preparing the PDF", until the page's script finds the PDF ready and opens it: in the browser's own
    # viewer (it is served inline), whose toolbar saves it. Nothing more to press.
    with page.expect_response(lambda response: response.headers.get("content-type") == "application/pdf") as pdf:
        keys.follow()
        expect(page.get_by_role("heading", level=1)).to_have_text("Preparing the PDF")
    assert pdf.value.url.endswith(f"/rounds/{closed.pk}/committee-report/pdf/")
    # The viewer stands in for the body of the response it shows: the same address, fetched, is the PDF.
    assert page.request.get(pdf.value.url).body().startswith(b"%PDF")
    assert keys.hidden_focus == [], f"Focus not visible on: {keys.hidden_focus}"


def test_administrator_imports_a_plan_through_the_preview_by_keyboard_alone(
    ldmh_plan, page, live_server, assert_accessible, tmp_path
):
    # A listener from the start has Chromium hand its file choosers to the test well before Space is
    # pressed; one added only around the key press can be in place too late, and the chooser missed.
    page.on("filechooser", lambda chooser: None)
    keys = Keyboard(page)
    sign_in_by_keyboard(page, live_server, keys, "admin")
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Import")
    keys.follow()
    expect(page.get_by_role("heading", name="Import a plan")).to_be_visible()

    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Download the template spreadsheet")
    with page.expect_download() as download:
        keys.press("Enter")
    template = download.value.path().read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(template)).sheetnames[:2] == ["Instructions", "Plan"]
    filled = tmp_path / "oppd-plan.xlsx"
    filled.write_bytes(fill_in(template))

    # Space on a focused file input opens the file chooser, as a keyboard user would.
    keys.tab_to(lambda f: f["tag"] == "input" and f["type"] == "file")
    with page.expect_file_chooser() as chooser:
        keys.press("Space")
    chooser.value.set_files(str(filled))
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Upload and check")
    keys.follow()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    assert_accessible()

    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Confirm and import")
    keys.follow()
    expect(page.get_by_text("Imported oppd-plan.xlsx into OPPD 2013-14 “Draft v 1”.")).to_be_visible()
    assert_accessible()
    assert Plan.objects.get(unit__code="OPPD", version_label="Draft v 1").status == Plan.Status.DRAFT
    assert keys.hidden_focus == [], f"Focus not visible on: {keys.hidden_focus}"
