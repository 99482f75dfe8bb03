"""Issue 9: a monitoring round's returns exported as a workbook (a sheet per table, laid out as the import
reads sheets) and as JSON ("kent-plans/monitoring-round", version 1), from the round page, for those who
may see the round, holding the rows of the plans they may read (exchange/round_sheets.py)."""

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from exchange import round_sheets, workbook
from monitoring import services
from monitoring.models import Round
from plans.models import Action
from tests.factories import UserFactory, year
from tests.monitoring.conftest import DEADLINE, published_plan

WHEN = datetime.datetime(2013, 11, 1, 10, 0, tzinfo=datetime.UTC)
ACTION_HEADINGS = [
    "Unit",
    "Plan version",
    "Priority",
    "Action",
    "Action text",
    "Accountable officer",
    "Status",
    "Progress commentary",
    "Taken out of the round",
    "Reason",
    "Merged into priority",
    "Merged into",
    "Late",
    "Entered by",
    "Entered at",
]


@pytest.fixture
def plans(division, other_division):
    return published_plan(division, priorities=2, actions=1, sub_actions=1), published_plan(
        other_division, priorities=1, actions=1, sub_actions=0
    )


@pytest.fixture
def round_(directorate, admin_user, plans):
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    plan, _ = plans
    priorities = list(plan.priorities.order_by("number"))
    actions = list(Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number"))
    milestone = priorities[0].milestones.first()
    services.return_save(
        round_=round_,
        plan=plan,
        user=admin_user,
        now=WHEN,
        actions={
            actions[0].pk: {"version": 0, "status": "on_course", "commentary": "=SUM(A1) is not a formula here"},
            actions[1].pk: {"version": 0, "status": "delayed", "commentary": "- waiting for the lease"},
            actions[2].pk: {"version": 0, "withdrawn": "merged", "merged_into": actions[0].pk},
        },
        milestones={milestone.pk: {"version": 0, "status": "at_risk", "commentary": "Slipping"}},
        priorities={priorities[0].pk: {"version": 0, "key_achievements": "Hub open", "key_issues": "1.1 lease"}},
        decision_changes={"version": 0, "text": "None since publication."},
    )
    return round_


def sheet_rows(content: bytes, title: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = [list(row) for row in book[title].iter_rows(values_only=True)]
    return [row for row in rows if any(value is not None for value in row)]  # not the drop-downs' empty rows


def test_the_workbook_has_a_sheet_per_table_after_its_instructions(round_, admin_user, client_for):
    response = client_for(admin_user).get(reverse("exchange:round_xlsx", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dir-mid-year-2013-14-returns.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Instructions",
        "Action returns",
        "Milestone returns",
        "Priority returns",
        "Decision changes",
    ]
    instructions = [row[0] for row in book["Instructions"].iter_rows(values_only=True)]
    assert "Kent Plans: monitoring round returns" in instructions
    assert "Sheet “Action returns”" in instructions


def test_the_action_returns_sheet_holds_every_action_with_its_return_neutralised(round_, plans, admin_user):
    rows = sheet_rows(round_sheets.round_workbook(admin_user, round_), "Action returns")
    assert rows[0] == ACTION_HEADINGS
    plan, other = plans
    body = [row[:4] + row[6:12] for row in rows[1:]]
    assert body == [
        ["DIV", plan.version_label, 1, "1", "On course", "'=SUM(A1) is not a formula here", None, None, None, None],
        ["DIV", plan.version_label, 1, "1.1", "Delayed", "'- waiting for the lease", None, None, None, None],
        ["DIV", plan.version_label, 2, "1", None, None, "Merged into another action", None, 1, "1"],
        ["DIV", plan.version_label, 2, "1.1", None, None, None, None, None, None],
        ["OTHER", other.version_label, 1, "1", None, None, None, None, None, None],
    ]
    assert [row[12] for row in rows[1:]] == ["No", "No", "No", None, None]  # late: only for a return made


def test_the_other_sheets_hold_milestones_priorities_and_decision_changes(round_, plans, admin_user):
    content = round_sheets.round_workbook(admin_user, round_)
    plan, other = plans
    milestones = sheet_rows(content, "Milestone returns")
    assert milestones[0] == [
        "Unit",
        "Plan version",
        "Priority",
        "Milestone",
        "Milestone text",
        "Due",
        "Status",
        "Commentary",
    ]
    assert [row[:4] + row[6:] for row in milestones[1:]] == [
        ["DIV", plan.version_label, 1, "A", "At risk", "Slipping"],
        ["DIV", plan.version_label, 2, "A", None, None],
        ["OTHER", other.version_label, 1, "A", None, None],
    ]
    priorities = sheet_rows(content, "Priority returns")
    assert [row[:3] + row[4:] for row in priorities[1:]] == [
        ["DIV", plan.version_label, 1, "Hub open", "1.1 lease"],
        ["DIV", plan.version_label, 2, None, None],
        ["OTHER", other.version_label, 1, None, None],
    ]
    decisions = sheet_rows(content, "Decision changes")
    assert [row[:2] + row[3:] for row in decisions[1:]] == [
        ["DIV", plan.version_label, "None since publication."],
        ["OTHER", other.version_label, None],
    ]


def test_the_sheets_read_back_with_their_mappings_as_the_import_reads_sheets(round_, admin_user):
    """Same layout as the plan workbook: every row parses with the sheet's own columns, apostrophes removed."""
    book = workbook.read_upload("returns.xlsx", round_sheets.round_workbook(admin_user, round_))
    by_title = {sheet.name: sheet for sheet in book.sheets}
    parsed = {
        mapping.key: mapping.parse(by_title[mapping.title], kind_of_file=book.kind, escaped=book.escaped)
        for mapping in round_sheets.ROUND_SHEETS
    }
    for sheet in parsed.values():
        assert sheet.problems == []
        assert all(row.problems == [] for row in sheet.rows)
    actions = parsed["action_returns"].rows
    assert [row.key for row in actions][:2] == [
        ("DIV", actions[0].key[1], 1, (1, 0)),
        ("DIV", actions[0].key[1], 1, (1, 1)),
    ]
    assert actions[0].values["commentary"] == "=SUM(A1) is not a formula here"
    assert actions[0].values["status"] == "on_course"
    assert actions[2].values["merged_into"] == (1, 0)


def test_the_json_format_is_versioned_and_holds_stored_values(round_, plans, admin_user, client_for):
    response = client_for(admin_user).get(reverse("exchange:round_json", args=[round_.pk]))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert (document["format"], document["version"]) == ("kent-plans/monitoring-round", 1)
    assert document["round"] | {"as_of": ""} == {
        "name": "Mid-year 2013-14",
        "directorate": "DIR",
        "year": "2013-14",
        "kind": "mid_year",
        "deadline": "2013-11-15",
        "status": "open",
        "as_of": "",
    }
    first = document["tables"]["action_returns"][0]
    assert first | {"plan_version": "", "entered_at": ""} == {
        "unit": "DIV",
        "plan_version": "",
        "priority": 1,
        "action": "1",
        "text": first["text"],
        "officer": first["officer"],
        "status": "on_course",
        "commentary": "=SUM(A1) is not a formula here",  # JSON is never neutralised
        "withdrawn": None,
        "withdrawn_note": "",
        "merged_into_priority": None,
        "merged_into": None,
        "late": False,
        "entered_by": admin_user.get_username(),
        "entered_at": "",
    }
    assert [len(document["tables"][key]) for key in round_sheets.round_tables([])] == [5, 3, 3, 2]


def test_a_closed_round_exports_its_snapshot(round_, plans, admin_user):
    services.round_close(round_=round_, user=admin_user)
    round_ = Round.objects.get(pk=round_.pk)
    plan, _ = plans
    action = Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number").first()
    frozen = action.text
    action.text = "Changed after the round closed"
    action.save()
    document = round_sheets.round_document(admin_user, round_)
    assert document["round"]["status"] == "closed"
    assert document["tables"]["action_returns"][0]["text"] == frozen
    rows = sheet_rows(round_sheets.round_workbook(admin_user, round_), "Action returns")
    assert rows[1][4] == frozen


def test_readers_get_the_rows_of_the_plans_they_may_read_and_others_nothing(
    round_, plans, client_for, unit_editor, other_unit_editor, approver
):
    for user, units in [(unit_editor, {"DIV"}), (other_unit_editor, {"OTHER"}), (approver, {"DIV", "OTHER"})]:
        response = client_for(user).get(reverse("exchange:round_json", args=[round_.pk]))
        assert response.status_code == 200
        tables = json.loads(response.content)["tables"]
        assert {row["unit"] for row in tables["action_returns"]} == units
        rows = sheet_rows(
            client_for(user).get(reverse("exchange:round_xlsx", args=[round_.pk])).content, "Decision changes"
        )
        assert {row[0] for row in rows[1:]} == units
    stranger = UserFactory(username="stranger")
    for name in ("exchange:round_xlsx", "exchange:round_json"):
        assert client_for(stranger).get(reverse(name, args=[round_.pk])).status_code == 404
    assert client_for(unit_editor).get(reverse("exchange:round_xlsx", args=[round_.pk + 99])).status_code == 404


def test_the_round_page_links_to_the_downloads(round_, client_for, unit_editor):
    page = client_for(unit_editor).get(reverse("monitoring:detail", args=[round_.pk])).content.decode()
    assert reverse("exchange:round_xlsx", args=[round_.pk]) in page
    assert reverse("exchange:round_json", args=[round_.pk]) in page


@pytest.mark.parametrize("priorities", [1, 4])
def test_the_export_takes_a_fixed_number_of_queries(
    priorities, directorate, division, admin_user, django_assert_num_queries
):
    published_plan(division, priorities=priorities, actions=2, sub_actions=1)
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    round_ = Round.objects.select_related("directorate", "year").get(pk=round_.pk)
    # The round's report, the plans readable and the merged actions' priorities, however many rows.
    with django_assert_num_queries(10):
        round_sheets.round_workbook(admin_user, round_)


# --- importing the returns back -------------------------------------------------------------------


def edited(content: bytes, title: str, changes: dict) -> bytes:
    """The workbook with some cells changed: {(row, column heading): value}."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[title]
    headings = [cell.value for cell in sheet[1]]
    for (row, heading), value in changes.items():
        sheet.cell(row=row, column=headings.index(heading) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_returns(client, round_, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "returns.xlsx"
    response = client.post(reverse("exchange:round_import", args=[round_.pk]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def test_returns_edited_in_the_workbook_import_back_after_a_preview(round_, plans, client_for, unit_editor):
    from monitoring.models import ActionReturn, MilestoneReturn

    client = client_for(unit_editor)
    exported = client.get(reverse("exchange:round_xlsx", args=[round_.pk])).content
    data = edited(
        exported,
        "Action returns",
        {(3, "Status"): "Completed", (3, "Progress commentary"): "Lease signed", (5, "Status"): "On course"},
    )
    data = edited(data, "Milestone returns", {(3, "Status"): "Achieved"})
    url = upload_returns(client, round_, data)
    page = client.get(url)
    text = page.content.decode()
    assert "Check the import" in text
    assert "DIV: priority 1, action 1.1" in text
    assert "DIV: priority 2, milestone A" in text
    assert ActionReturn.objects.filter(round=round_, status="completed").count() == 0  # nothing written yet
    confirmed = client.post(url, {"fingerprint": page.context["preview"].fingerprint})
    assert confirmed.status_code == 302
    plan, _ = plans
    actions = list(Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number"))
    saved = {r.action_id: (r.status, r.commentary) for r in ActionReturn.objects.filter(round=round_)}
    assert saved[actions[1].pk] == ("completed", "Lease signed")
    assert saved[actions[3].pk] == ("on_course", "")
    assert saved[actions[0].pk] == ("on_course", "=SUM(A1) is not a formula here")  # the apostrophe removed
    assert MilestoneReturn.objects.filter(round=round_, status="achieved").count() == 1
    # The same file again changes nothing.
    again = client.get(upload_returns(client, round_, data))
    assert again.context["preview"].ok
    assert again.context["preview"].change_count == 0


def test_one_bad_row_refuses_the_whole_file(round_, plans, client_for, unit_editor):
    from tests.exchange.helpers import row_counts

    client = client_for(unit_editor)
    exported = client.get(reverse("exchange:round_xlsx", args=[round_.pk])).content
    data = edited(
        exported,
        "Action returns",
        {
            (3, "Status"): "Completed",
            (5, "Status"): "Delayed",  # a delay needs a reason: return_save refuses it
            (5, "Progress commentary"): None,
        },
    )
    data = edited(data, "Priority returns", {(2, "Key issues"): "Fine"})
    before = row_counts()
    url = upload_returns(client, round_, data)
    page = client.get(url)
    assert page.context["preview"].ok  # the cells are all readable …
    refused = client.post(url, {"fingerprint": page.context["preview"].fingerprint})
    assert refused.status_code == 200  # … but the service refuses the delay without a reason
    assert "say why the action is delayed" in refused.content.decode().lower()
    assert row_counts() == before

    unreadable = edited(exported, "Action returns", {(3, "Status"): "Smashing"})
    page = client.get(upload_returns(client, round_, unreadable))
    assert not page.context["preview"].ok
    assert "Action returns, row 3, column Status (G3): “Smashing” is not one of" in " ".join(
        problem.as_text() for problem in page.context["preview"].problems
    )


def test_only_editors_of_a_covered_plan_may_import_and_only_their_rows(
    round_, plans, client_for, unit_editor, other_unit_editor, approver
):
    content = round_sheets.round_workbook(unit_editor, round_)
    # OTHER's editor uploads DIV's rows: refused row by row, nothing written.
    client = client_for(other_unit_editor)
    data = edited(content, "Action returns", {(5, "Status"): "Completed"})
    page = client.get(upload_returns(client, round_, data))
    assert not page.context["preview"].ok
    assert "You cannot enter returns for the plan of DIV." in page.content.decode()
    # An approver enters no returns at all; a stranger does not see the round.
    assert client_for(approver).get(reverse("exchange:round_import", args=[round_.pk])).status_code == 403
    stranger = UserFactory(username="stranger2")
    assert client_for(stranger).get(reverse("exchange:round_import", args=[round_.pk])).status_code == 404
