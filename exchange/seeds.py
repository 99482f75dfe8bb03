"""Load the seed transcriptions in fixtures/seeds/ into the database.

Every function is idempotent: rows are matched on their natural keys (unit code and first year,
plan unit/year/version, priority number, action number …) and updated in place, so running the
loader twice changes nothing, and edits to rows the seed does not hold are left alone.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import F

from budgets.models import StaffingEstablishment
from common.models import FinancialYear
from common.years import parse_financial_year
from organisation.models import Council, Unit
from plans.models import (
    Action,
    CorporateObjective,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanObjective,
    PlanSection,
    PlanTemplate,
    Priority,
    Risk,
    SupportNeeded,
    TableColumn,
    TableKind,
    TableRow,
    TemplateSection,
    TemplateSectionTable,
    Theme,
)

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
ORGANISATION_FILE = "fsc-organisation.json"
# Earlier structures (KASS, before it became FSC) and the plans that hang on them.
HISTORIC_ORGANISATION_FILES = ["kass-organisation.json", "fsc-transformation-blueprint-2012.json"]
PLAN_FILES = ["ldmh-divisional-plan-2013-14.json"]
# Plan header facts a structure file may give for each of its plans, as printed.
HEADER_TEXT_FIELDS = ["cabinet_portfolio", "corporate_director", "director", "heads_of_service"]


def read_seed(name: str) -> dict:
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _month(text):
    return datetime.date.fromisoformat(f"{text}-01") if text else None


def _decimal(text):
    return Decimal(text) if text not in (None, "") else None


def _save(model, lookup: dict, values: dict):
    """update_or_create that validates each row as the admin does.

    Fields and the model's own clean() run here; uniqueness and check constraints are left to the
    database, which refuses a bad seed all the same (inside the loader's transaction), without a
    validation query per constraint per row.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
        return obj  # unchanged: no write, so no history record either
    if obj is None:
        obj = model(**lookup)
    else:
        for name, value in lookup.items():
            if isinstance(value, models.Model):
                setattr(obj, name, value)  # reuse the caller's instance (and what it prefetched)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.clean_fields()
    obj.clean()
    obj.save()
    return obj


@transaction.atomic
def load_organisation(data: dict | None = None) -> Council:
    data = data or read_seed(ORGANISATION_FILE)
    council = _save(Council, {"short_name": data["council"]["short_name"]}, {"name": data["council"]["name"]})
    for year in data["years"]:
        FinancialYear.objects.get_or_create(start_year=year)
    units = {}
    siblings = {}  # each file lists units in the council's own order: the order of its reports
    for row in data["units"]:
        position = siblings[row["parent"]] = siblings.get(row["parent"], 0) + 1
        units[row["code"]] = _save(
            Unit,
            {"council": council, "code": row["code"], "first_year_id": row["first_year"]},
            {
                "name": row["name"],
                "level": row["level"],
                "parent": units[row["parent"]] if row["parent"] else None,
                "last_year_id": row["last_year"],
                "position": position,
                "source_note": row.get("source_note", ""),
            },
        )
    objectives = data.get("corporate_objectives", {"priorities": []})
    for row in objectives["priorities"]:
        _save(
            CorporateObjective,
            {"council": council, "framework": objectives["framework"], "number": row["number"]},
            {"title": row["title"]},
        )
    for row in data.get("themes", []):
        _save(Theme, {"slug": row["slug"]}, {"name": row["name"]})
    for template_data in data["templates"]:
        template = _save(
            PlanTemplate,
            {"slug": template_data["slug"]},
            {"name": template_data["name"], "description": template_data["description"]},
        )
        # Park the positions first, so a template whose sections were re-ordered or split reloads.
        template.sections.update(order=F("order") + 1000)
        for order, section_data in enumerate(template_data["sections"], start=1):
            section = _save(
                TemplateSection,
                {"template": template, "code": section_data["code"]},
                {"order": order, "title": section_data["title"], "guidance": section_data.get("guidance", "")},
            )
            for table_order, spec in enumerate(section_data["tables"], start=1):
                _load_template_table(section, table_order, spec)
    return council


def _load_template_table(section, order: int, spec):
    """A built-in table ("risks") or a custom one: {"slug", "title", "help_text", "columns": [...]}, and
    "delivered_by_actions": true for a programme's projects (plan actions may be linked to its rows)."""
    if isinstance(spec, str):
        return _save(TemplateSectionTable, {"section": section, "kind": spec}, {"order": order})
    table = _save(
        TemplateSectionTable,
        {"section": section, "kind": TableKind.CUSTOM, "slug": spec["slug"]},
        {
            "order": order,
            "title": spec["title"],
            "help_text": spec.get("help_text", ""),
            "delivered_by_actions": spec.get("delivered_by_actions", False),
        },
    )
    for column_order, column in enumerate(spec["columns"], start=1):
        _save(
            TableColumn,
            {"table": table, "key": column["key"]},
            {
                "order": column_order,
                "heading": column["heading"],
                "data_type": column.get("type", TableColumn.DataType.TEXT),
                "choices": "\n".join(column.get("choices", [])),
                "required": column.get("required", False),
                "help_text": column.get("help_text", ""),
            },
        )
    return table


def load_plan_content(plan: Plan, row: dict) -> None:
    """Narrative by section code and custom-table rows by table slug, as a seed file gives them."""
    sections = {s.code: s for s in plan.template.sections.all()}
    for code, body in row.get("sections", {}).items():
        _save(
            PlanSection,
            {"plan": plan, "template_section": sections[code]},
            {"body": body, "progress": PlanSection.Progress.COMPLETED},
        )
    tables = {
        t.slug: t
        for t in TemplateSectionTable.objects.filter(section__template=plan.template, kind="custom")
        .select_related("section")
        .prefetch_related("columns")
    }
    for slug, rows in row.get("tables", {}).items():
        table = tables[slug]
        for number, cells in enumerate(rows, start=1):
            _save(
                TableRow,
                {"plan": plan, "table": table, "number": number},
                {"values": cells.get("values", {}), "source_note": cells.get("source_note", "")},
            )


@transaction.atomic
def load_historic_organisation(data: dict) -> list[Plan]:
    """An earlier structure (units, templates) and the header of each plan it lists."""
    council = load_organisation(data)
    for link in data.get("successors", []):
        unit = Unit.objects.get(council=council, code=link["unit"], first_year_id=link["first_year"])
        unit.predecessors.add(
            Unit.objects.get(council=council, code=link["predecessor"], first_year_id=link["predecessor_first_year"])
        )
    plans = []
    for row in data.get("plans", []):
        year = parse_financial_year(row["year"])
        plans.append(
            _save(
                Plan,
                {
                    "unit": Unit.objects.in_year(year).get(council=council, code=row["unit"]),
                    "year_id": year,
                    "version_label": row["version_label"],
                },
                {
                    "template": PlanTemplate.objects.get(slug=row["template"]),
                    "title": row["title"],
                    "status": Plan.Status.PUBLISHED,
                    "version_date": datetime.date.fromisoformat(row["version_date"])
                    if row.get("version_date")
                    else None,
                    **{name: row.get(name, "") for name in HEADER_TEXT_FIELDS},
                    "source": f"Transcribed from {Path(data['source']).name}: {row['title']}.",
                    "source_note": row.get("source_note", ""),
                },
            )
        )
        load_plan_content(plans[-1], row)
    return plans


@transaction.atomic
def load_plan(data: dict, *, council: Council, template_slug: str = "divisional-2013-14") -> Plan:
    source = data["source"]
    p = data["plan"]
    header = p["header"]
    year = parse_financial_year(p["year"])
    unit = Unit.objects.in_year(year).get(council=council, code=p["division"])
    template = PlanTemplate.objects.get(slug=template_slug)
    plan = _save(
        Plan,
        {"unit": unit, "year_id": year, "version_label": p["version_label"]},
        {
            "template": template,
            "title": p["title"],
            "version_date": datetime.date.fromisoformat(p["version_date"]),
            # The status is not printed in the plan; the FSC mid-year monitoring report of
            # December 2013 reports on it, so it was in force: Published.
            "status": Plan.Status.PUBLISHED,
            "cabinet_portfolio": header["cabinet_portfolio"],
            "corporate_director": header["corporate_director"],
            "director": header["director"],
            "heads_of_service": header["heads_of_service"],
            "gross_expenditure": _decimal(header["gross_expenditure_thousands"]),
            "gross_expenditure_year_id": parse_financial_year(header["gross_expenditure_year"]),
            "fte": _decimal(header["fte"]),
            "fte_at": _month(header["fte_at"]),
            "source": f"Transcribed from {Path(source).name}: {p['title']}, {p['version_label']}. "
            f"Gross expenditure printed as {header['gross_expenditure_printed']}.",
            "source_note": "Status reconstructed: the plan does not print one; it is shown as Published because the "
            "FSC mid-year monitoring report of 5 December 2013 reports progress against it.",
        },
    )
    sections = {s.code: s for s in template.sections.all()}
    for code, body in p["sections"].items():
        _save(
            PlanSection,
            {"plan": plan, "template_section": sections[code]},
            {"body": body, "progress": PlanSection.Progress.COMPLETED},
        )

    themes = {t.slug: t for t in Theme.objects.all()}
    for pr in p["priorities"]:
        priority = _save(
            Priority,
            {"plan": plan, "number": pr["number"]},
            {"title": pr["title"], "description": pr["description"], "source_note": pr.get("source_note", "")},
        )
        priority.themes.set([themes[slug] for slug in pr["themes"]])
        for headline in pr["actions"]:
            for row in [headline, *headline.get("sub_actions", [])]:
                number, _, sub = row["number"].partition(".")
                _save(
                    Action,
                    {"priority": priority, "number": int(number), "sub_number": int(sub or 0)},
                    {
                        "text": row["text"],
                        "officer": row["officer"],
                        "start": _month(row["start"]),
                        "end": _month(row["end"]),
                        "source_note": row.get("source_note", ""),
                    },
                )
        for row in pr["milestones"]:
            _save(
                Milestone,
                {"priority": priority, "letter": row["letter"]},
                {"text": row["text"], "due": _month(row["due"]), "source_note": row.get("source_note", "")},
            )
        for row in pr["decisions"]:
            _save(
                Decision,
                {"priority": priority, "number": row["number"]},
                {
                    "text": row["text"],
                    "in_forward_plan": row["in_forward_plan"],
                    "source_note": row.get("source_note", ""),
                },
            )

    for number, row in enumerate(p["risks"], start=1):
        _save(
            Risk,
            {"plan": plan, "number": number},
            {"risk": row["risk"], "mitigation": row["mitigation"], "source_note": row.get("source_note", "")},
        )
    for number, row in enumerate(p["critical_functions"], start=1):
        _save(
            CriticalFunction,
            {"plan": plan, "number": number},
            {
                "name": row["name"],
                "timescale": row["timescale"],
                "minimum_service_level": row["minimum_service_level"],
                "source_note": row.get("source_note", ""),
            },
        )
    for number, row in enumerate(p["support_needed"], start=1):
        _save(
            SupportNeeded,
            {"plan": plan, "number": number},
            {
                "activity": row["activity"],
                "impact": row["impact"],
                "expected": _month(row["expected"]),
                "source_note": row.get("source_note", ""),
            },
        )
    hr = p["human_resources"]
    _save(
        StaffingEstablishment,
        {"plan": plan},
        {
            "fte_establishment": _decimal(hr["fte_establishment"]),
            "fte_establishment_printed": hr["fte_establishment_printed"],
            "establishment_at": datetime.date.fromisoformat(hr["fte_establishment_at"]),
            "fte_estimate": _decimal(hr["fte_estimate"]),
            "variance_reasons": hr["variance_reasons"],
            "source_note": hr.get("source_note", ""),
        },
    )
    return plan


@transaction.atomic
def link_plan_objectives(data: dict, council: Council):
    links = data["plan_objectives"]
    plan = Plan.objects.filter(unit__code=links["plan"]["unit"], year_id=links["plan"]["year"]).first()
    if plan is None:
        return
    framework = data["corporate_objectives"]["framework"]
    for emphasis in (PlanObjective.Emphasis.FOCUS, PlanObjective.Emphasis.CONTRIBUTES):
        for number in links[emphasis.value]:
            objective = CorporateObjective.objects.get(council=council, framework=framework, number=number)
            _save(PlanObjective, {"plan": plan, "objective": objective}, {"emphasis": emphasis})


@transaction.atomic
def load_all() -> list[Plan]:
    organisation = read_seed(ORGANISATION_FILE)
    council = load_organisation(organisation)
    plans = [load_plan(read_seed(name), council=council) for name in PLAN_FILES]
    link_plan_objectives(organisation, council)
    for name in HISTORIC_ORGANISATION_FILES:
        plans += load_historic_organisation(read_seed(name))
    return plans
