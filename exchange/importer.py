"""Importing a plan: read the file, check everything, show what would change, then write it all or nothing.

    book = workbook.read_upload(name, data)                    # FileRefused if it cannot be read at all
    preview = plan_import_preview(book=book, target=target, user=user)
    preview.problems                                           # every rejected row: sheet, row, column, reason
    preview.sheets                                             # per sheet: added, changed, unchanged, left alone
    plan = plan_import_apply(book=book, target=target, user=user, fingerprint=preview.fingerprint)

The target is an existing draft (Target(plan_id=…)) or a plan named by unit, year and version label
(from the Target or the file's Plan sheet): if that plan exists and is a draft the user may change,
the file is imported into it, otherwise a new draft is created. plan_import_apply() recomputes the
preview inside its transaction, against the data as it is then, and writes nothing if there is any
problem, or if the changes differ from the preview the user confirmed (its fingerprint).

Decisions:
- Rows the file does not hold are left alone: an import adds and changes rows, never deletes them.
- A row is written only when one of its values differs, so importing the same file again writes
  nothing (and no history record).
- The Plan sheet's Council, Unit, Year, Version label and Template say which plan the file is for;
  they are never changed by an import, and neither is the plan's status.
- user=None is the command line (manage.py import_plan): no permission check, as for the admin shell.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from common.models import FinancialYear
from common.years import financial_year_label
from exchange import sheets as registry
from exchange import workbook
from exchange.sheets import FIELDS, ParsedRow, ParsedSheet, Problem, SheetMapping, _normal
from organisation.models import Unit
from plans.models import CorporateObjective, Plan, PlanTemplate, Priority, TemplateSection, Theme

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


class ImportRefused(Exception):
    """The import wrote nothing: preview.problems says why."""

    def __init__(self, preview):
        super().__init__(f"{len(preview.problems)} problem(s)")
        self.preview = preview


class PreviewOutdated(Exception):
    """The plan changed after the preview was shown: nothing written; preview is the new one."""

    def __init__(self, preview):
        super().__init__("The plan changed since the preview.")
        self.preview = preview


@dataclass
class Target:
    """Where the file goes: an existing plan, or the plan of this unit, year and version label."""

    plan_id: int | None = None
    unit_id: int | None = None
    unit_code: str = ""
    year: int | None = None
    version_label: str = ""
    template_slug: str = ""

    def to_json(self) -> dict:
        return self.__dict__.copy()

    @classmethod
    def from_json(cls, data: dict) -> "Target":
        return cls(**data)


@dataclass
class Change:
    mapping: SheetMapping
    kind: str
    row: ParsedRow
    key: tuple
    label: str
    values: dict  # what is written: every value given for a new row, the changed ones otherwise
    obj: object = None
    fields: list = field(default_factory=list)  # (column heading, was, now)

    @property
    def summary(self) -> str:
        for column in self.mapping.columns:
            if column.read and not column.key and column.kind in ("text", "short_text"):
                value = self.row.values.get(column.field)
                if value:
                    return value
        return ""


@dataclass
class SheetPreview:
    mapping: SheetMapping
    in_file: bool = True
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    left_alone: int = 0
    rejected: int = 0

    @property
    def title(self):
        return self.mapping.title

    @property
    def added(self):
        return [change for change in self.changes if change.kind == ADDED]

    @property
    def changed(self):
        return [change for change in self.changes if change.kind == CHANGED]


@dataclass
class Preview:
    target_label: str = ""
    creating: bool = False
    plan: Plan | None = None
    sheets: list[SheetPreview] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    context: "ImportContext | None" = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def change_count(self) -> int:
        return sum(len(sheet.changes) for sheet in self.sheets)

    @property
    def fingerprint(self) -> str:
        """What the user confirms: the target and every change with its old and new value."""
        content = [
            self.target_label,
            self.creating,
            [
                [sheet.title, [[c.kind, c.label, [list(f) for f in c.fields]] for c in sheet.changes]]
                for sheet in self.sheets
            ],
        ]
        return hashlib.sha256(json.dumps(content, default=str, sort_keys=True).encode()).hexdigest()


class ImportContext:
    """What the sheets need to know about the target: its plan, template, council and lookups, each
    read once (so a preview takes the same number of queries however long the file)."""

    def __init__(self, *, user, plan=None, unit=None, year=None, template=None, version_label="", creating=False):
        self.user = user
        self.plan = plan
        self.unit = plan.unit if plan else unit
        self.year = plan.year_id if plan else year
        self.template = plan.template if plan else template
        self.version_label = version_label
        self.creating = creating
        self._known: dict[str, set] = {}
        self._cache: dict[str, object] = {}
        self.priorities: dict[int, Priority] = (
            {p.number: p for p in Priority.objects.filter(plan=plan)} if plan and not creating else {}
        )
        self.priority_numbers: set[int] = set(self.priorities)

    def _once(self, name, load):
        if name not in self._cache:
            self._cache[name] = load()
        return self._cache[name]

    @property
    def council_name(self) -> str:
        return self.unit.council.name if self.unit else "this council"

    @property
    def template_sections(self) -> dict[str, TemplateSection]:
        if self.template is None:
            return {}
        return self._once(
            "sections",
            lambda: {
                s.code.upper(): s
                for s in TemplateSection.objects.filter(template=self.template).prefetch_related("tables")
            },
        )

    @property
    def template_kinds(self) -> set[str]:
        return {table.kind for section in self.template_sections.values() for table in section.tables.all()}

    @property
    def themes(self) -> dict[str, Theme]:
        def load():
            found = {}
            for theme in Theme.objects.all():
                found[_normal(theme.name)] = theme
                found[_normal(theme.slug)] = theme
            return found

        return self._once("themes", load)

    def theme(self, name) -> Theme | None:
        return self.themes.get(_normal(name))

    @property
    def objectives(self) -> dict[tuple, CorporateObjective]:
        def load():
            if self.unit is None:
                return {}
            return {
                (_normal(o.framework), o.number): o
                for o in CorporateObjective.objects.filter(council=self.unit.council)
            }

        return self._once("objectives", load)

    def objective(self, framework, number) -> CorporateObjective | None:
        return self.objectives.get((_normal(framework), number))

    @property
    def years(self) -> set[int]:
        return self._once("years", lambda: set(FinancialYear.objects.values_list("start_year", flat=True)))

    def known_keys(self, sheet_key: str) -> set:
        return self._known.get(sheet_key, set())

    def new_plan(self) -> Plan:
        return Plan(
            unit=self.unit,
            year_id=self.year,
            template=self.template,
            version_label=self.version_label,
            status=Plan.Status.DRAFT,
        )


# --- reading the sheets ----------------------------------------------------------------------------


def parse_book(book: workbook.RawBook, *, table: str | None = None, domain: str = "plan", template=None):
    """Each sheet of the file read with its mapping (the registered ones and those of the plan's
    template) -> (parsed sheets in import order, file problems)."""
    problems: list[Problem] = []
    parsed: dict[str, ParsedSheet] = {}
    known = registry.mappings(domain, template)
    for raw in book.sheets:
        if raw.name is None:
            mapping = _mapping_for_csv(raw, known, table, problems)
        elif _normal(raw.name) == _normal(registry.INSTRUCTIONS_TITLE):
            continue
        else:
            mapping = next((m for m in known if m.matches(raw.name)), None)
            if mapping is None:
                if raw.rows or raw.header:
                    titles = ", ".join(m.title for m in known)
                    problems.append(
                        Problem(
                            raw.name[:60],
                            None,
                            None,
                            f"The import does not read a sheet called “{raw.name[:60]}”. The sheets it reads are: "
                            f"{titles} (and Instructions, which it skips). Rename or remove the sheet.",
                        )
                    )
                continue
        if mapping is None:
            continue
        if mapping.key in parsed:
            problems.append(Problem(mapping.title, None, None, f"The file has two {mapping.title} sheets: keep one."))
            continue
        parsed[mapping.key] = mapping.parse(raw, kind_of_file=book.kind, escaped=book.escaped)
    if not parsed and not problems:
        titles = ", ".join(m.title for m in known)
        problems.append(Problem("", None, None, f"The file has none of the sheets the import reads: {titles}."))
    elif parsed and not problems and not any(sheet.rows or sheet.problems for sheet in parsed.values()):
        problems.append(
            Problem("", None, None, "The file has headings but no rows under them: there is nothing to import.")
        )
    return sorted(parsed.values(), key=lambda sheet: sheet.mapping.order), problems


def _mapping_for_csv(raw, known, table, problems) -> SheetMapping | None:
    if table:
        mapping = next((m for m in known if m.matches(table)), None)
        if mapping is None:
            problems.append(Problem("", None, None, f"“{table}” is not a table the import reads."))
        return mapping
    headings = [h for h in raw.header if not isinstance(h, workbook.Formula) and str(h or "").strip()]
    candidates = []
    for mapping in known:
        if mapping.layout == FIELDS:
            names = {_normal(h) for h in headings}
            if {"field", "value"} <= names and names <= {"field", "value", "about"}:
                candidates.append(mapping)
            continue
        columns = [mapping._find_column(str(h)) for h in headings]
        present = {column.field for column in columns if column}
        if all(columns) and all(name in present for name in mapping.key_fields):
            candidates.append(mapping)
    if len(candidates) == 1:
        return candidates[0]
    shown = ", ".join(str(h)[:40] for h in headings[:12])
    if not candidates:
        problems.append(
            Problem(
                "CSV file",
                raw.header_row,
                None,
                f"The columns of this CSV file ({shown}) are not those of any table the import reads. Download the "
                "template to see each table's columns.",
            )
        )
    else:
        names = " or ".join(m.title for m in candidates)
        problems.append(
            Problem("CSV file", raw.header_row, None, f"These columns fit {names}: choose which table the file holds.")
        )
    return None


# --- the target ------------------------------------------------------------------------------------


def _plan_row(book: workbook.RawBook, table: str | None) -> ParsedRow | None:
    """The Plan sheet's record, read first: it names the plan, whose template may define more sheets."""
    mapping = registry.mapping_for("plan")
    for raw in book.sheets:
        is_plan_csv = raw.name is None and (
            (table and mapping.matches(table))
            or (
                not table and {_normal(h) for h in raw.header if isinstance(h, str) and h.strip()} >= {"field", "value"}
            )
        )
        if (raw.name is not None and mapping.matches(raw.name)) or is_plan_csv:
            parsed = mapping.parse(raw, kind_of_file=book.kind, escaped=book.escaped)
            return parsed.rows[0] if parsed.rows else None
    return None


def _resolve_target(target: Target, plan_row: ParsedRow | None, user, problems: list[Problem]):
    """-> ImportContext, or None with problems when the file's plan cannot be found or made."""
    given = plan_row.values if plan_row else {}
    sheet = "Plan"
    if target.plan_id:
        plan = Plan.objects.with_unit().select_related("unit__council").filter(pk=target.plan_id).first()
        if plan is None:
            problems.append(Problem("", None, None, "The plan you chose no longer exists."))
            return None
        return _existing_target(plan, user, problems)

    year = target.year or given.get("year")
    version_label = (target.version_label or given.get("version_label") or "").strip()
    unit = Unit.objects.select_related("council").filter(pk=target.unit_id).first() if target.unit_id else None
    code = target.unit_code or given.get("unit") or ""
    if year is None:
        problems.append(Problem(sheet, None, "Year", "Give the plan's financial year (for example 2013-14)."))
    if not version_label:
        problems.append(Problem(sheet, None, "Version label", "Give the plan's version label (for example Draft v 1)."))
    if unit is None and not code:
        problems.append(Problem(sheet, None, "Unit", "Give the code of the plan's unit (for example LDMH)."))
    if problems:
        return None
    if unit is None:
        units = Unit.objects.select_related("council").in_year(year).filter(code__iexact=code)
        if given.get("council"):
            units = units.filter(council__short_name__iexact=given["council"])
        units = list(units[:2])
        if not units:
            problems.append(
                Problem(
                    sheet, None, "Unit", f"There is no unit {code} in {financial_year_label(year)}: check the code."
                )
            )
            return None
        if len(units) > 1:
            problems.append(
                Problem(sheet, None, "Council", f"Several councils have a unit {code}: give the council's short name.")
            )
            return None
        unit = units[0]
    elif not unit.exists_in(year):
        problems.append(Problem(sheet, None, "Year", f"{unit} did not exist in {financial_year_label(year)}."))
        return None
    if user is not None and not user.has_perm("exchange.import_plan_for_unit", unit):
        problems.append(Problem(sheet, None, "Unit", f"You cannot import plans for {unit}."))
        return None
    existing = (
        Plan.objects.with_unit()
        .select_related("unit__council")
        .filter(unit=unit, year_id=year, version_label=version_label)
    )
    plan = existing.first()
    if plan is not None:
        return _existing_target(plan, user, problems, by_label=True)

    slug = target.template_slug or given.get("template") or ""
    template = PlanTemplate.objects.filter(slug__iexact=slug).first() if slug else None
    if template is None:
        message = (
            f"There is no plan template “{slug}”."
            if slug
            else "Give the plan's template (for example divisional-2013-14)."
        )
        problems.append(Problem(sheet, None, "Template", message))
        return None
    if plan_row is None:
        problems.append(
            Problem("", None, None, "A new plan needs a Plan sheet with at least its title: add one to the file.")
        )
        return None
    return ImportContext(user=user, unit=unit, year=year, template=template, version_label=version_label, creating=True)


def _existing_target(plan: Plan, user, problems, by_label=False):
    """A plan chosen by the user (by_label False: 403 unless they may change it) or named by the file
    (by_label: the file's unit, year and version label name a plan that exists; a problem if it cannot
    be imported into, so that the user can give another version label)."""
    not_draft = plan.status != Plan.Status.DRAFT
    if by_label:
        if not_draft:
            problems.append(
                Problem(
                    "Plan",
                    None,
                    None,
                    f"A plan with this unit, year and version label already exists and is "
                    f"{plan.get_status_display().lower()}: only a draft can be imported into. Give another version "
                    "label to import the file as a new draft.",
                )
            )
            return None
        if user is not None and not user.has_perm("plans.change_plan", plan):
            problems.append(
                Problem(
                    "Plan",
                    None,
                    "Version label",
                    "A plan with this unit, year and version label already exists and you cannot change it: give "
                    "another version label.",
                )
            )
            return None
    else:
        if user is not None and not user.has_perm("plans.change_plan", plan):
            raise PermissionDenied("You cannot change this plan.")
        if not_draft:
            problems.append(
                Problem(
                    "Plan",
                    None,
                    None,
                    f"This plan is {plan.get_status_display().lower()}: only a draft can be imported into. Start a new "
                    "version first.",
                )
            )
            return None
    return ImportContext(user=user, plan=plan)


def _target_label(ctx: ImportContext) -> str:
    if ctx.creating:
        return (
            f"A new draft plan: {ctx.unit.name} ({ctx.unit.code}), {financial_year_label(ctx.year)}, "
            f"version “{ctx.version_label}”"
        )
    plan = ctx.plan
    return f"The draft plan {plan.unit.name} ({plan.unit.code}), {plan.year}, version “{plan.version_label}”"


# --- the preview -----------------------------------------------------------------------------------


def plan_import_preview(*, book: workbook.RawBook, target: Target, user=None, table: str | None = None) -> Preview:
    """Everything the import would do, and every problem that stops it. Writes nothing."""
    target_problems: list[Problem] = []
    ctx = _resolve_target(target, _plan_row(book, table), user, target_problems)
    parsed_sheets, problems = parse_book(book, table=table, template=ctx.template if ctx else None)
    preview = Preview(problems=problems + target_problems)
    if ctx is None:
        for parsed in parsed_sheets:
            preview.problems.extend(parsed.problems)
            for row in parsed.rows:
                preview.problems.extend(row.problems)
        return preview
    preview.context = ctx
    preview.creating = ctx.creating
    preview.plan = ctx.plan
    preview.target_label = _target_label(ctx)
    for parsed in parsed_sheets:
        preview.sheets.append(_sheet_preview(parsed, ctx, preview.problems))
    return preview


def _sheet_preview(parsed: ParsedSheet, ctx: ImportContext, problems: list[Problem]) -> SheetPreview:
    mapping = parsed.mapping
    result = SheetPreview(mapping=mapping)
    problems.extend(parsed.problems)
    if mapping.table_kind and parsed.rows and ctx.template is not None and mapping.table_kind not in ctx.template_kinds:
        problems.append(
            Problem(
                mapping.title,
                None,
                None,
                f"The plan's template ({ctx.template.name}) has no table for this sheet: remove the sheet or its rows.",
            )
        )
    existing = mapping.existing(ctx)
    if mapping.layout == FIELDS:
        for row in parsed.rows:
            row.key = ("plan",)
    first_row: dict[tuple, int | None] = {}
    for row in parsed.rows:
        if row.key is not None:
            mapping.resolve(row, ctx)
        if row.key is not None and not row.problems:
            # Names resolve to what is stored ("a" to section A): two rows may only now be the same.
            if row.key in first_row and mapping.layout != FIELDS:
                field = mapping.key_fields[-1]
                row.problem(
                    mapping,
                    field,
                    f"{mapping.describe(row.key)} is also on row {first_row[row.key]}: each appears once.",
                )
            first_row.setdefault(row.key, row.row)
    file_keys = {row.key for row in parsed.rows if row.key is not None}
    ctx._known[mapping.key] = set(existing) | file_keys
    if mapping.key == "priorities":
        ctx.priority_numbers |= {key[0] for key in file_keys}
    identity = set(getattr(mapping, "identity", ()))
    for row in parsed.rows:
        if row.key is None:
            problems.extend(row.problems)
            result.rejected += 1
            continue
        found = existing.get(row.key)
        if mapping.skip(row, found):
            problems.extend(row.problems)
            result.rejected += bool(row.problems)
            continue
        merged = {**(found.values if found else {}), **row.values}
        mapping.check(row, merged, ctx)
        if not row.problems:
            mapping.validate(row, found, merged, ctx)
        if row.problems:
            problems.extend(row.problems)
            result.rejected += 1
            continue
        if _differs(mapping, row, found, identity):
            result.changes.append(_change(mapping, row, found, identity))
        else:
            result.unchanged += 1
    seen = {row.key for row in parsed.rows}
    result.left_alone = len([key for key in existing if key not in seen])
    return result


def _readable(mapping, name, identity) -> bool:
    column = mapping.column(name)
    return column is not None and column.read and not column.key and name not in identity


def _differs(mapping, row, found, identity) -> bool:
    if found is None:
        return True
    return any(
        _readable(mapping, name, identity) and found.values.get(name) != value for name, value in row.values.items()
    )


def _change(mapping: SheetMapping, row: ParsedRow, found, identity) -> Change:
    label = mapping.describe(row.key) if mapping.layout != FIELDS else "Plan details"
    if found is None:
        values = {name: value for name, value in row.values.items() if name not in identity}
        fields = [
            (mapping.column(name).header, "", mapping.column(name).show(value))
            for name, value in row.values.items()
            if _readable(mapping, name, identity) and value not in (None, "", ())
        ]
        return Change(mapping, ADDED, row, row.key, label, values, None, fields)
    changed = {
        name: value
        for name, value in row.values.items()
        if _readable(mapping, name, identity) and found.values.get(name) != value
    }
    fields = [
        (
            mapping.column(name).header,
            mapping.column(name).show(found.values.get(name)),
            mapping.column(name).show(value),
        )
        for name, value in changed.items()
    ]
    return Change(mapping, CHANGED, row, row.key, label, changed, found.obj, fields)


# --- writing ---------------------------------------------------------------------------------------


def plan_import_apply(
    *, book: workbook.RawBook, target: Target, user=None, table: str | None = None, fingerprint: str | None = None
) -> Plan:
    """Check the file again against the data as it is now, then write every change or none.

    Raises ImportRefused (with the problems) or PreviewOutdated (with the new preview) having
    written nothing; PermissionDenied if the user may not change the target plan.
    """
    with transaction.atomic():
        if target.plan_id:
            # Serialises imports into the same plan: the second waits, then sees the first's rows.
            Plan.objects.select_for_update().filter(pk=target.plan_id).first()
        preview = plan_import_preview(book=book, target=target, user=user, table=table)
        if preview.problems:
            raise ImportRefused(preview)
        if fingerprint is not None and fingerprint != preview.fingerprint:
            raise PreviewOutdated(preview)
        ctx = preview.context
        for sheet in preview.sheets:
            for change in sheet.changes:
                _write(change, ctx, preview)
        return ctx.plan


def _write(change: Change, ctx: ImportContext, preview: Preview):
    try:
        with transaction.atomic():
            change.mapping.write(change, ctx)
    except ValidationError as error:
        messages = [message for messages in _messages(error) for message in messages]
        preview.problems.append(
            Problem(change.mapping.title, change.row.row, None, f"{change.label}: {' '.join(messages)}")
        )
        raise ImportRefused(preview) from error
    except (IntegrityError, DatabaseError) as error:
        preview.problems.append(
            Problem(
                change.mapping.title,
                change.row.row,
                None,
                f"{change.label} could not be saved: someone may have changed the plan at the same moment. Try again.",
            )
        )
        raise ImportRefused(preview) from error


def _messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [list(messages) for messages in error.message_dict.values()]
    return [list(error.messages)]
