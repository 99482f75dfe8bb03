"""Model and form fields for month/year dates ("April 2013")."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from common.years import format_month, parse_month


class MonthFormField(forms.DateField):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, April 2013")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return format_month(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            return parse_month(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class MonthField(models.DateField):
    """A month and year, stored as the first day of the month."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if isinstance(value, datetime.date) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.replace(day=1) if isinstance(value, datetime.date) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MonthFormField, **kwargs})
