"""The two column sets the seeds print, created after each migrate (apps.py) if they are missing.

They are data from then on: an administrator can change headings or add a column set for another
council's template in the admin, and a migrate never overwrites those changes.
"""

STANDARD_COLUMN_SETS = [
    {
        "slug": "operating-plan-2008-09",
        "name": "Budget & Services columns, unit operating plans 2008/9",
        "description": "The revenue budget table of the 2008/9 unit operating plans of Kent Adult Social "
        'Services ("Budget & Services"), by budget line (cost code) within categories.',
        "source_note": "Headings as printed in the Adult Mental Health Services plan 2008/9. The last column, "
        "the change in controllable expenditure from the previous year, is not printed: the app adds it.",
        # (field, heading as printed, unit, year, printed)
        "columns": [
            ("previous_controllable", "Controllable Expenditure", "£'000", "previous", True),
            ("previous_fte", "FTE", "", "previous", True),
            ("name", "Activity/Budget Line", "", "", True),
            ("fte", "FTE", "", "current", True),
            ("employee_costs", "Employee costs", "£'000", "current", True),
            ("running_costs", "Running Costs", "£'000", "current", True),
            ("contracts", "Contracts & Projects", "£'000", "current", True),
            ("transfer_payments", "Transfer Payments & Recharges", "£'000", "current", True),
            ("gross", "Gross Expenditure", "£'000", "current", True),
            ("external_income", "External Income", "£'000", "current", True),
            ("internal_income", "Internal Income", "£'000", "current", True),
            ("controllable", "Controllable Expenditure", "£'000", "current", True),
            ("cabinet_member", "Cabinet Member", "", "current", True),
            ("controllable_change", "Change in controllable expenditure", "£'000", "", False),
        ],
    },
    {
        "slug": "divisional-2013-14",
        "name": "Financial resources columns, divisional plans 2013-14",
        "description": "The FINANCIAL RESOURCES table of section D of the 2013-14 divisional business plans "
        "of Families & Social Care, by divisional unit.",
        "source_note": "Headings as printed in the LDMH divisional plan 2013-14, which prints '£' under each "
        "money column and no figures. The app holds every budget in £'000 to one decimal place (DOMAIN.md "
        "section 5), so the columns are headed £'000.",
        "columns": [
            ("name", "Divisional Unit", "", "", True),
            ("responsible_manager", "Responsible Manager", "", "", True),
            ("staffing", "Staffing", "£'000", "", True),
            ("non_staffing", "Non Staffing", "£'000", "", True),
            ("gross", "Gross Expenditure", "£'000", "", True),
            ("service_income", "Service Income", "£'000", "", True),
            ("net_expenditure", "Net Expenditure", "£'000", "", True),
            ("government_grants", "Govt. Grants", "£'000", "", True),
            ("net_cost", "Net Cost", "£'000", "", True),
        ],
    },
]


def create_standard_column_sets(column_set_model, column_model, using="default"):
    """Create each standard column set that does not exist yet, with its columns. Returns those created."""
    created = []
    for data in STANDARD_COLUMN_SETS:
        if column_set_model.objects.using(using).filter(slug=data["slug"]).exists():
            continue
        column_set = column_set_model.objects.using(using).create(
            slug=data["slug"], name=data["name"], description=data["description"], source_note=data["source_note"]
        )
        column_model.objects.using(using).bulk_create(
            column_model(
                column_set=column_set, order=order, field=field, heading=heading, unit=unit, year=year, printed=printed
            )
            for order, (field, heading, unit, year, printed) in enumerate(data["columns"], start=1)
        )
        created.append(column_set)
    return created


# Which seed template draws its budget table in which column set (linked by budgets/seed.py, since
# the templates themselves are loaded from the seeds after migrate).
TEMPLATE_COLUMN_SETS = {
    "unit-operating-plan-2008-09": "operating-plan-2008-09",
    "divisional-2013-14": "divisional-2013-14",
}
