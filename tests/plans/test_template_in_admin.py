"""Issue 11, "templates as data": a template that an administrator defines in the admin, with a section
of each kind, yields a plan that is filled in, monitored, exported, imported and printed with no code
change.

Everything is done through the pages as people would: the administrator posts the admin's add and
change forms (with their inline formsets), the editor the editing pages, the approver the workflow
pages, the administrator and the editor the monitoring pages. Nothing is written with the ORM.
"""

import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import BudgetLine, ColumnSet, StaffingLine
from monitoring.models import ActionReturn, Round
from performance.models import Indicator, IndicatorYear
from plans.models import (
    Action,
    CorporateObjective,
    Plan,
    PlanSection,
    PlanTemplate,
    TableColumn,
    TableKind,
    TableRow,
    TemplateSection,
    TemplateSectionTable,
)
from tests.factories import year
from tests.html_forms import add_inline_rows, form_data
from tests.plan_pages import whole_plan

# One section per kind of table, and a narrative section with no table: (code, title, guidance, kind).
SECTIONS = [
    ("1", "Message from the head of service", "Say what the year holds.", None),
    ("2", "Council objectives", "Which council objectives the unit serves.", TableKind.CORPORATE_OBJECTIVES),
    ("3", "What we will do", "Priorities with their actions.", TableKind.PRIORITIES),
    ("4", "Money", "The revenue budget.", TableKind.FINANCIAL_RESOURCES),
    ("5", "People", "Staffing.", TableKind.HUMAN_RESOURCES),
    ("6", "What could go wrong", "Risks.", TableKind.RISKS),
    ("7", "Keeping going", "Critical functions.", TableKind.CRITICAL_FUNCTIONS),
    ("8", "How we will know", "Indicators.", TableKind.INDICATORS),
    ("9", "Help we need", "Support from other services.", TableKind.SUPPORT_NEEDED),
    ("10", "Community projects", "Projects with partners.", TableKind.CUSTOM),
]

# The custom table's columns: one of each type (key, heading, type, choices, required).
COLUMNS = [
    ("project", "Project", "text", "", True),
    ("detail", "What it delivers", "long_text", "", False),
    ("people", "People reached", "number", "", False),
    ("cost", "Cost (£'000)", "money", "", False),
    ("target", "Target month", "month", "", False),
    ("agreed", "Agreed on", "date", "", False),
    ("statutory", "Statutory?", "yes_no", "", False),
    ("rating", "Priority rating", "choice", "HIGH\nMEDIUM\nLOW", False),
]


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def post_ok(client, url, data, *, follow=False):
    """POST and insist that the form was accepted (a redirect), showing the page's errors if not."""
    response = client.post(url, data, follow=follow)
    if not follow:
        assert response.status_code == 302, _errors(response)
    return response


def _errors(response) -> str:
    text = response.content.decode()
    found = re.findall(r'class="(?:errorlist[^"]*|govuk-error-message)"[^>]*>(.*?)</(?:ul|p)>', text, re.S)
    return f"{response.status_code}: " + " | ".join(re.sub(r"<[^>]+>", " ", f).strip() for f in found)[:3000]


def define_template_in_admin(client) -> PlanTemplate:
    """The administrator's work: the template with its sections, each section's table, the custom table's
    columns, and the budget column set drawn for the template."""
    page = client.get(admin_url(PlanTemplate, "add"))
    assert page.status_code == 200
    data = form_data(page)
    data.update({"name": "Service plan 2014-15 (test)", "slug": "service-plan-2014-15-test", "description": "Test."})
    add_inline_rows(
        data,
        "sections",
        [
            {"order": str(order), "code": code, "title": title, "guidance": guidance}
            for order, (code, title, guidance, _) in enumerate(SECTIONS, 1)
        ],
    )
    post_ok(client, admin_url(PlanTemplate, "add"), data)
    template = PlanTemplate.objects.get(slug="service-plan-2014-15-test")

    for code, _, _, kind in SECTIONS:
        if kind is None:
            continue
        section = TemplateSection.objects.get(template=template, code=code)
        url = admin_url(TemplateSection, "change", section.pk)
        data = form_data(client.get(url))
        row = {"order": "1", "kind": kind}
        if kind == TableKind.CUSTOM:
            row |= {"slug": "projects", "title": "Community projects", "help_text": "One row per project."}
        add_inline_rows(data, "tables", [row])
        post_ok(client, url, data)

    custom = TemplateSectionTable.objects.get(section__template=template, kind=TableKind.CUSTOM)
    url = admin_url(TemplateSectionTable, "change", custom.pk)
    data = form_data(client.get(url))
    add_inline_rows(
        data,
        "columns",
        [
            {
                "order": str(order),
                "key": key,
                "heading": heading,
                "data_type": data_type,
                "choices": choices,
                **({"required": "on"} if required else {}),
                "help_text": "",
            }
            for order, (key, heading, data_type, choices, required) in enumerate(COLUMNS, 1)
        ],
    )
    post_ok(client, url, data)

    # Section 4's budget is drawn in a column set of the administrator's choosing, linked to the template.
    url = admin_url(ColumnSet, "add")
    data = form_data(client.get(url))
    data.update({"slug": "service-plan-test", "name": "Service plan (test)", "description": "", "source_note": ""})
    add_inline_rows(
        data,
        "columns",
        [
            {"order": "1", "field": "name", "heading": "Budget line", "unit": "", "year": "", "printed": "on"},
            {"order": "2", "field": "employee_costs", "heading": "Staff", "unit": "£'000", "year": "", "printed": "on"},
            {
                "order": "3",
                "field": "running_costs",
                "heading": "Running",
                "unit": "£'000",
                "year": "",
                "printed": "on",
            },
            {"order": "4", "field": "gross", "heading": "Gross", "unit": "£'000", "year": "", "printed": "on"},
        ],
    )
    add_inline_rows(data, "template_links", [{"template": str(template.pk)}])
    post_ok(client, url, data)
    return template


def test_a_template_defined_in_the_admin_has_its_sections_tables_and_columns(admin_user, client_for):
    template = define_template_in_admin(client_for(admin_user))
    sections = list(template.sections.prefetch_related("tables"))
    assert [(s.code, s.title, s.guidance) for s in sections] == [(c, t, g) for c, t, g, _ in SECTIONS]
    assert [[t.kind for t in s.tables.all()] for s in sections] == [[k] if k else [] for *_, k in SECTIONS]
    columns = TableColumn.objects.filter(table__section__template=template)
    assert [(c.key, c.heading, c.data_type, c.required) for c in columns] == [
        (key, heading, data_type, required) for key, heading, data_type, _, required in COLUMNS
    ]
    assert columns.get(key="rating").choice_list == ["HIGH", "MEDIUM", "LOW"]
    assert template.budget_columns.column_set.columns.count() == 4
    custom = TemplateSectionTable.objects.get(section__template=template, kind=TableKind.CUSTOM)
    assert (custom.slug, custom.title, custom.help_text) == ("projects", "Community projects", "One row per project.")


def create_plan_in_admin(client, template, unit, plan_year) -> Plan:
    url = admin_url(Plan, "add")
    data = form_data(client.get(url))
    data.update(
        {
            "unit": str(unit.pk),
            "year": str(plan_year.pk),
            "template": str(template.pk),
            "title": "Service Plan (admin-defined template)",
            "version_label": "Draft v 1",
            "status": "draft",
        }
    )
    post_ok(client, url, data)
    return Plan.objects.get(unit=unit, year=plan_year, version_label="Draft v 1")


def edit(client, url, changes, *, expect_redirect=True):
    """Open an editing page, change some fields and save it, as the editor would."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_data(page)
    data.update(changes)
    response = client.post(url, data)
    if expect_redirect:
        assert response.status_code == 302, _errors(response)
    return response


def fill_plan_through_editing_pages(client, plan):
    pk = plan.pk
    edit(client, reverse("plans:edit_header", args=[pk]), {"director": "Jo Bloggs, Director", "fte": "41.5"})
    for code, title, _, _ in SECTIONS:
        edit(
            client,
            reverse("plans:edit_section", args=[pk, code]),
            {"body": f"Narrative of section {code}: {title.lower()}.", "progress": "completed"},
        )
    edit(client, reverse("plans:row_add", args=[pk, "priority"]), {"title": "Prevention", "description": "Less need."})
    priority = plan.priorities.get()
    in_priority = lambda kind: reverse("plans:row_add_in_priority", args=[pk, priority.pk, kind])  # noqa: E731
    edit(
        client,
        in_priority("action"),
        {"place": "new", "text": "Open two community hubs", "officer": "Sam Smith", "start": "April 2013"},
    )
    edit(
        client,
        in_priority("action"),
        {"place": "1", "text": "Recruit hub volunteers", "officer": "Ali Khan", "end": "March 2014"},
    )
    edit(client, in_priority("milestone"), {"text": "Both hubs open", "due": "September 2013"})
    edit(client, in_priority("decision"), {"text": "Lease of the second hub", "in_forward_plan": "true"})
    edit(client, reverse("plans:row_add", args=[pk, "risk"]), {"risk": "Volunteers drift away", "owner": "Sam Smith"})
    edit(
        client,
        reverse("plans:row_add", args=[pk, "critical-function"]),
        {"name": "Safeguarding referrals", "timescale": "4 hours"},
    )
    edit(
        client,
        reverse("plans:row_add", args=[pk, "support"]),
        {"activity": "Lease negotiation", "impact": "Property", "expected": "June 2013"},
    )
    table = TemplateSectionTable.objects.get(section__template=plan.template, kind=TableKind.CUSTOM)
    edit(
        client,
        reverse("plans:table_row_add", args=[pk, table.pk]),
        {
            "col_project": "Men's Sheds",
            "col_detail": "- a shed in Ashford\n- a shed in Dover",
            "col_people": "1,250",
            "col_cost": "(12.3)",
            "col_target": "Apr-13",
            "col_agreed": "01/04/2013",
            "col_statutory": "no",
            "col_rating": "HIGH",
        },
    )


@pytest.fixture
def admin_plan(admin_user, client_for, division):
    admin = client_for(admin_user)
    template = define_template_in_admin(admin)
    return create_plan_in_admin(admin, template, division, year(2013))


def key_in_admin(client, plan):
    """What has no editing page is keyed in the admin: the corporate objective the plan serves (section
    2), a staffing row (section 5) and an indicator (section 8), here with its target, which editors can
    also set on the indicator's targets page."""
    url = admin_url(CorporateObjective, "add")
    data = form_data(client.get(url))
    data.update({"council": str(plan.unit.council_id), "framework": "Test Council Plan", "number": "3"})
    data["title"] = "Healthier communities"
    post_ok(client, url, data)
    objective = CorporateObjective.objects.get(framework="Test Council Plan")
    url = admin_url(Plan, "change", plan.pk)
    data = form_data(client.get(url))
    add_inline_rows(data, "objective_links", [{"objective": str(objective.pk), "emphasis": "focus"}])
    post_ok(client, url, data)

    url = admin_url(StaffingLine, "add")
    data = form_data(client.get(url))
    data.update({"plan": str(plan.pk), "order": "1", "name": "Hub team", "previous_fte": "", "fte": "12.5"})
    post_ok(client, url, data)

    url = admin_url(Indicator, "add")
    data = form_data(client.get(url))
    data.update({"unit": str(plan.unit_id), "reference": "SP01", "title": "People using the hubs each month"})
    data["accountable_manager"] = "Sam Smith"
    add_inline_rows(data, "years", [{"year": str(plan.year_id)}])
    post_ok(client, url, data)
    indicator_year = IndicatorYear.objects.get(indicator__reference="SP01")
    url = admin_url(IndicatorYear, "change", indicator_year.pk)
    data = form_data(client.get(url))
    add_inline_rows(data, "targets", [{"period": "year", "period_start": "2013-04-01", "value": "4321"}])
    post_ok(client, url, data)


def fill_budget(client, plan):
    edit(
        client,
        reverse("budgets:grid", args=[plan.pk]),
        {
            "lines-0-code": "44B",
            "lines-0-name": "Community hubs",
            "lines-0-employee_costs": "1,234.5",
            "lines-0-running_costs": "250.0",
        },
    )


def publish(editor, approver, plan):
    for client, step in ((editor, "submit"), (approver, "approve"), (approver, "publish")):
        edit(client, reverse("plans:transition", args=[plan.pk, step]), {"comment": f"{step} (test)"})


def page_text(response) -> str:
    return html_text(response.content.decode())


def html_text(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


EXPECTED_ON_PAGE = [
    *(f"Narrative of section {code}" for code, *_ in SECTIONS),
    *(title for _, title, _, _ in SECTIONS),
    "Prevention",
    "Open two community hubs",
    "Recruit hub volunteers",
    "Both hubs open",
    "Lease of the second hub",
    "Volunteers drift away",
    "Safeguarding referrals",
    "Lease negotiation",
    "Community projects",
    "Men's Sheds",
    "1,250",
    "-12.3",
    "April 2013",
    "01/04/2013",
    "HIGH",
    "Community hubs",
    "1,234.5",
    "1,484.5",  # the gross, worked out from the two keyed figures
    "Healthier communities",
    "Hub team",
    "12.5",
    "People using the hubs each month",
    "4,321",
]


def test_a_plan_of_an_admin_defined_template_is_filled_monitored_exchanged_and_printed(
    admin_user, client_for, division, unit_editor, approver, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    admin = client_for(admin_user)
    editor = client_for(unit_editor)
    template = define_template_in_admin(admin)
    plan = create_plan_in_admin(admin, template, division, year(2013))

    # The editor fills in every section on the editing pages, and the budget on its grid.
    fill_plan_through_editing_pages(editor, plan)
    fill_budget(editor, plan)
    key_in_admin(admin, plan)
    assert set(PlanSection.objects.filter(plan=plan).values_list("progress", flat=True)) == {"completed"}
    assert PlanSection.objects.filter(plan=plan).count() == len(SECTIONS)
    row = TableRow.objects.get(plan=plan)
    assert row.values == {
        "project": "Men's Sheds",
        "detail": "- a shed in Ashford\n- a shed in Dover",
        "people": "1250",
        "cost": "-12.3",
        "target": "2013-04",
        "agreed": "2013-04-01",
        "statutory": False,
        "rating": "HIGH",
    }
    assert BudgetLine.objects.get(plan=plan).name == "Community hubs"

    # The plan's pages show it all, in the template's order.
    text = html_text(whole_plan(editor, plan))
    for expected in EXPECTED_ON_PAGE:
        assert expected in text, expected
    positions = [text.index(f"Narrative of section {code}") for code, *_ in SECTIONS]
    assert positions == sorted(positions)

    # Approved and published through the workflow pages, so that a monitoring round covers it.
    publish(editor, client_for(approver), plan)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED

    # The administrator opens a round; the editor enters the returns; the administrator closes it.
    edit(
        admin,
        reverse("monitoring:open"),
        {
            "directorate": str(division.parent_id),
            "year": str(plan.year_id),
            "kind": "mid_year",
            "deadline": "15/11/2013",
        },
    )
    round_ = Round.objects.get(directorate_id=division.parent_id)
    headline, sub = Action.objects.filter(priority__plan=plan).order_by("number", "sub_number")
    milestone = plan.priorities.get().milestones.get()
    priority = plan.priorities.get()
    edit(
        editor,
        reverse("monitoring:return", args=[round_.pk, plan.pk]),
        {
            f"action-{headline.pk}-status": "on_course",
            f"action-{headline.pk}-commentary": "First hub open in Ashford.",
            f"action-{sub.pk}-status": "delayed",
            f"action-{sub.pk}-commentary": "Volunteer checks are slow.",
            f"milestone-{milestone.pk}-status": "at_risk",
            f"priority-{priority.pk}-key_achievements": "Ashford hub open",
            f"priority-{priority.pk}-key_issues": "1.1 volunteer checks",
            "decisions-text": "None since publication.",
        },
    )
    assert dict(ActionReturn.objects.filter(round=round_).values_list("action_id", "status")) == {
        headline.pk: "on_course",
        sub.pk: "delayed",
    }
    detail = page_text(admin.get(reverse("monitoring:detail", args=[round_.pk])))
    assert "DIV" in detail
    edit(admin, reverse("monitoring:close", args=[round_.pk]), {"confirm": "on"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    closed = page_text(editor.get(reverse("monitoring:return", args=[round_.pk, plan.pk])))
    assert "First hub open in Ashford." in closed
    assert "Volunteer checks are slow." in closed

    # The closed round's returns download as a spreadsheet from the round page's link.
    returns = editor.get(reverse("exchange:round_xlsx", args=[round_.pk]))
    assert returns.status_code == 200
    action_rows = list(load_workbook(io.BytesIO(returns.content))["Action returns"].iter_rows(values_only=True))
    assert [(r[0], r[3], r[6], r[7]) for r in action_rows[1:] if r[0]] == [
        ("DIV", "1", "On course", "First hub open in Ashford."),
        ("DIV", "1.1", "Delayed", "Volunteer checks are slow."),
    ]

    # Exported as a spreadsheet, then imported back as a new draft: the same content.
    exported = editor.get(reverse("exchange:plan_xlsx", args=[plan.pk]))
    assert exported.status_code == 200
    book = load_workbook(io.BytesIO(exported.content))
    assert "Community projects" in book.sheetnames
    upload = io.BytesIO(exported.content)
    upload.name = "plan.xlsx"
    page = editor.get(reverse("exchange:import"))
    data = form_data(page)
    data.update({"version_label": "Imported v 2", "file": upload})
    response = editor.post(reverse("exchange:import"), data)
    assert response.status_code == 302, _errors(response)
    preview = editor.get(response.url)
    assert preview.status_code == 200
    confirmed = editor.post(response.url, form_data(preview))
    assert confirmed.status_code == 302, _errors(preview) + page_text(confirmed)[:2000]
    copy = Plan.objects.get(unit=division, version_label="Imported v 2")
    assert copy.template == template
    assert copy.status == Plan.Status.DRAFT
    assert list(TableRow.objects.filter(plan=copy).values_list("values", flat=True)) == [row.values]
    assert [(a.label, a.text, a.officer) for a in Action.objects.filter(priority__plan=copy)] == [
        (a.label, a.text, a.officer) for a in (headline, sub)
    ]
    assert dict(PlanSection.objects.filter(plan=copy).values_list("template_section__code", "body")) == dict(
        PlanSection.objects.filter(plan=plan).values_list("template_section__code", "body")
    )

    # Printed: the print HTML and the PDF hold every section in order and the table's figures.
    printed = page_text(editor.get(reverse("documents:plan_print", args=[plan.pk])))
    for expected in EXPECTED_ON_PAGE:
        assert expected in printed, expected
    with django_capture_on_commit_callbacks(execute=True):
        editor.get(reverse("documents:plan_pdf", args=[plan.pk]))
    pdf = editor.get(reverse("documents:plan_pdf", args=[plan.pk]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    pdf_text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in ["Narrative of section 1", "Narrative of section 10", "Men's Sheds", "Open two community hubs"]:
        assert expected in pdf_text, expected
    pdf_positions = [pdf_text.index(f"Narrative of section {code}") for code, *_ in SECTIONS]
    assert pdf_positions == sorted(pdf_positions)
