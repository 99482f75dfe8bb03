"""Forms for the plan editing pages. Numbers are never typed: rows are added at the end and moved."""

from django import forms

from common.fields import MonthFormField
from plans.models import Action, CriticalFunction, Decision, Milestone, Plan, PlanSection, Priority, Risk, SupportNeeded


class GovukForm:
    """Renders through one GOV.UK template: error summary, a form group per field."""

    template_name = "includes/govuk_form.html"


class VersionedModelForm(GovukForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanHeaderForm(VersionedModelForm):
    version_date = forms.DateField(
        required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="For example 16/12/2012"
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "version_date",
            "cabinet_portfolio",
            "corporate_director",
            "director",
            "heads_of_service",
            "gross_expenditure",
            "gross_expenditure_year",
            "fte",
            "fte_at",
        ]
        help_texts = {
            "gross_expenditure": "In thousands of pounds (£'000), for example 172233.0 for £172.233m.",
            "fte_at": "For example November 2012",
        }
        widgets = {"version_date": forms.DateInput(format="%d/%m/%Y")}


class PlanSectionForm(VersionedModelForm):
    progress = forms.TypedChoiceField(
        label="Have you completed this section?",
        choices=[
            (PlanSection.Progress.COMPLETED, "Yes"),
            (PlanSection.Progress.IN_PROGRESS, "No, I’ll come back to it"),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PlanSection
        fields = ["body", "progress"]
        labels = {"body": "Narrative"}
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"body": "Leave a blank line between paragraphs; start a line with “- ” for a bullet."}


class PriorityForm(VersionedModelForm):
    class Meta:
        model = Priority
        fields = ["title", "description", "themes", "corporate_objectives"]
        labels = {"corporate_objectives": "Council priorities it contributes to"}
        help_texts = {"corporate_objectives": "The numbered priorities of the council's frameworks, like Bold Steps."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "corporate_objectives": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the objectives of the plan's own council can be chosen (a posted id of another's is refused).
        objectives = self.fields["corporate_objectives"]
        objectives.queryset = objectives.queryset.filter(council_id=self.instance.plan.unit.council_id)
        if not objectives.queryset.exists():
            del self.fields["corporate_objectives"]


class ActionForm(VersionedModelForm):
    start = MonthFormField(required=False, label="Start month")
    end = MonthFormField(required=False, label="End month")

    class Meta:
        model = Action
        fields = ["text", "officer", "start", "end"]
        labels = {"text": "Action"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class NewActionForm(ActionForm):
    """Adding an action: a new headline action, or a sub-action under an existing headline."""

    place = forms.ChoiceField(label="Where does this action go?", widget=forms.RadioSelect)

    class Meta(ActionForm.Meta):
        fields = ["place", *ActionForm.Meta.fields]

    def __init__(self, *args, headlines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("new", "A new headline action")] + [
            (str(h.number), f"A sub-action of {h.number}: {h.text[:80]}") for h in headlines
        ]
        self.fields["place"].initial = "new"


class MilestoneForm(VersionedModelForm):
    due = MonthFormField(required=False, label="Due month")

    class Meta:
        model = Milestone
        fields = ["text", "due"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(VersionedModelForm):
    in_forward_plan = forms.NullBooleanField(
        label="Is it already in the Forward Plan?",
        widget=forms.RadioSelect(choices=[("true", "Yes"), ("false", "No"), ("unknown", "Not yet known")]),
        required=False,
    )

    class Meta:
        model = Decision
        fields = ["text", "in_forward_plan"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class RiskForm(VersionedModelForm):
    class Meta:
        model = Risk
        fields = ["risk", "mitigation", "owner"]
        widgets = {"risk": forms.Textarea(attrs={"rows": 4}), "mitigation": forms.Textarea(attrs={"rows": 4})}


class CriticalFunctionForm(VersionedModelForm):
    class Meta:
        model = CriticalFunction
        fields = ["name", "description", "timescale", "minimum_service_level"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "minimum_service_level": forms.Textarea(attrs={"rows": 4}),
        }


class SupportNeededForm(VersionedModelForm):
    expected = MonthFormField(required=False, label="Expected month")

    class Meta:
        model = SupportNeeded
        fields = ["activity", "impact", "expected"]
        widgets = {"activity": forms.Textarea(attrs={"rows": 3})}
