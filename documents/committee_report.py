"""The monitoring committee report of a round, as print HTML: cover facts, the dashboard, numbered chapters.

Everything it prints comes from monitoring.selectors.round_report_for_print() (a closed round's snapshot, so the
report of a closed round never changes), dashboards.selectors.dashboard_rows() (the same table and RAG
as the dashboard page), the KPI dashboard as its page shows it (frozen in the snapshot when the round closed, else
performance.kpi.kpi_dashboard() now) and
the round's CommitteeReport (the prose transcribed as printed).

The numbering is computed, never typed: one chapter per dashboard row (a division with its service
units), numbered as the report's CommitteeReportChapter rows say or else on from the last section of
the introduction; within a chapter, paragraphs are numbered 6.1, 6.2 … in the order of priorities and
actions: each paragraph of an action return's commentary is one numbered paragraph (the first with the
action as its bold lead), then the priority's key achievements and key issues, then the plan's changes
to key decisions.
"""

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from dashboards import rollups
from dashboards.models import rule_for
from dashboards.selectors import COLUMNS, REPORT_KEY, STATUS_RAG, dashboard_rows, units_of_row
from documents.rendering import print_stylesheet_url
from monitoring.models import CommitteeReport, Round
from monitoring.selectors import round_report_for_print
from performance.kpi import kpi_dashboard

# A line of a list as returns are typed and reports printed: "- text", "• text", "* text", "a) text".
_LIST_LINE = re.compile(r"^\s*(?:[-•*]|[a-z]\))\s+")
# The number a section of the introduction starts with: "## 5. Mid-Year …", "5.2 The report …".
_SECTION_NUMBER = re.compile(r"^[#\s*]*(\d+)(?:\.\d+)*\.?\s", re.MULTILINE)

# A paragraph typed with the number the report printed it under: "6.1 Make sure …". The app numbers.
_PRINTED_NUMBER = re.compile(r"^\**(\d+\.\d+)\**\s+")

DECISIONS_LEAD = "Changes to key or significant decisions since the publication of the business plan"


@dataclass
class Block:
    """One paragraph of text: its lines (kept as typed) and any list that follows it."""

    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    number: str
    lead: str = ""
    blocks: list[Block] = field(default_factory=list)
    status: str = ""  # the action's status label, shown with its RAG
    rag: str = ""
    kind: str = "action"
    printed_number: str = ""  # the number the text was typed with, if any (kept to compare, not printed)


@dataclass
class PriorityNarrative:
    unit_code: str
    number: int
    title: str
    paragraphs: list[Paragraph]


@dataclass
class Chapter:
    number: int
    heading: str
    unit_id: int
    unit_code: str
    priorities: list[PriorityNarrative]
    decisions: list[Paragraph]

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"


def split_paragraphs(text: str) -> list[Block]:
    """The printed paragraphs of a text: blocks between blank lines. A block that is only a list belongs
    to the paragraph before it (a list is never a numbered paragraph of its own)."""
    paragraphs: list[Block] = []
    for chunk in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        block = Block()
        for line in lines:
            if _LIST_LINE.match(line):
                block.items.append(_LIST_LINE.sub("", line, count=1).strip())
            elif block.items:  # a line after a list item continues it
                block.items[-1] = f"{block.items[-1]} {line.strip()}"
            else:
                block.lines.append(line.strip())
        if not block.lines and paragraphs:
            paragraphs[-1].items.extend(block.items)
        else:
            paragraphs.append(block)
    return paragraphs


def _same_words(line: str, lead: str) -> bool:
    def words(text):
        return " ".join(re.sub(r"[*\s\-–—:.]+$", "", text).split()).casefold()

    return bool(lead) and words(line) == words(lead)


def without_printed_numbers(blocks: list[Block], lead: str = "") -> tuple[list[Block], list[str]]:
    """The blocks without what the app prints itself: a leading paragraph number as printed ("6.1 ") and,
    first thing in the first paragraph, a line that repeats the lead. Returns the numbers found too."""
    numbers = []
    for index, block in enumerate(blocks):
        found = ""
        if block.lines:
            match = _PRINTED_NUMBER.match(block.lines[0])
            if match:
                found = match.group(1)
                block.lines[0] = block.lines[0][match.end() :]
            if index == 0 and _same_words(block.lines[0], lead):
                block.lines.pop(0)
        numbers.append(found)
    # A number and lead typed as a paragraph of their own ("6.21 Transformational planning -", then the
    # text): what is left of them is nothing, and the number goes with the paragraph that follows.
    kept, kept_numbers, carried = [], [], ""
    for index, (block, number) in enumerate(zip(blocks, numbers, strict=True)):
        if not block.lines and not block.items and index < len(blocks) - 1:
            carried = number
            continue
        kept.append(block)
        kept_numbers.append(number or carried)
        carried = ""
    return kept, kept_numbers


def points(text: str) -> Block:
    """Key achievements or issues as one paragraph: "9.2 Key achievements:" then its points, one a line
    (a single line of prose stays prose)."""
    lines = [_LIST_LINE.sub("", line, count=1).strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1 and not _LIST_LINE.match(text.strip()):
        return Block(lines=lines)
    return Block(items=lines)


def next_section_number(introduction: str) -> int:
    """The number after the last numbered section of the introduction (1 when it numbers none)."""
    numbers = [int(match) for match in _SECTION_NUMBER.findall(introduction or "")]
    return max(numbers, default=0) + 1


def _numbered(chapter: int, counter: list[int], blocks: list[Block], kind: str, **lead) -> list[Paragraph]:
    """The blocks as numbered paragraphs, going on from the chapter's counter; the lead (and status) go
    on the first only."""
    if kind in ("action", "decisions"):  # typed as printed; key issues start with action numbers (1.3) instead
        blocks, printed = without_printed_numbers(blocks, lead.get("lead", ""))
    else:
        printed = [""] * len(blocks)
    paragraphs = []
    for index, block in enumerate(blocks):
        counter[0] += 1
        number = f"{chapter}.{counter[0]}"
        values = lead if index == 0 else {}
        paragraphs.append(Paragraph(number=number, blocks=[block], kind=kind, printed_number=printed[index], **values))
    return paragraphs


def chapter_narrative(number: int, heading: str, row: dict, units: list[dict]) -> Chapter:
    """One dashboard row's chapter: its units' priorities in order, with their numbered paragraphs."""
    counter = [0]
    priorities, decisions = [], []
    for unit in units_of_row(units, row["unit_id"]):
        for priority in unit["priorities"]:
            paragraphs = []
            for action in priority["actions"]:
                if action["withdrawn"] or not action["commentary"].strip():
                    continue
                paragraphs += _numbered(
                    number,
                    counter,
                    split_paragraphs(action["commentary"]),
                    "action",
                    lead=action["text"],
                    status=action["status_label"],
                    rag=STATUS_RAG.get(action["status"], ""),
                )
            for kind, lead in (("achievements", "Key achievements"), ("issues", "Key issues")):
                text = priority[f"key_{kind}"]
                if text.strip():
                    paragraphs += _numbered(number, counter, [points(text)], kind, lead=lead)
            priorities.append(PriorityNarrative(unit["unit_code"], priority["number"], priority["title"], paragraphs))
    # Printed after the priorities, so numbered after them: each plan's changes, in unit order.
    for unit in units_of_row(units, row["unit_id"]):
        if unit["decision_changes"].strip():
            decisions += _numbered(
                number, counter, split_paragraphs(unit["decision_changes"]), "decisions", lead=DECISIONS_LEAD
            )
    return Chapter(number, heading, row["unit_id"], row["code"], priorities, decisions)


def chapters(rows: list[dict], units: list[dict], printed: dict[int, tuple[int, str]], first: int) -> list[Chapter]:
    """One chapter per dashboard row. `printed` gives, by unit id, the number and heading the report
    prints a unit's chapter under; the other rows follow, numbered on from `first` or the last printed."""
    known = sorted((row for row in rows if row["unit_id"] in printed), key=lambda row: printed[row["unit_id"]][0])
    others = [row for row in rows if row["unit_id"] not in printed]
    result = []
    for row in known:
        number, heading = printed[row["unit_id"]]
        result.append(chapter_narrative(number, heading or row["name"], row, units))
    following = max([first - 1, *(printed[row["unit_id"]][0] for row in known)]) + 1
    for offset, row in enumerate(others):
        result.append(chapter_narrative(following + offset, row["name"], row, units))
    return result


def committee_report_context(round_: Round, report_data: dict, committee: CommitteeReport) -> dict:
    rule, from_data = rule_for(round_.directorate_id)
    units = report_data["units"]
    rows, total = dashboard_rows(units, rule)
    printed = {chapter.unit_id: (chapter.number, chapter.heading) for chapter in committee.chapters.all()}
    narrative = chapters(rows, units, printed, next_section_number(committee.introduction))
    order = {chapter.unit_id: index for index, chapter in enumerate(narrative)}
    frozen_kpi, year = report_data.get("kpi_html"), round_.year.start_year
    return {
        "round": round_,
        "committee": committee,
        "by_lines": [line.strip() for line in committee.by.splitlines() if line.strip()],
        "report_data": report_data,
        "rows": sorted(rows, key=lambda row: order[row["unit_id"]]),  # in the order of the chapters
        "total": total,
        "columns": COLUMNS,
        "chapters": narrative,
        # The directorate's KPI dashboard for the round's year: as drawn when the round closed
        # (monitoring.selectors.frozen_kpi_html, by the page's own include, every value escaped then);
        # while the round is open, or for a round closed before snapshots kept it, drawn now.
        "kpi_frozen": mark_safe(frozen_kpi) if frozen_kpi else None,
        "kpi": None if frozen_kpi else kpi_dashboard(round_.directorate, year=year, chart_prefix="report"),
        "rule_lines": rollups.describe(rule),
        "rule_from_data": from_data,
        "report_key": REPORT_KEY,
    }


def committee_report_unchecked(round_id: int) -> tuple[Round, CommitteeReport]:
    """The round and its committee report, without a permission check (views check; the worker trusts)."""
    round_ = Round.objects.select_related("directorate", "year").get(pk=round_id)
    committee = CommitteeReport.objects.prefetch_related("chapters").get(round=round_)
    return round_, committee


def committee_report_print_html(round_id: int, *, for_pdf: bool) -> str:
    round_, committee = committee_report_unchecked(round_id)
    context = committee_report_context(round_, round_report_for_print(round_), committee)
    context.update(
        {
            "document_title": committee.subject,
            "document_author": ", ".join(context["by_lines"]) or round_.directorate.name,
            "document_subject": f"{committee.subject}: {committee.to}, {committee.date.day} {committee.date:%B %Y}",
            "document_keywords": f"monitoring, committee report, {round_.directorate.code}, {round_.year}",
            "document_date": committee.date,
            "stylesheet_href": print_stylesheet_url() if for_pdf else static("css/print.css"),
            "print": True,
        }
    )
    return render_to_string("documents/committee_report_print.html", context)
