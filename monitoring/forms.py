from django import forms

from common.models import FinancialYear
from monitoring.models import ActionReturn, MilestoneReturn, Round
from organisation.models import Unit

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class OpenRoundForm(forms.Form):
    directorate = forms.ModelChoiceField(
        queryset=Unit.objects.filter(level=Unit.Level.DIRECTORATE).order_by("code", "first_year"),
        empty_label="Choose a directorate",
        error_messages={"required": "Choose the directorate whose plans report in this round."},
    )
    year = forms.ModelChoiceField(
        queryset=FinancialYear.objects.order_by("-start_year"),
        label="Financial year",
        empty_label="Choose a year",
        error_messages={"required": "Choose the financial year of the plans."},
    )
    kind = forms.ChoiceField(
        choices=Round.Kind.choices,
        label="Kind of round",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose mid-year or year-end."},
    )
    deadline = forms.DateField(
        input_formats=DATE_FORMATS,
        help_text="For example 15/11/2013. Returns entered after this day are marked late.",
        error_messages={
            "required": "Enter the deadline for returns.",
            "invalid": "Enter the deadline like 15/11/2013.",
        },
    )
    name = forms.CharField(
        max_length=200, required=False, help_text="Leave blank for the kind and year, for example Mid-year 2013-14."
    )
    source_note = forms.CharField(
        label="Note on the source",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If a fact about the round (the deadline, say) is reconstructed rather than known, say so here.",
    )


class CloseRoundForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the returns of this round can no longer be changed once it is closed",
        error_messages={"required": "Confirm that the round should be closed."},
    )


def _status_choices(choices):
    return [("", "Not given yet"), *choices]


class ReturnForm(forms.Form):
    """One form for all of a plan's returns in a round. Field names are "<kind>-<id>-<field>", the same
    keys the service uses for its errors, plus a hidden "-version" for each row."""

    def __init__(self, *args, priorities, returns, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = priorities
        actions = [action for priority in priorities for action in priority.actions.all()]
        self.action_ids = {action.label: action.pk for action in actions}
        labels = {action.pk: action.label for action in actions}
        for action in actions:
            ret = returns.actions.get(action.pk)
            key = f"action-{action.pk}"
            self._version(key, ret)
            self.fields[f"{key}-status"] = forms.ChoiceField(
                choices=ActionReturn.Status.choices, required=False, widget=forms.RadioSelect, label="Status"
            )
            self.fields[f"{key}-commentary"] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Progress commentary"
            )
            self.fields[f"{key}-withdrawn"] = forms.ChoiceField(
                choices=[("", "No, it stays in the round"), *ActionReturn.Withdrawn.choices],
                required=False,
                widget=forms.RadioSelect,
                label="Take the action out of this round?",
            )
            self.fields[f"{key}-withdrawn_note"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label="Reason",
                help_text="Shown as a footnote on the dashboards. Required when withdrawn.",
            )
            self.fields[f"{key}-merged_into"] = forms.CharField(
                required=False,
                max_length=10,
                label="Merged into action",
                help_text="When merged: the number of the action it was merged into, for example 2.1.",
            )
            if ret is not None:
                self.initial.update(
                    {
                        f"{key}-status": ret.status,
                        f"{key}-commentary": ret.commentary,
                        f"{key}-withdrawn": ret.withdrawn,
                        f"{key}-withdrawn_note": ret.withdrawn_note,
                        f"{key}-merged_into": labels.get(ret.merged_into_id, ""),
                    }
                )
        for priority in priorities:
            for milestone in priority.milestones.all():
                ret = returns.milestones.get(milestone.pk)
                key = f"milestone-{milestone.pk}"
                self._version(key, ret)
                self.fields[f"{key}-status"] = forms.ChoiceField(
                    choices=MilestoneReturn.Status.choices, required=False, widget=forms.RadioSelect, label="Status"
                )
                self.fields[f"{key}-commentary"] = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Commentary"
                )
                if ret is not None:
                    self.initial.update({f"{key}-status": ret.status, f"{key}-commentary": ret.commentary})
            ret = returns.priority_returns.get(priority.pk)
            key = f"priority-{priority.pk}"
            self._version(key, ret)
            self.fields[f"{key}-key_achievements"] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Key achievements"
            )
            self.fields[f"{key}-key_issues"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                label="Key issues",
                help_text="Cite action numbers, for example 2.3 Community Chest on hold.",
            )
            if ret is not None:
                self.initial.update(
                    {f"{key}-key_achievements": ret.key_achievements, f"{key}-key_issues": ret.key_issues}
                )
        ret = returns.decision_changes.get(plan.pk)
        self._version("decisions", ret)
        self.fields["decisions-text"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            label="Changes to key or significant decisions since the plan was published",
        )
        if ret is not None:
            self.initial["decisions-text"] = ret.text

    def _version(self, key, ret):
        self.fields[f"{key}-version"] = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
        self.initial[f"{key}-version"] = ret.version if ret is not None else 0

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name.endswith("-merged_into"):
                label = (value or "").strip()
                if label and label not in self.action_ids:
                    self.add_error(name, f"There is no action {label} in this plan: enter a number like 2.1.")
                else:
                    data[name] = self.action_ids.get(label)
        return data

    def submission(self) -> dict:
        """The cleaned data in the shape services.return_save takes."""
        data = self.cleaned_data
        result = {"actions": {}, "milestones": {}, "priorities": {}, "decision_changes": None}
        plural = {"action": "actions", "milestone": "milestones", "priority": "priorities"}
        for name, value in data.items():
            prefix, _, rest = name.partition("-")
            if prefix == "decisions":
                result["decision_changes"] = result["decision_changes"] or {}
                result["decision_changes"][rest] = value
                continue
            pk, _, field = rest.partition("-")
            result[plural[prefix]].setdefault(int(pk), {})[field] = value
        return result

    def with_versions(self, versions: dict[str, int]):
        """A copy of the submitted data carrying these row versions (after a conflict, so that saving
        again replaces the other person's values with what is in the form)."""
        data = self.data.copy()
        for key, version in versions.items():
            data[f"{key}-version"] = str(version)
        return data
