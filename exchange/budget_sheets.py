"""Section D in the plan workbook: the budget lines and the staffing table (budgets app).

Budget lines are matched on their position in the table ("Line", 1, 2, 3 …), as risks are on their
number, because a cost code may be blank (organisational areas) and a name may change. Only keyed
figures are read: gross, controllable and net figures are always worked out (budgets/derivations.py),
and the figures a printed plan prints for them go in the "as printed" columns, kept only to check
the arithmetic. A line's category is named as printed; a name the plan's budget does not have yet
adds that category (after the others). Incomes and grants are negative figures: -1,217.3 or (1,217.3).
"""

from budgets.figures import FIGURES, INCOME_FIGURES, KEYED_FIGURES
from budgets.models import BudgetCategory, BudgetLine, StaffingLine
from exchange.sheets import SOURCE_NOTE_HELP, Column, ModelSheet, register
from plans.models import TableKind

SOURCE_NOTE = Column("Note on the source", "source_note", help=SOURCE_NOTE_HELP)


def _figure_column(name: str) -> Column:
    figure = FIGURES[name]
    if figure.kind == "fte":
        return Column(figure.label, name, "fte", help="Full-time equivalent posts, to two decimal places at most.")
    help_text = "In £'000, negative: -1,217.3 or (1,217.3)." if figure.income else "In £'000."
    return Column(f"{figure.label} (£'000)", name, "money", help=help_text)


@register
class BudgetLinesSheet(ModelSheet):
    key = "budget_lines"
    title = "Budget lines"
    order = 105
    model = BudgetLine
    noun = "budget line"
    table_kind = TableKind.FINANCIAL_RESOURCES
    description = (
        "Section D: the revenue budget, one row per budget line in the order printed. Gross, controllable and net "
        "figures are worked out from the others; type them only in the 'as printed' columns, to check the sums."
    )
    columns = (
        Column("Line", "order", "integer", key=True, help="The line's position in the table: 1, 2, 3 …"),
        Column(
            "Kind of line",
            "kind",
            "choice",
            choices=tuple(BudgetLine.Kind.choices),
            help="Blank for a budget line (cost code).",
        ),
        Column(
            "Category", "category", "short_text", help="The heading the line sits under, for example Residential Care."
        ),
        Column("Code", "code", "code", help="The cost code as printed, for example 44B."),
        Column("Name", "name", "short_text", help="As printed after the code, for example Ind Sect Res Care."),
        Column("Responsible manager", "responsible_manager", "short_text"),
        Column("Cabinet member", "cabinet_member", "code", help="The portfolio holder's initials, for example KL."),
        *(_figure_column(name) for name in KEYED_FIGURES),
        Column("Gross expenditure as printed (£'000)", "printed_gross", "money"),
        Column("Controllable expenditure as printed (£'000)", "printed_controllable", "money"),
        Column("Net expenditure as printed (£'000)", "printed_net_expenditure", "money"),
        Column("Net cost as printed (£'000)", "printed_net_cost", "money"),
        SOURCE_NOTE,
    )

    def queryset(self, plan):
        return BudgetLine.objects.filter(plan=plan).select_related("category")

    def from_model(self, obj) -> dict:
        values = super().from_model(obj)
        values["category"] = obj.category.name if obj.category_id else ""
        return values

    def resolve(self, row, ctx):
        if "kind" in row.values and not row.values["kind"]:
            row.values["kind"] = BudgetLine.Kind.COST_CODE  # a blank kind is a budget line

    def to_model(self, values: dict) -> dict:
        attributes = super().to_model(values)
        attributes.pop("category", None)
        return attributes

    def _categories(self, ctx) -> dict:
        def load():
            if ctx.plan is None:
                return {}
            return {category.name.casefold(): category for category in BudgetCategory.objects.filter(plan=ctx.plan)}

        return ctx._once("budget_categories", load)

    def check(self, row, merged, ctx):
        if merged.get("kind") == BudgetLine.Kind.MEMORANDUM and merged.get("category"):
            row.problem(self, "category", "A memorandum item sits below the total: leave its category blank.")
        for name in INCOME_FIGURES:
            if name in row.values and row.values[name] is not None and row.values[name] > 0:
                row.problem(
                    self,
                    name,
                    f"{FIGURES[name].label} is held as a negative figure: write -{row.values[name]:,} or "
                    f"({row.values[name]:,}).",
                )

    def validate(self, row, existing, merged, ctx):
        # The category is checked above and made when the line is written: leave it out of the model's checks.
        super().validate(row, existing, {k: v for k, v in merged.items() if k != "category"}, ctx)

    def before_save(self, obj, change, ctx):
        if "category" not in change.values:
            return
        name = (change.values["category"] or "").strip()
        if not name:
            obj.category = None
            return
        categories = self._categories(ctx)
        category = categories.get(name.casefold())
        if category is None:
            top = max((c.order for c in BudgetCategory.objects.filter(plan=ctx.plan)), default=0)
            category = BudgetCategory.objects.create(plan=ctx.plan, order=top + 1, name=name)
            categories[name.casefold()] = category
        obj.category = category


@register
class StaffingSheet(ModelSheet):
    key = "staffing"
    title = "Staffing"
    order = 106
    model = StaffingLine
    noun = "staffing row"
    table_kind = TableKind.HUMAN_RESOURCES
    description = "Section D: staffing by team or grade band, in FTE for the previous year and the plan's year."
    columns = (
        Column("Row", "order", "integer", key=True, help="The row's position in the table: 1, 2, 3 …"),
        Column(
            "Kind of row",
            "kind",
            "choice",
            choices=tuple(StaffingLine.Kind.choices),
            help="Blank for a team.",
        ),
        Column("Team or grade band", "name", "short_text"),
        Column("Previous year's FTE", "previous_fte", "fte"),
        Column("FTE", "fte", "fte"),
        SOURCE_NOTE,
    )

    def resolve(self, row, ctx):
        if "kind" in row.values and not row.values["kind"]:
            row.values["kind"] = StaffingLine.Kind.TEAM  # a blank kind is a team
