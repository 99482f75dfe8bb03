"""The sheets of a plan workbook: Plan, Sections, Corporate objectives, Priorities, Actions,
Milestones, Decisions, Risks, Critical functions and Support needed.

Each sheet's rows are matched on their natural key: a section by its code, a priority by its number,
an action by its priority and number ("1" or "1.1"), a milestone by its priority and letter, a
decision by its priority and number, a risk, critical function or support row by its number. The
Plan sheet holds one record as "Field | Value" rows.
"""

import re

from django.core.exceptions import ValidationError

from exchange.sheets import FIELDS, SOURCE_NOTE_HELP, Column, Existing, ModelSheet, SheetMapping, register
from plans.models import (
    Action,
    CriticalFunction,
    Decision,
    Milestone,
    Plan,
    PlanObjective,
    PlanSection,
    Priority,
    Risk,
    SupportNeeded,
    TableKind,
)

SOURCE_NOTE = Column("Note on the source", "source_note", help=SOURCE_NOTE_HELP)


@register
class PlanSheet(SheetMapping):
    key = "plan"
    title = "Plan"
    order = 10
    layout = FIELDS
    noun = "plan"
    description = (
        "The plan's header facts, one per row: the field in column A, its value in column B. Council, Unit, "
        "Year and Version label say which plan the file is for; the import never changes them (nor the status)."
    )
    identity = ("council", "unit", "year", "version_label", "template")
    columns = (
        Column("Council", "council", "code", help="The council's short name, for example KCC."),
        Column("Unit", "unit", "code", help="The unit's short code, for example LDMH."),
        Column("Unit name", "unit_name", "short_text", read=False, help="For reference only: not imported."),
        Column("Year", "year", "year", help="The financial year, for example 2013-14."),
        Column("Version label", "version_label", "short_text", help="As printed, for example Final Draft v 6."),
        Column("Template", "template", "code", help="The plan template's short name, for example divisional-2013-14."),
        Column("Status", "status", "short_text", read=False, help="For reference only: the workflow sets it."),
        Column("Title", "title", "short_text", help="As printed, for example Divisional Business Plan 2013-14."),
        Column("Version date", "version_date", "date", help="For example 16/12/2012."),
        Column("Cabinet portfolio", "cabinet_portfolio", "short_text"),
        Column("Responsible corporate director", "corporate_director", "short_text"),
        Column("Responsible director", "director", "short_text"),
        Column("Head(s) of service", "heads_of_service", "short_text"),
        Column("Gross expenditure (£'000)", "gross_expenditure", "decimal1", help="In thousands of pounds."),
        Column("Gross expenditure year", "gross_expenditure_year", "year", help="Usually the previous year."),
        Column("FTE", "fte", "decimal1", help="Full-time equivalent posts, to one decimal place."),
        Column("FTE at", "fte_at", "month", help="The month of the FTE figure, for example November 2012."),
        Column("Source", "source", "text", help="Where this plan's content came from."),
        SOURCE_NOTE,
    )

    ATTRIBUTES = {"gross_expenditure_year": "gross_expenditure_year_id"}

    def values_of(self, plan) -> dict:
        values = {
            "council": plan.unit.council.short_name,
            "unit": plan.unit.code,
            "unit_name": plan.unit.name,
            "year": plan.year_id,
            "version_label": plan.version_label,
            "template": plan.template.slug,
            "status": plan.get_status_display(),
        }
        for column in self.columns:
            if column.field not in values:
                values[column.field] = getattr(plan, self.ATTRIBUTES.get(column.field, column.field))
        return values

    def export_rows(self, plan) -> list[dict]:
        return [self.values_of(plan)]

    def blank_rows(self, template) -> list[dict]:
        values = {column.field: column.parse(None) for column in self.columns}
        values["template"] = template.slug
        return [values]

    def existing(self, ctx) -> dict:
        if ctx.plan is None:
            return {}
        return {("plan",): Existing(ctx.plan, self.values_of(ctx.plan))}

    def check(self, row, merged, ctx):
        if ctx.plan is not None and not ctx.creating:
            facts = {
                "council": ctx.plan.unit.council.short_name,
                "unit": ctx.plan.unit.code,
                "year": ctx.plan.year_id,
                "template": ctx.plan.template.slug,
            }
            for name, expected in facts.items():
                given = row.values.get(name)
                if given not in (None, "") and str(given).lower() != str(expected).lower():
                    column = self.column(name)
                    row.problem(
                        self,
                        name,
                        f"The file is for {column.header.lower()} {column.show(given)}, but you are importing into the "
                        f"plan of {column.show(expected)}: check you chose the right file and plan, or clear this "
                        "cell.",
                    )
        year = row.values.get("gross_expenditure_year")
        if year is not None and year not in ctx.years:
            row.problem(
                self,
                "gross_expenditure_year",
                f"{self.column('gross_expenditure_year').show(year)} is not a year set up in Kent Plans.",
            )

    def validate(self, row, existing, merged, ctx):
        plan = existing.obj if existing else ctx.new_plan()
        candidate = Plan(**{f.attname: getattr(plan, f.attname) for f in Plan._meta.concrete_fields})
        if plan.unit_id:
            candidate.unit = plan.unit
        for name, value in merged.items():
            if name not in self.identity and self.column(name) and self.column(name).read:
                setattr(candidate, self.ATTRIBUTES.get(name, name), value)
        try:
            candidate.full_clean(
                exclude=["unit", "year", "template", "previous_version", "gross_expenditure_year", "version_label"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                name = attribute if self.column(attribute) else None
                for message in messages:
                    if message == "This field cannot be blank." and name:
                        message = f"Enter the plan's {self.column(name).header.lower()}."
                    row.problem(self, name, message)

    def write(self, change, ctx):
        plan = change.obj
        if plan is None:
            plan = ctx.new_plan()
        for name, value in change.values.items():
            if name not in self.identity and self.column(name) and self.column(name).read:
                setattr(plan, self.ATTRIBUTES.get(name, name), value)
        plan.full_clean()
        if ctx.user is not None:
            plan._history_user = ctx.user
        plan.save()
        ctx.plan = plan
        return plan


@register
class SectionsSheet(ModelSheet):
    key = "sections"
    title = "Sections"
    order = 20
    model = PlanSection
    noun = "section"
    description = (
        "The narrative of each section of the template, one row per section. Narrative is Markdown: a blank line "
        "between paragraphs, “- ” at the start of a line for a bullet. A row with no narrative and no progress "
        "is skipped."
    )
    columns = (
        Column("Section", "code", "code", key=True, help="The section's letter as printed: A, B, C …"),
        Column("Title", "section_title", "short_text", read=False, help="For reference only: not imported."),
        Column(
            "Progress",
            "progress",
            "choice",
            choices=tuple(PlanSection.Progress.choices),
            help="Not started, In progress or Completed; blank leaves it as it is.",
        ),
        Column("Narrative", "body", "text", help="The section's text, in Markdown."),
    )

    def queryset(self, plan):
        return PlanSection.objects.filter(plan=plan).select_related("template_section")

    def from_model(self, obj):
        return {
            "code": obj.template_section.code,
            "section_title": obj.template_section.title,
            "progress": obj.progress,
            "body": obj.body,
        }

    def to_model(self, values):
        return {name: values[name] for name in ("progress", "body") if name in values}

    def export_rows(self, plan):
        written = {row["code"]: row for row in super().export_rows(plan)}
        rows = []
        for section in plan.template.sections.all():
            rows.append(
                written.get(section.code)
                or {"code": section.code, "section_title": section.title, "progress": None, "body": ""}
            )
        return rows

    def blank_rows(self, template):
        return [
            {"code": section.code, "section_title": section.title, "progress": None, "body": ""}
            for section in template.sections.all()
        ]

    def skip(self, row, existing) -> bool:
        return existing is None and not row.values.get("body") and not row.values.get("progress")

    def resolve(self, row, ctx):
        code = row.values.get("code")
        if code and code.upper() in ctx.template_sections:
            row.values["code"] = code.upper()
            row.key = (code.upper(),)
        elif code:
            codes = ", ".join(ctx.template_sections) or "none"
            row.problem(self, "code", f"Section {code} is not in the plan's template, whose sections are {codes}.")
        if row.values.get("progress") is None:
            row.values.pop("progress", None)  # blank: left as it is

    def new_instance(self, key, ctx):
        section = PlanSection(template_section=ctx.template_sections.get(key[0]))
        if ctx.plan is not None:
            section.plan = ctx.plan
        return section

    def validate(self, row, existing, merged, ctx):
        obj = existing.obj if existing else self.new_instance(row.key, ctx)
        candidate = PlanSection(progress=obj.progress, body=obj.body)
        for name, value in self.to_model(merged).items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(
                exclude=["plan", "template_section"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.add_validation_problems(row, error)


@register
class ObjectivesSheet(ModelSheet):
    key = "corporate_objectives"
    title = "Corporate objectives"
    order = 30
    model = PlanObjective
    noun = "objective"
    table_kind = TableKind.CORPORATE_OBJECTIVES
    description = (
        "Section B: the council-wide priorities the plan contributes to, for example Bold Steps for Kent priority 12."
    )
    columns = (
        Column("Framework", "framework", "short_text", key=True, help="For example Bold Steps for Kent."),
        Column("Number", "number", "integer", key=True, help="The priority's number in the framework."),
        Column("Title", "objective_title", "short_text", read=False, help="For reference only: not imported."),
        Column(
            "Emphasis",
            "emphasis",
            "choice",
            choices=tuple(PlanObjective.Emphasis.choices),
            help="Focus or Contributes.",
        ),
    )

    def describe(self, key):
        return f"{key[0]} priority {key[1]}"

    def queryset(self, plan):
        return PlanObjective.objects.filter(plan=plan).select_related("objective")

    def from_model(self, obj):
        return {
            "framework": obj.objective.framework,
            "number": obj.objective.number,
            "objective_title": obj.objective.title,
            "emphasis": obj.emphasis,
        }

    def to_model(self, values):
        return {"emphasis": values["emphasis"]} if values.get("emphasis") else {}

    def resolve(self, row, ctx):
        framework, number = row.values.get("framework"), row.values.get("number")
        if not framework or number is None:
            return
        objective = ctx.objective(framework, number)
        if objective is None:
            row.problem(
                self,
                "number",
                f"{framework} has no priority {number} in {ctx.council_name}: check the framework and the number.",
            )
            return
        row.values["framework"] = objective.framework
        row.key = (objective.framework, number)
        if row.values.get("emphasis") is None:
            row.values.pop("emphasis", None)

    def new_instance(self, key, ctx):
        link = PlanObjective(objective=ctx.objective(*key))
        if ctx.plan is not None:
            link.plan = ctx.plan
        return link

    def validate(self, row, existing, merged, ctx):
        if merged.get("emphasis") not in (None, *PlanObjective.Emphasis.values):
            row.problem(self, "emphasis", "Choose Focus or Contributes.")


_OBJECTIVE = re.compile(r"^(?P<framework>.*\S)\s+(?:priority\s+)?(?P<number>\d+)$", re.IGNORECASE)


@register
class PrioritiesSheet(ModelSheet):
    key = "priorities"
    title = "Priorities"
    order = 40
    model = Priority
    noun = "priority"
    table_kind = TableKind.PRIORITIES
    m2m = ("themes", "objectives")
    description = "Section C: the plan's priorities, numbered from 1."
    columns = (
        Column("Number", "number", "integer", key=True, help="1, 2, 3 …"),
        Column("Title", "title", "short_text", help="Short title, for example Prevention."),
        Column("Description", "description", "text"),
        Column(
            "Themes", "themes", "names", help="Theme names separated by semicolons, for example Prevention; People."
        ),
        Column(
            "Corporate objectives",
            "objectives",
            "names",
            help="Framework and number, separated by semicolons: Bold Steps for Kent 12; Bold Steps for Kent 16.",
        ),
        SOURCE_NOTE,
    )

    def queryset(self, plan):
        return Priority.objects.filter(plan=plan).prefetch_related("themes", "corporate_objectives")

    def from_model(self, obj):
        values = super().from_model(obj)
        values["themes"] = tuple(sorted(theme.name for theme in obj.themes.all()))
        values["objectives"] = tuple(
            f"{o.framework} {o.number}" for o in sorted(obj.corporate_objectives.all(), key=_objective_order)
        )
        return values

    def resolve(self, row, ctx):
        if "themes" in row.values:
            names, unknown = [], []
            for name in row.values["themes"]:
                theme = ctx.theme(name)
                (names.append(theme.name) if theme else unknown.append(name))
            if unknown:
                known = "; ".join(sorted(theme.name for theme in ctx.themes.values())) or "none"
                row.problem(
                    self, "themes", f"{'; '.join(unknown)}: not a theme in Kent Plans. The themes are: {known}."
                )
            row.values["themes"] = tuple(sorted(set(names)))
        if "objectives" in row.values:
            found, unknown = [], []
            for text in row.values["objectives"]:
                match = _OBJECTIVE.match(text)
                objective = ctx.objective(match["framework"], int(match["number"])) if match else None
                (found.append(objective) if objective else unknown.append(text))
            if unknown:
                row.problem(
                    self,
                    "objectives",
                    f"{'; '.join(unknown)}: not a corporate objective of {ctx.council_name}. Write each as the "
                    "framework's name and the number, for example Bold Steps for Kent 12.",
                )
            row.values["objectives"] = tuple(
                f"{o.framework} {o.number}" for o in sorted(set(found), key=_objective_order)
            )

    def after_save(self, obj, change, ctx):
        if "themes" in change.values:
            obj.themes.set([ctx.theme(name) for name in change.values["themes"]])
        if "objectives" in change.values:
            objectives = []
            for text in change.values["objectives"]:
                match = _OBJECTIVE.match(text)
                objectives.append(ctx.objective(match["framework"], int(match["number"])))
            obj.corporate_objectives.set(objectives)
        ctx.priorities[obj.number] = obj


def _objective_order(objective):
    return (objective.framework, objective.number)


@register
class ActionsSheet(ModelSheet):
    key = "actions"
    title = "Actions"
    order = 50
    model = Action
    parent = "priority"
    noun = "action"
    table_kind = TableKind.PRIORITIES
    description = (
        "Section C: the actions of each priority. Number 1 is a headline action; 1.1, 1.2 … are its sub-actions, "
        "and a sub-action needs its headline (on this sheet or already in the plan)."
    )
    columns = (
        Column("Priority", "priority", "integer", key=True, help="The number of the priority the action belongs to."),
        Column(
            "Number", "number", "action", key=True, help="As printed: 1 for a headline action, 1.1 for a sub-action."
        ),
        Column("Action", "text", "text", help="What will be done."),
        Column(
            "Accountable officer",
            "officer",
            "short_text",
            help="Exactly as written: one or several names or roles.",
        ),
        Column("Start", "start", "month", help="Month and year, for example April 2013."),
        Column("End", "end", "month", help="Month and year, for example March 2014."),
        SOURCE_NOTE,
    )

    def describe(self, key):
        priority, number = key
        return f"Action {self.column('number').show(number)} of priority {priority}"

    def field_of(self, attribute):
        return "number" if attribute in ("number", "sub_number") else super().field_of(attribute)

    def from_model(self, obj):
        values = super().from_model(obj)
        values["number"] = (obj.number, obj.sub_number)
        return values

    def to_model(self, values):
        result = super().to_model(values)
        if "number" in result:
            result["number"], result["sub_number"] = result.pop("number")
        return result

    def check(self, row, merged, ctx):
        super().check(row, merged, ctx)
        if row.key is not None:
            priority, (number, sub) = row.key
            if sub and (priority, (number, 0)) not in ctx.known_keys("actions"):
                row.problem(
                    self,
                    "number",
                    f"Action {number}.{sub} has no headline action {number} in priority {priority}: add action "
                    f"{number} first, or correct the number.",
                )
        start, end = merged.get("start"), merged.get("end")
        if start and end and end < start:
            row.problem(
                self,
                "end",
                f"The end month ({self.column('end').show(end)}) is before the start month "
                f"({self.column('start').show(start)}).",
            )


@register
class MilestonesSheet(ModelSheet):
    key = "milestones"
    title = "Milestones"
    order = 60
    model = Milestone
    parent = "priority"
    noun = "milestone"
    table_kind = TableKind.PRIORITIES
    description = "Section C: the key milestones of each priority, lettered A, B, C …"
    columns = (
        Column("Priority", "priority", "integer", key=True, help="The number of the priority."),
        Column("Letter", "letter", "letter", key=True, help="A, B, C …"),
        Column("Milestone", "text", "text", help="Often a measurable target."),
        Column("Due", "due", "month", help="Month and year, for example September 2013."),
        SOURCE_NOTE,
    )

    def describe(self, key):
        return f"Milestone {key[1]} of priority {key[0]}"


@register
class DecisionsSheet(ModelSheet):
    key = "decisions"
    title = "Decisions"
    order = 70
    model = Decision
    parent = "priority"
    noun = "decision"
    table_kind = TableKind.PRIORITIES
    description = "Section C: the key or significant decisions that could arise from each priority."
    columns = (
        Column("Priority", "priority", "integer", key=True, help="The number of the priority."),
        Column("Number", "number", "integer", key=True, help="1, 2, 3 … within the priority."),
        Column("Decision", "text", "text"),
        Column(
            "In the Forward Plan?",
            "in_forward_plan",
            "yes_no",
            help="Yes or No; leave blank where the plan does not say.",
        ),
        SOURCE_NOTE,
    )

    def describe(self, key):
        return f"Decision {key[1]} of priority {key[0]}"


@register
class RisksSheet(ModelSheet):
    key = "risks"
    title = "Risks"
    order = 80
    model = Risk
    noun = "risk"
    table_kind = TableKind.RISKS
    description = "Section E: risks with their mitigations."
    columns = (
        Column("Number", "number", "integer", key=True, help="1, 2, 3 …"),
        Column("Risk", "risk", "text"),
        Column("Mitigation", "mitigation", "text"),
        Column("Owner", "owner", "short_text"),
        SOURCE_NOTE,
    )


@register
class CriticalFunctionsSheet(ModelSheet):
    key = "critical_functions"
    title = "Critical functions"
    order = 90
    model = CriticalFunction
    noun = "critical function"
    table_kind = TableKind.CRITICAL_FUNCTIONS
    description = "Section E: business continuity critical functions."
    columns = (
        Column("Number", "number", "integer", key=True, help="1, 2, 3 …"),
        Column("Critical function", "name", "short_text"),
        Column("Description", "description", "text"),
        Column("Recovery timescale", "timescale", "short_text", help="As printed, for example 4 hours."),
        Column("Minimum service level", "minimum_service_level", "text"),
        SOURCE_NOTE,
    )


@register
class SupportNeededSheet(ModelSheet):
    key = "support_needed"
    title = "Support needed"
    order = 100
    model = SupportNeeded
    noun = "support row"
    table_kind = TableKind.SUPPORT_NEEDED
    description = "Section G: activity requiring support from other divisions or services."
    columns = (
        Column("Number", "number", "integer", key=True, help="1, 2, 3 …"),
        Column("Activity", "activity", "text"),
        Column("Expected impact", "impact", "short_text", help="On which service."),
        Column("Expected", "expected", "month", help="Month and year, for example June 2013."),
        SOURCE_NOTE,
    )
