"""The importer, case by case: what a preview reports (added, changed, unchanged, left alone, rejected
with sheet, row, column and reason), and that apply writes all of it or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from exchange import workbook
from exchange.importer import ImportRefused, PreviewOutdated, Target, plan_import_apply, plan_import_preview
from plans.models import Action, Plan, Priority, Risk, Theme
from tests.exchange.helpers import apply, make_xlsx, preview, problems_text, row_counts
from tests.factories import (
    ActionFactory,
    PlanFactory,
    PlanTemplateFactory,
    PriorityFactory,
    RiskFactory,
    year,
)

pytestmark = pytest.mark.django_db

ACTIONS = ["Priority", "Number", "Action", "Accountable officer", "Start", "End"]


@pytest.fixture
def plan(division):
    plan = PlanFactory(unit=division, version_label="Draft v 1")
    priority = PriorityFactory(plan=plan, number=1, title="Prevention")
    ActionFactory(priority=priority, number=1, sub_number=0, text="Headline", officer="")
    ActionFactory(priority=priority, number=1, sub_number=1, text="First", officer="Anne")
    ActionFactory(priority=priority, number=1, sub_number=2, text="Second", officer="Bob")
    Theme.objects.create(slug="prevention", name="Prevention")
    return plan


def actions_file(*rows, header=ACTIONS):
    return make_xlsx({"Actions": [header, *rows]})


def into(plan, data, **kwargs):
    return preview(data, plan_id=plan.pk, **kwargs)


def sheet(result, title):
    return next(s for s in result.sheets if s.title == title)


def test_a_preview_counts_added_changed_unchanged_and_left_alone(plan):
    data = actions_file(
        [1, "1.1", "First", "Anne", None, None],  # officer the same; dates cleared
        [1, "1.2", "Second", "Bob", "April 2013", "March 2014"],  # unchanged
        [1, "1.3", "Third", "Cath", "Apr-13", "01/03/2014"],  # added
    )
    result = into(plan, data)

    assert problems_text(result) == []
    actions = sheet(result, "Actions")
    assert [(c.kind, c.label) for c in actions.changes] == [
        ("changed", "Action 1.1 of priority 1"),
        ("added", "Action 1.3 of priority 1"),
    ]
    assert actions.changes[0].fields == [("Start", "April 2013", ""), ("End", "March 2014", "")]
    assert (actions.unchanged, actions.left_alone) == (1, 1)  # 1.2 unchanged; headline 1 not in the file


def test_a_column_left_out_leaves_that_field_as_it_is(plan):
    result = into(plan, actions_file([1, "1.1", "Anne Other"], header=["Priority", "Number", "Accountable officer"]))
    [change] = sheet(result, "Actions").changes
    assert change.fields == [("Accountable officer", "Anne", "Anne Other")]
    plan_import_apply(
        book=workbook.read_upload(
            "a.xlsx", actions_file([1, "1.1", "Anne Other"], header=["Priority", "Number", "Accountable officer"])
        ),
        target=Target(plan_id=plan.pk),
    )
    first = Action.objects.get(priority__plan=plan, number=1, sub_number=1)
    assert (first.officer, first.text, first.start) == ("Anne Other", "First", datetime.date(2013, 4, 1))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [[1, "1.1", '=CONCAT("a","b")', "Anne", None, None]],
            'Actions, row 2, column Action (C2): The cell holds a formula (=CONCAT("a","b")): type the value itself.',
        ),
        (
            [[1, "1.1", "First", "Anne", "Smarch 2013", None]],
            "Actions, row 2, column Start (E2): “Smarch 2013” is not a month; write it like April 2013.",
        ),
        (
            [[1, "1.1", "First", "Anne", None, None], [1, "1.1", "Again", "Anne", None, None]],
            "Actions, row 3, column Number (B3): Action 1.1 of priority 1 is also on row 2: each appears once.",
        ),
        (
            [[1, "2.1", "Orphan", "Anne", None, None]],
            "Actions, row 2, column Number (B2): Action 2.1 has no headline action 2 in priority 1: add action 2 "
            "first, or correct the number.",
        ),
        (
            [[7, "1", "Nowhere", "Anne", None, None]],
            "Actions, row 2, column Priority (A2): There is no priority 7: add it to the Priorities sheet, or correct "
            "the number.",
        ),
        (
            [[1, "1.3", "Backwards", "Anne", "May 2013", "April 2013"]],
            "Actions, row 2, column End (F2): The end month (April 2013) is before the start month (May 2013).",
        ),
        (
            [[1, "1.3", None, "Anne", None, None]],
            "Actions, row 2, column Action (C2): Enter the action.",
        ),
        (
            [[1, "1.1.1", "Bad number", "Anne", None, None]],
            "Actions, row 2, column Number (B2): “1.1.1” is not an action number: write 1 for a headline action and "
            "1.1, 1.2 … for its sub-actions.",
        ),
        (
            [[None, "1.1", "No priority", "Anne", None, None]],
            "Actions, row 2, column Priority (A2): Enter the priority.",
        ),
        (
            [[1, "1.1", "First", "x" * 301, None, None]],
            "Actions, row 2, column Accountable officer (D2): Ensure this value has at most 300 characters (it has "
            "301).",
        ),
        (
            [[1, "1.1", "First", "Anne", None, None, "stray"]],
            "Actions, row 2, cell G2: This cell has a value but its column has no heading: add the heading or clear "
            "the cell.",
        ),
    ],
)
def test_each_rejected_row_is_reported_with_its_sheet_row_column_and_reason(plan, rows, expected):
    counts = row_counts()
    result = into(plan, actions_file(*rows))
    assert expected in problems_text(result)
    with pytest.raises(ImportRefused):
        plan_import_apply(book=workbook.read_upload("a.xlsx", actions_file(*rows)), target=Target(plan_id=plan.pk))
    assert row_counts() == counts


def test_a_sub_action_may_rely_on_a_headline_in_the_file_or_in_the_plan(plan):
    data = actions_file([1, "2", "New headline", "", None, None], [1, "2.1", "Its sub-action", "Anne", None, None])
    assert problems_text(into(plan, data)) == []
    # 1.3's headline 1 is in the plan, not in the file
    assert problems_text(into(plan, actions_file([1, "1.3", "Third", "Cath", None, None]))) == []


def test_missing_and_unknown_columns_are_reported(plan):
    result = into(plan, actions_file([1, "Text"], header=["Priority", "Action"]))
    assert problems_text(result) == ["Actions, row 1: The sheet needs the column “Number”."]

    result = into(plan, actions_file([1, "1.1", "red"], header=["Priority", "Number", "Colour"]))
    assert problems_text(result) == [
        "Actions, row 1, column Colour (C1): “Colour” is not a column of the Actions sheet. Its columns are: Priority, "
        "Number, Action, Accountable officer, Start, End, Note on the source."
    ]


def test_an_unknown_sheet_is_reported_and_the_instructions_sheet_is_skipped(plan):
    data = make_xlsx({"Instructions": [["Anything at all"]], "Notes": [["My notes"]], "Actions": [ACTIONS]})
    assert problems_text(into(plan, data)) == [
        "Notes: The import does not read a sheet called “Notes”. The sheets it reads are: Plan, Sections, Corporate "
        "objectives, Priorities, Actions, Milestones, Decisions, Risks, Critical functions, Support needed, Budget "
        "lines, Staffing, Indicators, Indicator targets, Indicator actuals (and Instructions, which it skips). "
        "Rename or remove the sheet."
    ]


def test_a_workbook_with_headings_only_has_nothing_to_import(plan):
    assert problems_text(into(plan, actions_file())) == [
        "File: The file has headings but no rows under them: there is nothing to import."
    ]


def test_a_sheet_over_the_row_limit_is_refused_with_the_limit(plan, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 2)
    rows = [[1, f"1.{n}", f"Action {n}", "", None, None] for n in range(1, 4)]
    assert problems_text(into(plan, actions_file(*rows))) == [
        "Actions: The sheet has more than 2 rows, the most one import takes: split it into several files."
    ]


def test_themes_are_matched_by_name_or_short_name_and_unknown_ones_reported(plan):
    header = ["Number", "Title", "Themes"]
    ok = into(plan, make_xlsx({"Priorities": [header, [1, "Prevention", "prevention"]]}))
    assert problems_text(ok) == []
    [change] = sheet(ok, "Priorities").changes
    assert change.fields == [("Themes", "", "Prevention")]

    bad = into(plan, make_xlsx({"Priorities": [header, [1, "Prevention", "Prevention; Happiness"]]}))
    assert problems_text(bad) == [
        "Priorities, row 2, column Themes (C2): Happiness: not a theme in Kent Plans. The themes are: Prevention."
    ]


def test_sections_are_matched_on_their_code_and_blank_placeholders_skipped(plan):
    data = make_xlsx(
        {
            "Sections": [
                ["Section", "Title", "Progress", "Narrative"],
                ["a", "Role/purpose of function", "Completed", "- our aims"],
                ["B", "Contribution", None, None],  # the blank template's placeholder row
                ["Z", "Not in the template", None, "Text"],
            ]
        }
    )
    result = into(plan, data)
    assert problems_text(result) == [
        "Sections, row 4, column Section (A4): Section Z is not in the plan's template, whose sections are A, B, C, D, "
        "E, F, G."
    ]
    assert [(c.kind, c.label) for c in sheet(result, "Sections").changes] == [("added", "Section A")]


def test_rows_for_a_table_the_template_does_not_hold_are_refused(division):
    template = PlanTemplateFactory(sections=[("A", "Purpose", [])])
    plan = PlanFactory(unit=division, template=template)
    result = into(plan, make_xlsx({"Risks": [["Number", "Risk"], [1, "A risk"]]}))
    assert (
        f"Risks: The plan's template ({template.name}) has no table for this sheet: remove the sheet or its rows."
        in (problems_text(result))
    )


def test_the_plan_sheet_must_be_for_the_plan_chosen(plan):
    data = make_xlsx({"Plan": [["Field", "Value"], ["Unit", "OTHER"], ["Title", "New title"]]})
    assert problems_text(into(plan, data)) == [
        "Plan, row 2, column Unit (B2): The file is for unit OTHER, but you are importing into the plan of DIV: "
        "check you chose the right file and plan, or clear this cell."
    ]


def test_the_plan_sheet_changes_header_facts_but_never_the_version_label(plan):
    data = make_xlsx(
        {
            "Plan": [
                ["Field", "Value", "About"],
                ["Unit", "DIV", ""],
                ["Version label", "Another label", ""],
                ["Title", "A new title", ""],
                ["Gross expenditure (£'000)", "£172,233.0", ""],
                ["FTE at", "Nov-12", ""],
            ]
        }
    )
    result = into(plan, data)
    assert problems_text(result) == []
    [change] = sheet(result, "Plan").changes
    assert change.fields == [
        ("Title", plan.title, "A new title"),
        ("Gross expenditure (£'000)", "", "172,233.0"),
        ("FTE at", "", "November 2012"),
    ]
    plan_import_apply(book=workbook.read_upload("p.xlsx", data), target=Target(plan_id=plan.pk))
    plan.refresh_from_db()
    assert (plan.title, plan.version_label, str(plan.gross_expenditure)) == ("A new title", "Draft v 1", "172233.0")


def test_a_new_plan_needs_its_title_and_a_known_unit_and_template(division):
    year(2013)
    template = PlanTemplateFactory(slug="divisional-2013-14")
    base = [["Field", "Value"], ["Unit", "DIV"], ["Year", "2013-14"], ["Version label", "Draft v 1"]]

    no_title = make_xlsx({"Plan": [*base, ["Template", template.slug]]})
    assert problems_text(preview(no_title)) == ["Plan, column Title: Enter the plan's title."]

    no_template = make_xlsx({"Plan": [*base, ["Title", "A plan"]]})
    assert problems_text(preview(no_template)) == [
        "Plan, column Template: Give the plan's template (for example divisional-2013-14)."
    ]

    unknown_unit = make_xlsx(
        {"Plan": [["Field", "Value"], ["Unit", "NOPE"], ["Year", "2013-14"], ["Version label", "x"]]}
    )
    assert problems_text(preview(unknown_unit)) == [
        "Plan, column Unit: There is no unit NOPE in 2013-14: check the code."
    ]

    good = make_xlsx({"Plan": [*base, ["Title", "A plan"], ["Template", template.slug]]})
    result = preview(good)
    assert problems_text(result) == []
    assert result.target_label == (
        "A new draft plan: Learning Disability/Mental Health (DIV), 2013-14, version “Draft v 1”"
    )


def test_an_editor_imports_new_plans_only_for_their_own_units(division, other_division, unit_editor):
    year(2013)
    template = PlanTemplateFactory(slug="divisional-2013-14")

    def file_for(code):
        return make_xlsx(
            {
                "Plan": [
                    ["Field", "Value"],
                    ["Unit", code],
                    ["Year", "2013-14"],
                    ["Version label", "Draft v 1"],
                    ["Title", "A plan"],
                    ["Template", template.slug],
                ]
            }
        )

    assert problems_text(preview(file_for("DIV"), user=unit_editor)) == []
    assert problems_text(preview(file_for("OTHER"), user=unit_editor)) == [
        "Plan, column Unit: You cannot import plans for Older People and Physical Disability (OTHER)."
    ]


def test_only_a_draft_the_user_may_change_is_imported_into(plan, unit_editor, committee_member, admin_user):
    data = actions_file([1, "1.3", "Third", "Cath", None, None])
    with pytest.raises(PermissionDenied):
        into(plan, data, user=committee_member)
    assert problems_text(into(plan, data, user=unit_editor)) == []

    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        into(plan, data, user=unit_editor)
    assert problems_text(into(plan, data, user=admin_user)) == [
        "Plan: This plan is published: only a draft can be imported into. Start a new version first."
    ]


def test_apply_refuses_a_preview_that_no_longer_matches_the_plan(plan):
    data = actions_file([1, "1.1", "First, reworded", "Anne", "April 2013", "March 2014"])
    book = workbook.read_upload("a.xlsx", data)
    seen = plan_import_preview(book=book, target=Target(plan_id=plan.pk))
    Action.objects.filter(priority__plan=plan, number=1, sub_number=1).update(text="Changed by someone else")

    with pytest.raises(PreviewOutdated) as outdated:
        plan_import_apply(book=book, target=Target(plan_id=plan.pk), fingerprint=seen.fingerprint)

    assert outdated.value.preview.sheets[1 - 1].changes[0].fields == [
        ("Action", "Changed by someone else", "First, reworded")
    ]
    assert Action.objects.get(priority__plan=plan, number=1, sub_number=1).text == "Changed by someone else"


def test_apply_checks_again_against_the_plan_as_it_is_then(plan):
    data = actions_file([1, "1.3", "Third", "Cath", None, None])
    book = workbook.read_upload("a.xlsx", data)
    seen = plan_import_preview(book=book, target=Target(plan_id=plan.pk))
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)

    with pytest.raises(ImportRefused):
        plan_import_apply(book=book, target=Target(plan_id=plan.pk), fingerprint=seen.fingerprint)
    assert not Action.objects.filter(priority__plan=plan, sub_number=3).exists()


def test_one_bad_row_in_the_last_sheet_writes_nothing_from_the_earlier_ones(plan):
    data = make_xlsx(
        {
            "Priorities": [["Number", "Title"], [2, "A new priority"]],
            "Actions": [ACTIONS, [2, "1", "A new action", "", None, None]],
            "Risks": [["Number", "Risk"], [1, "A risk"], ["x", "Bad number"]],
        }
    )
    counts = row_counts()
    with pytest.raises(ImportRefused) as refused:
        apply(data, plan_id=plan.pk)
    assert problems_text(refused.value.preview) == [
        "Risks, row 3, column Number (A3): “x” is not a number; write a whole number such as 1, 2 or 3."
    ]
    assert row_counts() == counts


def test_a_csv_file_holds_one_table_found_by_its_headings(plan):
    data = b"Priority,Number,Action,Accountable officer,Start,End\r\n1,1.3,Third,Cath,Apr-13,Mar-14\r\n"
    result = into(plan, data, name="actions.csv")
    assert problems_text(result) == []
    assert [(s.title, len(s.changes)) for s in result.sheets] == [("Actions", 1)]


def test_a_csv_file_whose_headings_fit_two_tables_needs_the_table_named(plan):
    data = b"Priority,Number\r\n1,1\r\n"
    assert problems_text(into(plan, data, name="rows.csv")) == [
        "CSV file, row 1: These columns fit Actions or Decisions: choose which table the file holds."
    ]
    assert problems_text(into(plan, data, name="rows.csv", table="decisions")) == [
        "Decisions, row 2, column Decision: Enter the decision. The sheet has no “Decision” column, so a new row "
        "needs it."
    ]


def test_a_csv_formula_is_refused_with_its_cell(plan):
    data = b'Number,Risk\r\n1,=HYPERLINK("http://example.org")\r\n'
    assert problems_text(into(plan, data, name="risks.csv")) == [
        'Risks, row 2, column Risk (B2): The cell holds a formula (=HYPERLINK("http://example.org")): type the '
        "value itself."
    ]


def test_the_apostrophe_of_the_export_is_removed_and_no_other(plan):
    RiskFactory(plan=plan, number=1, risk="- demand rises", mitigation="'quoted' as printed")
    data = make_xlsx({"Risks": [["Number", "Risk", "Mitigation"], [1, "'- demand rises", "'quoted' as printed"]]})
    result = into(plan, data)
    assert problems_text(result) == []
    assert sheet(result, "Risks").unchanged == 1


def test_a_new_priority_with_its_actions_is_written_and_numbered_as_in_the_file(plan):
    data = make_xlsx(
        {
            "Priorities": [["Number", "Title", "Themes"], [2, "Productivity", ""]],
            "Actions": [ACTIONS, [2, "1", "Headline", "", None, None], [2, "1.1", "Sub", "Dee", "April 2013", None]],
            "Risks": [["Number", "Risk", "Mitigation", "Owner"], [1, "Demand", "", "Eve"]],
        }
    )
    apply(data, plan_id=plan.pk)
    priority = Priority.objects.get(plan=plan, number=2)
    assert [(a.label, a.text, a.officer) for a in priority.actions.all()] == [
        ("1", "Headline", ""),
        ("1.1", "Sub", "Dee"),
    ]
    assert Risk.objects.get(plan=plan).owner == "Eve"


def test_a_file_naming_a_published_plan_of_the_editors_unit_asks_for_another_version_label(division, unit_editor):
    published = PlanFactory(unit=division, version_label="Final", status=Plan.Status.PUBLISHED)
    data = make_xlsx(
        {"Plan": [["Field", "Value"], ["Unit", "DIV"], ["Year", "2013-14"], ["Version label", "Final"], ["Title", "x"]]}
    )
    assert problems_text(preview(data, user=unit_editor)) == [
        "Plan: A plan with this unit, year and version label already exists and is published: only a draft can be "
        "imported into. Give another version label to import the file as a new draft."
    ]
    assert published.status == Plan.Status.PUBLISHED
