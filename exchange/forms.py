from django import forms

from accounts.permissions import visible_plans
from common.years import parse_financial_year
from exchange import sheets as registry
from exchange import workbook
from exchange.importer import Target
from organisation.models import Unit
from plans.models import Plan

NEW_OR_NAMED = ""


def importable_units(user) -> list[Unit]:
    units = Unit.objects.select_related("parent__parent", "council", "first_year", "last_year")
    return [unit for unit in units if user.has_perm("exchange.import_plan_for_unit", unit)]


def importable_drafts(user) -> list[Plan]:
    drafts = visible_plans(user, Plan.objects.with_unit().filter(status=Plan.Status.DRAFT))
    return [plan for plan in drafts if user.has_perm("plans.change_plan", plan)]


def plan_choice_label(plan: Plan) -> str:
    return f"{plan.unit.code} {plan.year}: {plan.title} ({plan.version_label})"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            f"An Excel Workbook (.xlsx) laid out as the template, a CSV file (.csv) holding one of its tables, or a "
            f"Kent Plans JSON export (.json). At most {workbook.MAX_BYTES // 1024 // 1024} MB and "
            f"{workbook.MAX_ROWS:,} rows per sheet."
        ),
        error_messages={
            "required": "Choose the file to import.",
            "empty": "The file is empty: choose the completed file.",
        },
    )
    plan = forms.ChoiceField(
        label="Import into",
        required=False,
        help_text="A draft you may edit, or a new draft: the plan named on the file's Plan sheet (or below).",
    )
    unit = forms.TypedChoiceField(
        label="Unit of a new plan",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Leave as it is to use the Plan sheet.",
    )
    year = forms.CharField(
        label="Year of a new plan",
        required=False,
        max_length=9,
        help_text="For example 2013-14. Leave blank to use the Plan sheet.",
    )
    version_label = forms.CharField(
        label="Version label of a new plan",
        required=False,
        max_length=100,
        help_text="For example Draft v 1. Leave blank to use the Plan sheet.",
    )
    table = forms.ChoiceField(
        label="Table in a CSV file",
        required=False,
        help_text="A CSV file holds one table. Leave as it is to let the import tell from its column headings.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.book = None
        self.drafts = {str(plan.pk): plan for plan in importable_drafts(user)}
        self.fields["plan"].choices = [(NEW_OR_NAMED, "A new plan (or the draft named on the Plan sheet)")] + [
            (pk, plan_choice_label(plan)) for pk, plan in self.drafts.items()
        ]
        self.fields["unit"].choices = [("", "As on the Plan sheet")] + [
            (unit.pk, f"{unit.code}: {unit.name} (from {unit.first_year})") for unit in importable_units(user)
        ]
        self.fields["table"].choices = [("", "Tell from the column headings")] + [
            (mapping.key, mapping.title) for mapping in registry.mappings("plan")
        ]

    def clean_year(self):
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        try:
            return parse_financial_year(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.book = workbook.read_upload_file(uploaded)
        except workbook.FileRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return uploaded

    def target(self) -> Target:
        data = self.cleaned_data
        if data.get("plan"):
            return Target(plan_id=int(data["plan"]))
        return Target(unit_id=data.get("unit"), year=data.get("year"), version_label=data.get("version_label") or "")


class RoundImportForm(forms.Form):
    file = forms.FileField(
        label="Upload the returns workbook",
        help_text=(
            "The round's returns downloaded as a spreadsheet (.xlsx), with your changes. At most "
            f"{workbook.MAX_BYTES // 1024 // 1024} MB."
        ),
        error_messages={
            "required": "Choose the file to import.",
            "empty": "The file is empty: choose the completed file.",
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.book = workbook.read_upload_file(uploaded)
        except workbook.FileRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return uploaded
