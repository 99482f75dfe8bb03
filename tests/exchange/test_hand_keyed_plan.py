"""A plan that was never in the demo data, keyed by hand into the template spreadsheet, imported and checked.

fixtures/hand-keyed/ldmh-divisional-plan-2013-14-hand-keyed.xlsx is the template spreadsheet the Import page
offers, with the LDMH divisional business plan 2013-14 typed into it from the printed document
(fixtures/hand-keyed/key_ldmh_plan.py is the keying; fixtures/hand-keyed/README.md says how it was done). With
only the organisation and the template loaded (no demo plans), an administrator imports it through the preview
and the confirmation; then:

- the plan page shows what the document prints: every priority, action (number, officer, start and end),
  milestone and due month, decision, risk, critical function and section G row, read here from the document
  itself (../shared/seeds/ldmh-divisional-plan-2013-14.md), not from the workbook;
- the PDF holds the same header figures and a sample of actions with their officers and dates;
- sections C, E and G agree field by field with the demo's own transcription of the document
  (fixtures/seeds/ldmh-divisional-plan-2013-14.json, loaded beside it): any difference fails naming the item;
- importing the same workbook again changes nothing.
"""

import datetime
import html
import importlib.util
import io
import re
from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Membership
from common.years import format_month
from exchange import parsing, seeds
from organisation.models import Unit
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanSection,
    Priority,
    Risk,
    SupportNeeded,
)
from tests.exchange.helpers import row_counts, snapshot
from tests.factories import MembershipFactory, UserFactory
from tests.plan_pages import whole_plan

pytestmark = pytest.mark.django_db

HAND_KEYED_DIR = Path(settings.BASE_DIR) / "fixtures" / "hand-keyed"
WORKBOOK = HAND_KEYED_DIR / "ldmh-divisional-plan-2013-14-hand-keyed.xlsx"
DOCUMENT = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "ldmh-divisional-plan-2013-14.md"
VERSION_LABEL = "Hand-keyed from the published document"


def _keying():
    spec = importlib.util.spec_from_file_location("key_ldmh_plan", HAND_KEYED_DIR / "key_ldmh_plan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def squash(text) -> str:
    return " ".join(str(text or "").split())


def unslash(text) -> str:
    return squash(text).replace("/ ", "/")


def shown_month(printed: str) -> str:
    """A month as the document prints it ("Sept 2013", "Jan 2014") -> as Kent Plans shows it."""
    return format_month(parsing.month(printed)) if printed else ""


# --- the document, read independently of both transcriptions ----------------------------------------


def _cells(line: str) -> list[str]:
    return [html.unescape(re.sub(r"</?b>", "", cell)).strip() for cell in line.split("\t")]


def read_document(text: str) -> dict:
    """The document's tables as printed: its tab-separated rows, section by section.

    A row that the page break split (a headline action's or a critical function's second line, milestone C's
    second line in priority 1) begins with a tab and is left out: its first line is what is checked.
    """
    found = {key: [] for key in ("priorities", "actions", "milestones", "decisions", "risks", "functions", "support")}
    header = {}
    mode, priority = None, None
    for line in (raw.rstrip() for raw in text.splitlines()):
        plain = squash(" ".join(_cells(line)))
        if fact := re.match(r"(Gross Expenditure|FTE):\s+(.+)$", line):
            header[fact[1]] = fact[2].strip()
        if heading := re.match(r"PRIORITY (\d+): (.+?) DESCRIPTION OF PRIORITY: (.+)$", plain):
            priority = int(heading[1])
            found["priorities"].append((priority, heading[2], heading[3]))
            mode = "actions"
        elif plain.startswith(("SECTION D", "SECTION F")):
            mode = None
        elif plain.startswith("KEY MILESTONES"):
            mode = "milestones"
        elif plain.startswith("ARE THERE ANY KEY"):
            mode = "decisions"
        elif line.startswith("RISKS\tMITIGATION"):
            mode = "risks"
        elif line.startswith("CRITICAL FUNCTIONS"):
            mode = "functions"
        elif line.startswith("ACTIVITY DETAILS"):
            mode = "support"
        elif line and not line.startswith("\t") and not set(line) <= set("-\t"):
            cells = _cells(line)
            filled = [cell for cell in cells if cell]
            if mode == "actions" and re.fullmatch(r"\d+(\.\d+)?", cells[0]):
                label, text_, officer, start, end = (cells + [""] * 5)[:5]
                found["actions"].append((priority, label, text_, officer, start, end))
            elif mode == "milestones" and re.fullmatch(r"[A-Z]", cells[0]):
                letter, text_, due = filled
                found["milestones"].append((priority, letter, text_, due))
            elif mode == "decisions" and re.fullmatch(r"\d+", cells[0]) and len(filled) > 1:
                number, text_, answer = filled
                found["decisions"].append((priority, int(number), text_, answer))
            elif mode == "risks" and len(filled) == 2:
                found["risks"].append(tuple(filled))
            elif mode == "functions" and line.startswith("<b>"):
                name = html.unescape(re.match(r"<b>(.*?)</b>", line)[1])
                found["functions"].append((name, cells[1], cells[2]))
            elif mode == "support" and len(filled) == 3:
                found["support"].append(tuple(filled))
    return {**found, "header": header}


@pytest.fixture(scope="module")
def document() -> dict:
    if not DOCUMENT.exists():
        pytest.skip("The shared seeds are not next to the project.")
    return read_document(DOCUMENT.read_text(encoding="utf-8"))


def test_the_document_reader_finds_every_row_of_the_document(document):
    """What the reader takes from the document, counted by hand from the printed plan."""
    counts = {key: len(rows) for key, rows in document.items() if key != "header"}
    assert counts == {
        "priorities": 6,
        "actions": 76,  # 20 headline actions and 56 sub-actions
        "milestones": 27,
        "decisions": 4,  # the other decision rows print a number and nothing else
        "risks": 5,
        "functions": 10,
        "support": 14,
    }
    assert document["header"] == {"Gross Expenditure": "£172.233m (2012/13)", "FTE": "757.2 (Nov 2012)"}


# --- the page, as tables -----------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page: its caption and its rows, each row's id and cell texts (whitespace squashed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._table, self._row, self._cell, self._caption = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = {"caption": "", "rows": []}
            self.tables.append(self._table)
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._row = (dict(attrs).get("id"), [])
            self._table["rows"].append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self._table["caption"] = squash("".join(self._caption))
            self._caption = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row[1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        for target in (self._caption, self._cell):
            if target is not None:
                target.append(data)


def page_tables(content: str) -> dict[str, list]:
    parser = _Tables()
    parser.feed(content)
    return {table["caption"]: [row for row in table["rows"] if row[1]] for table in parser.tables}


def body_rows(tables: dict, caption: str) -> list[list[str]]:
    return [cells for _, cells in tables[caption][1:]]  # the first row holds the headings


# --- importing the workbook as an administrator does ---------------------------------------------------


@pytest.fixture
def organisation():
    """The organisation and the 2013-14 divisional template, as the demo loader loads them, and no plans."""
    council = seeds.load_organisation()
    assert not Plan.objects.exists()
    return council


def import_through_the_pages(client) -> Plan:
    """Upload the workbook on the Import page, check the preview, confirm."""
    response = client.post(
        reverse("exchange:import"), {"file": SimpleUploadedFile(WORKBOOK.name, WORKBOOK.read_bytes())}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    assert "There is a problem" not in preview
    assert "A new draft plan: Learning Disability/Mental Health (LDMH), 2013-14" in html.unescape(preview)
    by_sheet = {cells[0]: cells[1:] for cells in body_rows(page_tables(preview), "What the import would do, by sheet")}
    # Added, changed, unchanged, rejected, left alone: the budget and indicator tables of the document are empty.
    assert by_sheet["Actions"] == ["76", "0", "0", "0", "0"]
    assert by_sheet["Support needed"] == ["14", "0", "0", "0", "0"]
    assert {cells[3] for cells in by_sheet.values()} == {"0"}
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', preview)[1]
    done = client.post(preview_url, {"fingerprint": fingerprint})
    plan = Plan.objects.get(version_label=VERSION_LABEL)
    assert done.status_code == 302
    assert done["Location"] == reverse("plans:detail", args=[plan.pk])
    return plan


@pytest.fixture
def imported(organisation, admin_user, client_for) -> Plan:
    return import_through_the_pages(client_for(admin_user))


def test_the_workbook_is_the_downloaded_template_with_the_plan_typed_in(organisation, admin_user, client_for):
    template = client_for(admin_user).get(reverse("exchange:template"))
    assert template.status_code == 200
    expected = openpyxl.load_workbook(io.BytesIO(_keying().fill(template.content)))
    keyed = openpyxl.load_workbook(WORKBOOK)
    assert keyed.sheetnames == expected.sheetnames
    assert keyed.sheetnames[0] == "Instructions"
    for sheet in expected.sheetnames:
        assert [list(row) for row in keyed[sheet].iter_rows(values_only=True)] == [
            list(row) for row in expected[sheet].iter_rows(values_only=True)
        ], f"The {sheet} sheet is not the template with the keyed values: the template changed? Download it and run "
        "fixtures/hand-keyed/key_ldmh_plan.py TEMPLATE.xlsx (its docstring says how)."


def test_the_import_makes_a_new_draft_of_the_plan_with_everything_the_document_prints(imported):
    assert imported.status == Plan.Status.DRAFT
    assert (imported.unit.code, imported.year_id, imported.template.slug) == ("LDMH", 2013, "divisional-2013-14")
    assert Priority.objects.filter(plan=imported).count() == 6
    assert Action.objects.filter(priority__plan=imported).count() == 76
    assert Action.objects.filter(priority__plan=imported, sub_number=0).count() == 20
    assert Milestone.objects.filter(priority__plan=imported).count() == 27
    assert Decision.objects.filter(priority__plan=imported).count() == 4
    assert Risk.objects.filter(plan=imported).count() == 5
    assert CriticalFunction.objects.filter(plan=imported).count() == 10
    assert SupportNeeded.objects.filter(plan=imported).count() == 14


def test_the_plan_pages_show_what_the_document_prints(imported, document, admin_user, client_for):
    content = whole_plan(client_for(admin_user), imported)
    text = squash(html.unescape(re.sub(r"<[^>]+>", " ", content)))
    tables = page_tables(content)

    # Header facts: £172.233m is £172,233.0k; 2012/13 is written 2012-13; Nov 2012 is November 2012.
    gross = re.fullmatch(r"£([\d.]+)m \((\d{4})/(\d{2})\)", document["header"]["Gross Expenditure"])
    assert f"Gross expenditure £{Decimal(gross[1]) * 1000:,.1f}k ({gross[2]}-{gross[3]})" in text
    fte, fte_at = re.fullmatch(r"([\d.]+) \((.+)\)", document["header"]["FTE"]).groups()
    assert f"FTE {fte} ({shown_month(fte_at)})" in text
    assert f"{VERSION_LABEL} (16/12/2012)" in text
    for fact in ("Andrew Ireland", "Penny Southern", "Mark Walker, Chris Beaney, Cheryl Fenton"):
        assert fact in text

    for number, title, description in document["priorities"]:
        assert f"Priority {number}: {title}" in text
        assert f"Description of priority: {squash(description)}" in text
        actions = {row_id: cells for row_id, cells in tables[f"Priority {number} actions"] if row_id}
        printed = [row for row in document["actions"] if row[0] == number]
        assert len(actions) == len(printed), f"priority {number}"
        for _, label, action, officer, start, end in printed:
            cells = actions[f"action-{number}-{label}"]
            where = f"action {label} of priority {number}"
            assert cells[0] == label, where
            assert cells[1].startswith(squash(action)), where
            assert cells[2:] == [squash(officer), shown_month(start), shown_month(end)], where

        milestones = body_rows(tables, f"Priority {number} key milestones")
        expected = [
            [letter, squash(m), shown_month(due)] for p, letter, m, due in document["milestones"] if p == number
        ]
        assert len(milestones) == len(expected), f"priority {number}"
        for cells, (letter, milestone, due) in zip(milestones, expected, strict=True):
            where = f"milestone {letter} of priority {number}"
            assert cells[0] == letter, where
            assert cells[1].startswith(milestone), where  # a note on the source may follow
            assert cells[2] == due, where

        decisions = body_rows(tables, f"Key or significant decisions that could arise from priority {number}")
        expected = [[str(n), squash(d), answer] for p, n, d, answer in document["decisions"] if p == number]
        assert decisions == (expected or [["No decisions recorded."]]), f"priority {number}"

    risks = body_rows(tables, "Risks")
    assert len(risks) == len(document["risks"])
    for number, (cells, (risk, mitigation)) in enumerate(zip(risks, document["risks"], strict=True), start=1):
        assert cells[0] == str(number)
        assert cells[1].startswith(squash(risk)), f"risk {number}"
        assert cells[2] == squash(mitigation), f"risk {number}"

    functions = body_rows(tables, "Business continuity: critical functions")
    assert len(functions) == len(document["functions"])
    for cells, (name, timescale, service_level) in zip(functions, document["functions"], strict=True):
        assert cells[0].startswith(squash(name)), name
        assert cells[1] == timescale, name
        assert cells[2].startswith(squash(service_level)), name

    support = body_rows(tables, "Activity requiring support from other divisions or services")
    assert support == [[squash(a), impact, shown_month(when)] for a, impact, when in document["support"]]


def test_the_pdf_holds_the_same_figures(
    imported, document, admin_user, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("documents:plan_pdf", args=[imported.pk]))
    assert first.status_code == 202
    response = client.get(reverse("documents:plan_pdf", args=[imported.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    # A line may break after a slash ("Maureen Stirrup/" "Anthony Mort."): read "/ " as "/" on both sides.
    text = unslash(" ".join(page.extract_text() for page in reader.pages))

    assert "Learning Disability/Mental Health: Divisional Business Plan 2013-14" in text
    assert f"{VERSION_LABEL} (16/12/2012)" in text
    assert "Gross expenditure £172,233.0k (2012-13)" in text
    assert "FTE 757.2 (November 2012)" in text
    assert "Graham Gibbens – Cabinet Member for Adult Social Care & Public Health" in text
    for _, title, _ in document["priorities"]:
        assert title in text
    # A sample of actions, each with its officer and months as the document prints them.
    sample = {(2, "2.3"), (3, "1.2"), (4, "2.1"), (5, "1.1"), (5, "3.1"), (5, "4"), (5, "5.2")}
    for priority, label, _, officer, start, end in document["actions"]:
        if (priority, label) in sample:
            row = unslash(f"{officer} {shown_month(start)} {shown_month(end)}")
            assert row in text, f"action {label} of priority {priority}: {row}"
    for _, impact, when in document["support"]:
        assert f"{impact} {shown_month(when)}" in text


# --- the cross-check with the demo's transcription --------------------------------------------------


def _content(plan: Plan) -> dict:
    """Sections C, E and G of a plan, field by field, keyed by what a reader calls each item.

    The "Note on the source" of each row is left out: it is each transcriber's comment, not the document's text.
    """
    items = {}
    for section in PlanSection.objects.filter(plan=plan, template_section__code__in="CEG").select_related(
        "template_section"
    ):
        items[f"Section {section.template_section.code} narrative"] = {"text": section.body}
    for priority in Priority.objects.filter(plan=plan).prefetch_related("themes"):
        items[f"Priority {priority.number}"] = {
            "title": priority.title,
            "description": priority.description,
            "themes": sorted(theme.name for theme in priority.themes.all()),
        }
    for action in Action.objects.filter(priority__plan=plan).select_related("priority"):
        items[f"Action {action.label} of priority {action.priority.number}"] = {
            "text": action.text,
            "officer": action.officer,
            "start": action.start,
            "end": action.end,
        }
    for milestone in Milestone.objects.filter(priority__plan=plan).select_related("priority"):
        items[f"Milestone {milestone.letter} of priority {milestone.priority.number}"] = {
            "text": milestone.text,
            "due": milestone.due,
        }
    for decision in Decision.objects.filter(priority__plan=plan).select_related("priority"):
        items[f"Decision {decision.number} of priority {decision.priority.number}"] = {
            "text": decision.text,
            "in the Forward Plan": decision.in_forward_plan,
        }
    for risk in Risk.objects.filter(plan=plan):
        items[f"Risk {risk.number}"] = {"risk": risk.risk, "mitigation": risk.mitigation, "owner": risk.owner}
    for function in CriticalFunction.objects.filter(plan=plan):
        items[f"Critical function {function.number}"] = {
            "name": function.name,
            "description": function.description,
            "timescale": function.timescale,
            "minimum service level": function.minimum_service_level,
        }
    for row in SupportNeeded.objects.filter(plan=plan):
        items[f"Section G row {row.number}"] = {
            "activity": row.activity,
            "impact": row.impact,
            "expected": row.expected,
        }
    return items


def transcription_differences(hand_keyed: Plan, demo: Plan) -> list[str]:
    """Every item of sections C, E and G on which the two transcriptions differ, named."""
    ours, theirs = _content(hand_keyed), _content(demo)
    found = []
    for item in sorted(set(ours) | set(theirs)):
        if item not in theirs:
            found.append(f"{item}: only in the hand-keyed workbook")
        elif item not in ours:
            found.append(f"{item}: only in the demo transcription")
        else:
            found += [
                f"{item}, {name}: hand-keyed {ours[item][name]!r}, demo {theirs[item][name]!r}"
                for name in ours[item]
                if ours[item][name] != theirs[item][name]
            ]
    return found


@pytest.fixture
def demo(imported, organisation) -> Plan:
    """The demo's transcription of the same document, loaded beside the import as the demo loader does."""
    return seeds.load_plan(seeds.read_seed("ldmh-divisional-plan-2013-14.json"), council=organisation)


def test_sections_c_e_and_g_agree_with_the_demo_transcription_field_by_field(imported, demo):
    assert demo.version_label != imported.version_label
    assert len(_content(imported)) == 6 + 76 + 27 + 4 + 5 + 10 + 14 + 2  # and the narrative of C and E
    differences = transcription_differences(imported, demo)
    assert not differences, "The two transcriptions differ; check the document:\n" + "\n".join(differences)


def test_the_cross_check_names_each_item_on_which_the_transcriptions_differ(imported, demo):
    Action.objects.filter(priority__plan=demo, priority__number=2, number=2, sub_number=3).update(
        officer="Cheryl Fenton/ Stephanie Clarke"
    )
    Milestone.objects.filter(priority__plan=demo, priority__number=1, letter="C").update(due=datetime.date(2013, 10, 1))
    Milestone.objects.filter(priority__plan=demo, priority__number=6, letter="C").delete()
    Risk.objects.filter(plan=demo, number=5).update(mitigation="Close monitoring")
    assert transcription_differences(imported, demo) == [
        "Action 2.3 of priority 2, officer: hand-keyed 'Cheryl Fenton', demo 'Cheryl Fenton/ Stephanie Clarke'",
        "Milestone C of priority 1, due: hand-keyed datetime.date(2013, 9, 1), demo datetime.date(2013, 10, 1)",
        "Milestone C of priority 6: only in the hand-keyed workbook",
        "Risk 5, mitigation: hand-keyed 'Close monitoring of Continuing Health Care and Section 117', demo "
        "'Close monitoring'",
    ]


# --- importing again, and who may see it -----------------------------------------------------------


def test_importing_the_same_workbook_again_changes_nothing(imported):
    before, counts = snapshot(imported), row_counts()
    out = StringIO()
    call_command("import_plan", str(WORKBOOK), stdout=out, stderr=StringIO())
    assert "Nothing would change: the plan already holds everything in this file." in out.getvalue()
    assert "Imported 0 row(s)" in out.getvalue()
    assert row_counts() == counts  # no row and no history record added
    assert snapshot(Plan.objects.get(pk=imported.pk)) == before


def test_an_editor_of_another_division_cannot_see_the_imported_draft(imported, client_for):
    oppd = Unit.objects.get(code="OPPD")
    editor = MembershipFactory(user=UserFactory(), unit=oppd, role=Membership.Role.EDITOR).user
    client = client_for(editor)
    assert client.get(reverse("plans:detail", args=[imported.pk])).status_code == 404
    assert client.get(reverse("documents:plan_pdf", args=[imported.pk])).status_code == 404
    assert client.get(reverse("exchange:plan_xlsx", args=[imported.pk])).status_code == 404
