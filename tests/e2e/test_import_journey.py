"""An administrator downloads the template, fills it in, uploads it, checks the preview, confirms and
sees the new plan; the upload, preview and error pages have no axe violations."""

import io

import openpyxl
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD
from plans.models import Action, Plan


def fill_in(template: bytes) -> bytes:
    """The downloaded template, keyed in as an officer would from a council document."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    facts = {
        "Unit": "OPPD",
        "Year": "2013-14",
        "Version label": "Draft v 1",
        "Title": "Divisional Business Plan 2013-14",
        "Responsible director": "Anne Tidmarsh",
        "Gross expenditure (£'000)": "£250,100.5",
        "Gross expenditure year": "2012-13",
    }
    for row in book["Plan"].iter_rows(min_row=2):
        if row[0].value in facts:
            row[1].value = facts[row[0].value]
    book["Sections"]["D2"] = "The division's purpose."
    book["Priorities"].append([1, "Prevention", "Help people stay independent.", "Prevention"])
    book["Actions"].append([1, "1", "Extend enablement", None, None, None])
    book["Actions"].append([1, "1.1", "Enablement in Dover", "Mark Walker", "Apr-13", "March 2014"])
    book["Milestones"].append([1, "A", "500 people helped", "September 2013"])
    book["Decisions"].append([1, 1, "Re-commission enablement", "Yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_administrator_imports_a_plan_from_the_template(
    ldmh_plan, page, sign_in, live_server, assert_accessible, tmp_path
):
    sign_in("admin", DEMO_PASSWORD)
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import a plan")).to_be_visible()
    assert_accessible()

    # An empty submission: the error summary and the field's message.
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.title().startswith("Error: Import a plan")
    assert_accessible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template spreadsheet").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert openpyxl.load_workbook(template).sheetnames[:2] == ["Instructions", "Plan"]

    # A file with a bad row: nothing can be confirmed, every problem is listed.
    book = openpyxl.load_workbook(io.BytesIO(fill_in(template.read_bytes())))
    book["Actions"]["F3"] = "Smarch 2014"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="The file cannot be imported yet")).to_be_visible()
    expect(page.get_by_text("“Smarch 2014” is not a month; write it like April 2013.")).to_be_visible()
    assert page.get_by_role("button", name="Confirm and import").count() == 0
    assert_accessible()

    page.get_by_role("link", name="Upload a different file").click()
    filled = tmp_path / "oppd-plan.xlsx"
    filled.write_bytes(fill_in(template.read_bytes()))
    page.get_by_label("Upload a file").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("A new draft plan: Older People and Physical Disability (OPPD), 2013-14")).to_be_visible()
    expect(page.get_by_role("row", name="Actions 2 0 0 0 0")).to_be_visible()
    assert_accessible()

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_text("Imported oppd-plan.xlsx into OPPD 2013-14 “Draft v 1”.")).to_be_visible()
    assert page.get_by_role(
        "heading", name="Older People and Physical Disability: Divisional Business Plan 2013-14"
    ).is_visible()
    plan = Plan.objects.get(unit__code="OPPD", version_label="Draft v 1")
    assert plan.status == Plan.Status.DRAFT
    assert str(plan.gross_expenditure) == "250100.5"
    assert Action.objects.filter(priority__plan=plan).count() == 2
    assert_accessible()
    # The imported actions are on the plan's priorities page.
    page.get_by_role("link", name="Section C: Priorities, actions, programmes, projects, milestones").click()
    expect(page.get_by_text("Enablement in Dover")).to_be_visible()
    assert_accessible()
