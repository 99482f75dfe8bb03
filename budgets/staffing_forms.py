"""Editors' forms for the human resources of a plan: the FTE establishment, staffing by team or grade
band for two years, and affordable activity levels. One page, saved all or nothing (budgets/services.py)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from budgets.models import ActivityLevel, StaffingEstablishment, StaffingLine
from common.money import MoneyError, format_money, parse_fte


class FteField(forms.Field):
    """Full-time equivalents as the council writes them ("257.68", "1,012.5"); a blank stays blank."""

    widget = forms.TextInput

    def __init__(self, *, places=2, **kwargs):
        self.places = places  # the establishment is held to one decimal place, staffing rows to two
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value or ""
        return format_money(value, self.places)

    def to_python(self, value):
        try:
            value = parse_fte(value)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid") from error
        if value is not None and value != round(value, self.places):
            raise ValidationError(
                f"Type the FTE to {'one decimal place' if self.places == 1 else 'two decimal places'}, "
                f"for example {format_money(value, self.places)}.",
                code="places",
            )
        return value if value is None else value.quantize(Decimal(1).scaleb(-self.places))

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError("FTE cannot be negative.", code="fte_negative")


class EstablishmentForm(forms.ModelForm):
    fte_establishment = FteField(label="FTE establishment", places=1)
    fte_estimate = FteField(label="Estimate of FTE establishment", places=1)
    establishment_at = forms.DateField(
        label="Establishment at",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text="For example 31/03/2013",
    )

    class Meta:
        model = StaffingEstablishment
        fields = [
            "fte_establishment",
            "fte_establishment_printed",
            "establishment_at",
            "fte_estimate",
            "variance_reasons",
        ]
        widgets = {"variance_reasons": forms.Textarea(attrs={"rows": 3})}


class StaffingLineForm(forms.ModelForm):
    previous_fte = FteField(label="Previous year's FTE")
    fte = FteField(label="FTE")

    class Meta:
        model = StaffingLine
        fields = ["name", "kind", "previous_fte", "fte"]


class ActivityLevelForm(forms.ModelForm):
    class Meta:
        model = ActivityLevel
        fields = ["client_group", "service_code", "description", "previous_estimate", "previous_outturn", "clients"]


class OrderedFormSet(forms.BaseModelFormSet):
    """The plan's rows in their order; new rows go at the end; rows left blank are ignored.

    Every row of the plan is on the page, so a name used twice is caught here, before anything is saved.
    """

    unique_field = ""  # the field a plan may not repeat
    unique_message = ""

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if (
                not hasattr(form, "cleaned_data")
                or form in self.deleted_forms
                or (not form.has_changed() and not form.instance.pk)
            ):
                continue
            key = tuple((form.cleaned_data.get(name) or "").strip().lower() for name in self.unique_field)
            if key in seen:
                form.add_error(self.unique_field[-1], self.unique_message)
            seen.add(key)

    def save_rows(self) -> int:
        """Save inside the caller's transaction; returns how many rows were added, changed or removed."""
        objects = self.save(commit=False)
        for obj in self.deleted_objects:
            obj.delete()
        top = max((form.instance.order for form in self.initial_forms if form.instance.pk), default=0)
        for obj in objects:
            if obj.pk is None:
                top += 1
                obj.plan, obj.order = self.plan, top
            obj.full_clean()
            obj.save()
        return len(objects) + len(self.deleted_objects)


class StaffingRows(OrderedFormSet):
    unique_field = ("name",)
    unique_message = "This plan already has a staffing row with this name."


class ActivityRows(OrderedFormSet):
    unique_field = ("client_group", "description")
    unique_message = "This plan already has this activity level."


StaffingFormSet = forms.modelformset_factory(
    StaffingLine, form=StaffingLineForm, formset=StaffingRows, extra=2, can_delete=True
)
ActivityFormSet = forms.modelformset_factory(
    ActivityLevel, form=ActivityLevelForm, formset=ActivityRows, extra=2, can_delete=True
)


def error_list(establishment_form, *formsets) -> list[tuple[str, str]]:
    """Every error of the page as (link target, message in the user's terms), for the error summary."""
    errors = [("#hr-errors", message) for message in establishment_form.non_field_errors()]
    for name, messages in establishment_form.errors.items():
        if name != "__all__":
            errors += [(f"#{establishment_form[name].auto_id}", message) for message in messages]
    for formset, what in zip(formsets, ("Staffing row", "Activity level"), strict=True):
        errors += [("#" + formset.prefix, message) for message in formset.non_form_errors()]
        for number, form in enumerate(formset.forms, start=1):
            for name, messages in form.errors.items():
                target = f"#{form[name].auto_id}" if name != "__all__" else f"#{formset.prefix}-{number}"
                label = form[name].label if name != "__all__" else ""
                errors += [
                    (target, f"{what} {number}{', ' + label if label else ''}: {message}") for message in messages
                ]
    return errors
