"""Exporting a monitoring round: its returns as a workbook (a sheet per table) and as JSON.

The rows come from monitoring.selectors.round_report(): live while the round is open, its snapshot
once closed, so an export of a closed round shows exactly what the round showed the day it closed.
A reader sees the rows of the plans they may read (administrators every row), as on the round page.

Sheets, after Instructions: Action returns, Milestone returns, Priority returns, Decision changes.
Rows are keyed by natural keys (unit code, plan version label, priority number, action number or
milestone letter), never database ids, with the columns laid out as the plan workbook's are (same
column kinds, the same neutralising of formulas), so that the returns can be read back.

The JSON format is "kent-plans/monitoring-round", version 1 (exchange/README.md).
"""

import datetime

from django.utils import timezone

from accounts.permissions import visible_plans
from exchange import parsing, workbook
from exchange.exporter import _sheet
from exchange.sheets import Column, SheetMapping
from monitoring.models import ActionReturn, MilestoneReturn
from monitoring.selectors import round_report
from plans.models import Plan

FORMAT = "kent-plans/monitoring-round"
VERSION = 1

_UNIT = Column("Unit", "unit", "code", key=True, help="The unit's code, for example LDMH.")
_PLAN = Column("Plan version", "plan_version", "short_text", key=True, help="The plan's version label, as printed.")
_PRIORITY = Column("Priority", "priority", "integer", key=True, help="The priority's number in the plan.")


class RoundSheet(SheetMapping):
    domain = "round"

    def round_rows(self, unit: dict) -> list[dict]:
        raise NotImplementedError


class ActionReturnsSheet(RoundSheet):
    key = "action_returns"
    title = "Action returns"
    order = 10
    noun = "action return"
    description = "Each action's status and progress commentary, or why it was taken out of the round."
    columns = (
        _UNIT,
        _PLAN,
        _PRIORITY,
        Column("Action", "action", "action", key=True),
        Column("Action text", "text", "text", read=False),
        Column("Accountable officer", "officer", "short_text", read=False),
        Column("Status", "status", "choice", choices=tuple(ActionReturn.Status.choices)),
        Column("Progress commentary", "commentary", "text"),
        Column(
            "Taken out of the round",
            "withdrawn",
            "choice",
            choices=tuple(ActionReturn.Withdrawn.choices),
            help="Leave blank unless the action was withdrawn or merged into another.",
        ),
        Column("Reason", "withdrawn_note", "text", help="Why it was taken out: required when withdrawn."),
        Column(
            "Merged into priority",
            "merged_into_priority",
            "integer",
            help="The priority of the action it was merged into; blank for its own priority.",
        ),
        Column("Merged into", "merged_into", "action", help="The action of the same plan it was merged into."),
        Column("Late", "late", "yes_no", read=False, help="First entered after the round's deadline."),
        Column("Entered by", "entered_by", "short_text", read=False),
        Column("Entered at", "entered_at", "short_text", read=False),
    )

    def round_rows(self, unit, merged_priorities=None):
        rows = []
        merged_priorities = merged_priorities or {}
        for priority in unit["priorities"]:
            for action in priority["actions"]:
                rows.append(
                    {
                        "unit": unit["unit_code"],
                        "plan_version": unit["plan"]["version_label"],
                        "priority": priority["number"],
                        "action": parsing.action_number(action["label"]),
                        "text": action["text"],
                        "officer": action["officer"],
                        "status": action["status"],
                        "commentary": action["commentary"],
                        "withdrawn": action["withdrawn"],
                        "withdrawn_note": action["withdrawn_note"],
                        "merged_into_priority": merged_priorities.get(action["id"]),
                        "merged_into": parsing.action_number(action["merged_into"]) if action["merged_into"] else None,
                        "late": action["late"] if action["returned"] else None,
                        "entered_by": action["entered_by"],
                        "entered_at": action["entered_at"],
                    }
                )
        return rows


class MilestoneReturnsSheet(RoundSheet):
    key = "milestone_returns"
    title = "Milestone returns"
    order = 20
    noun = "milestone return"
    description = "Each key milestone's status and commentary."
    columns = (
        _UNIT,
        _PLAN,
        _PRIORITY,
        Column("Milestone", "milestone", "letter", key=True),
        Column("Milestone text", "text", "text", read=False),
        Column("Due", "due", "short_text", read=False),
        Column("Status", "status", "choice", choices=tuple(MilestoneReturn.Status.choices)),
        Column("Commentary", "commentary", "text"),
    )

    def round_rows(self, unit):
        return [
            {
                "unit": unit["unit_code"],
                "plan_version": unit["plan"]["version_label"],
                "priority": priority["number"],
                "milestone": milestone["letter"],
                "text": milestone["text"],
                "due": milestone["due"],
                "status": milestone["status"],
                "commentary": milestone["commentary"],
            }
            for priority in unit["priorities"]
            for milestone in priority["milestones"]
        ]


class PriorityReturnsSheet(RoundSheet):
    key = "priority_returns"
    title = "Priority returns"
    order = 30
    noun = "priority return"
    description = "Each priority's key achievements and key issues (issues cite action numbers)."
    columns = (
        _UNIT,
        _PLAN,
        _PRIORITY,
        Column("Priority title", "title", "short_text", read=False),
        Column("Key achievements", "key_achievements", "text"),
        Column("Key issues", "key_issues", "text"),
    )

    def round_rows(self, unit):
        return [
            {
                "unit": unit["unit_code"],
                "plan_version": unit["plan"]["version_label"],
                "priority": priority["number"],
                "title": priority["title"],
                "key_achievements": priority["key_achievements"],
                "key_issues": priority["key_issues"],
            }
            for priority in unit["priorities"]
        ]


class DecisionChangesSheet(RoundSheet):
    key = "decision_changes"
    title = "Decision changes"
    order = 40
    noun = "decision change"
    description = "Per plan, the changes to key or significant decisions since the plan was published."
    columns = (
        _UNIT,
        _PLAN,
        Column("Plan title", "plan_title", "short_text", read=False),
        Column("Changes to key or significant decisions", "text", "text"),
    )

    def round_rows(self, unit):
        return [
            {
                "unit": unit["unit_code"],
                "plan_version": unit["plan"]["version_label"],
                "plan_title": unit["plan"]["title"],
                "text": unit["decision_changes"],
            }
        ]


ROUND_SHEETS: list[RoundSheet] = [
    ActionReturnsSheet(),
    MilestoneReturnsSheet(),
    PriorityReturnsSheet(),
    DecisionChangesSheet(),
]


def readable_units(user, round_) -> tuple[dict, list[dict]]:
    """The round's report and its units with a plan that the user may read (administrators: every one)."""
    report = round_report(round_)
    units = [unit for unit in report["units"] if unit["plan"]]
    if not user.is_superuser:
        ids = [unit["plan"]["id"] for unit in units]
        readable = set(visible_plans(user, Plan.objects.filter(pk__in=ids)).values_list("pk", flat=True))
        units = [unit for unit in units if unit["plan"]["id"] in readable]
    return report, units


def merged_priorities(round_) -> dict[int, int]:
    """Action id -> the priority number of the action it was merged into (one query; an open round only: a
    closed round's snapshot names the action by its number alone)."""
    if not round_.is_open:
        return {}
    merged = ActionReturn.objects.filter(round=round_, withdrawn=ActionReturn.Withdrawn.MERGED)
    return dict(merged.values_list("action_id", "merged_into__priority__number"))


def round_tables(units: list[dict], merged: dict | None = None) -> dict[str, list[dict]]:
    tables = {}
    for sheet in ROUND_SHEETS:
        if isinstance(sheet, ActionReturnsSheet):
            tables[sheet.key] = [row for unit in units for row in sheet.round_rows(unit, merged)]
        else:
            tables[sheet.key] = [row for unit in units for row in sheet.round_rows(unit)]
    return tables


def _about(round_, report) -> str:
    state = (
        f"closed on {report.get('closed_at', '')}: the returns as they stood that day"
        if not round_.is_open
        else f"open: the returns as they stand at {report['as_of']}"
    )
    return (
        f"Exported from Kent Plans on {timezone.localdate():%d/%m/%Y}: {round_.name}, {round_.directorate.name} "
        f"({round_.directorate.code}), {round_.year}, deadline {round_.deadline:%d/%m/%Y}. The round is {state}."
    )


def _instructions(about: str) -> workbook.SheetOut:
    rows = [
        ["Kent Plans: monitoring round returns", "", ""],
        [about, "", ""],
        ["", "", ""],
        [
            "Rows",
            "One row per action, milestone, priority and plan that the round covers (and that you may read). Rows "
            "are identified by the unit's code, the plan's version label, the priority number and the action "
            "number (1, 1.1 …) or milestone letter.",
            "",
        ],
        [
            "Values",
            "Statuses are written as on the returns page (Completed, On course, Delayed, Cancelled; Achieved, On "
            "track, At risk, Not achieved). A blank status is a return not made yet.",
            "",
        ],
        [
            "Apostrophes",
            "Text that starts with =, +, - or @ is written with an apostrophe in front so that spreadsheets never "
            "run it as a formula.",
            "",
        ],
    ]
    for sheet in ROUND_SHEETS:
        rows.append(["", "", ""])
        rows.append([f"Sheet “{sheet.title}”", sheet.description, ""])
        rows.append(["Column", "What it holds", "Notes"])
        for column in sheet.columns:
            notes = "Identifies the row" if column.key else ("For reference" if not column.read else "")
            rows.append([column.header, f"{column.kind_.what}. {column.help}".strip(), notes])
    return workbook.SheetOut(
        title="Instructions", header=[], rows=rows, widths=[34, 100, 30], wrap=[True, True, True], heading_row=False
    )


def round_workbook(user, round_) -> bytes:
    report, units = readable_units(user, round_)
    tables = round_tables(units, merged_priorities(round_))
    sheets = [_instructions(_about(round_, report))]
    sheets += [_sheet(sheet, tables[sheet.key]) for sheet in ROUND_SHEETS]
    return workbook.write_xlsx(sheets)


def _json(column: Column, value):
    return None if value is None else column.to_json(value)


def round_document(user, round_, *, exported_at: datetime.datetime | None = None) -> dict:
    report, units = readable_units(user, round_)
    tables = round_tables(units, merged_priorities(round_))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (exported_at or timezone.now()).isoformat(timespec="seconds"),
        "round": {
            "name": round_.name,
            "directorate": round_.directorate.code,
            "year": str(round_.year),
            "kind": round_.kind,
            "deadline": round_.deadline.isoformat(),
            "status": round_.status,
            "as_of": report.get("closed_at") or report["as_of"],
        },
        "tables": {
            sheet.key: [
                {column.field: _json(column, row.get(column.field)) for column in sheet.columns}
                for row in tables[sheet.key]
            ]
            for sheet in ROUND_SHEETS
        },
    }
