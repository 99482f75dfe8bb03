"""The entry page's forms (one per indicator, gathered in a formset that is saved all or nothing) and the
form of an indicator's floor and targets for a year."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms

from performance.aggregation import Aggregation
from performance.models import Commentary, Indicator, IndicatorYear, MeasureUnit, Polarity
from performance.periods import Period
from performance.services import EntryRow, target_label

FIGURE_FIELD = {"max_digits": 14, "decimal_places": 4, "required": False}
# An entered figure may differ from the one its numerator and denominator give by rounding only.
RATIO_TOLERANCE = Decimal("0.05")


class ActualForm(forms.Form):
    value = forms.DecimalField(label="Actual", **FIGURE_FIELD)
    numerator = forms.DecimalField(label="Numerator", min_value=0, **FIGURE_FIELD)
    denominator = forms.DecimalField(label="Denominator", **FIGURE_FIELD)
    source_note = forms.CharField(label="Note on the figure", required=False, max_length=1000)
    what_is_happening = forms.CharField(label="What is happening", required=False, widget=forms.Textarea)
    why = forms.CharField(label="Why", required=False, widget=forms.Textarea)
    what_is_being_done = forms.CharField(label="What is being done about it", required=False, widget=forms.Textarea)
    forecast_rag = forms.ChoiceField(
        label="Forecast year-end RAG",
        required=False,
        choices=[("", "Not forecast"), *Commentary._meta.get_field("forecast_rag").choices],
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        for name in ("value", "numerator", "denominator"):
            self.fields[name].error_messages["invalid"] = f"{self.fields[name].label} must be a number, like 85 or 96.3"
        if indicator.aggregation != Aggregation.RATIO:
            del self.fields["numerator"]
            del self.fields["denominator"]
        if indicator.measure == MeasureUnit.PERCENTAGE:
            self.fields["value"].help_text = "A percentage, for example 85 or 96.3"

    def clean(self):
        data = super().clean()
        value, numerator, denominator = data.get("value"), data.get("numerator"), data.get("denominator")
        if "numerator" not in self.fields or self.errors:
            return data
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            self.add_error(missing, f"Enter the {missing} too, or neither")
        elif denominator is not None:
            if denominator <= 0:
                self.add_error("denominator", "The denominator must be more than 0")
                return data
            worked_out = (numerator * self.indicator.scale / denominator).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            if value is None:
                data["value"] = worked_out
            elif abs(value - worked_out) > RATIO_TOLERANCE:
                self.add_error(
                    "value",
                    f"The actual does not match the numerator and denominator, which give {worked_out.normalize():f}",
                )
        return data

    def entry_row(self) -> EntryRow:
        data = self.cleaned_data
        return EntryRow(
            indicator=self.indicator,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            source_note=data.get("source_note", ""),
            commentary={
                name: data.get(name, "") for name in ("what_is_happening", "why", "what_is_being_done", "forecast_rag")
            },
        )


class BaseActualFormSet(forms.BaseFormSet):
    """One form per indicator, always in the order of `indicators`, however many forms the browser says it sent."""

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        self.indicators = indicators
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.indicators)

    def initial_form_count(self):
        return len(self.indicators)

    def get_form_kwargs(self, index):
        return {"indicator": self.indicators[index]}


ActualFormSet = forms.formset_factory(ActualForm, formset=BaseActualFormSet, extra=0)


class TargetsForm(forms.Form):
    """An indicator's floor, target note and a target for each period of one year (see
    services.target_periods); `version` is the fingerprint of what the form was shown with."""

    floor = forms.DecimalField(label="Floor standard", **FIGURE_FIELD)
    target_note = forms.CharField(
        label="Note on the targets",
        required=False,
        max_length=IndicatorYear._meta.get_field("target_note").max_length,
        help_text="Where no target is set, what the plan says instead, for example “to be set July 2013”.",
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.fields["floor"].help_text = (
            "Above it is red" if indicator.polarity == Polarity.LOWER else "Below it is red"
        ) + ", however close to the target. Leave blank if the plan sets none."
        for period in periods:
            self.fields[self.field_name(period)] = forms.DecimalField(label=target_label(period), **FIGURE_FIELD)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = f"{field.label} must be a number, like 85 or 96.3"
                field.error_messages["max_digits"] = f"{field.label} must be a number under 10 billion"
                field.error_messages["max_decimal_places"] = f"{field.label} can have at most 4 decimal places"

    @staticmethod
    def field_name(period: Period) -> str:
        return f"target_{period.code}"

    def target_fields(self):
        return [self[self.field_name(period)] for period in self.periods]

    def targets(self) -> dict[Period, Decimal | None]:
        return {period: self.cleaned_data.get(self.field_name(period)) for period in self.periods}
