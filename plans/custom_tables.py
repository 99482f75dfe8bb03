"""Custom tables: the rows of tables that a plan template defines by its columns.

Values are kept in JSON in a canonical form per column type, so that they compare, export and
import exactly: numbers and money as decimal strings ("3.8", "5776.1"), months as "2013-04",
dates as "2013-04-01", yes/no as true/false, text as given. A blank cell is absent (None),
never 0.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from common.fields import MonthFormField
from common.years import format_month, parse_month

MAX_TEXT = 5000


def _number(text, *, places=None) -> str:
    cleaned = str(text).strip().replace(",", "").replace("£", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = "-" + cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"“{text}” is not a number.") from error
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError(f"“{text}” is not a number this table can hold.")
    if places is not None:
        if value.as_tuple().exponent < -places:
            raise ValueError(f"“{text}” has more than {places} decimal place.")
        value = value.quantize(Decimal(1).scaleb(-places))
    return str(value)


def clean_value(column, raw):
    """One cell, from a form, an import or code, to its canonical JSON form; ValueError if bad."""
    types = column.DataType
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise ValueError(f"Enter {column.heading.lower()}.")
        return None
    if column.data_type in (types.TEXT, types.LONG_TEXT):
        text = str(raw).strip() if column.data_type == types.TEXT else str(raw).strip("\n")
        if len(text) > MAX_TEXT:
            raise ValueError(f"{column.heading} must be {MAX_TEXT:,} characters or fewer.")
        return text
    if column.data_type == types.NUMBER:
        return _number(raw)
    if column.data_type == types.MONEY:
        return _number(raw, places=1)
    if column.data_type == types.MONTH:
        if isinstance(raw, datetime.date):
            return raw.strftime("%Y-%m")
        return parse_month(str(raw)).strftime("%Y-%m")
    if column.data_type == types.DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(str(raw).strip(), pattern).date().isoformat()
            except ValueError:
                continue
        raise ValueError(f"“{raw}” is not a date; write it like 31/03/2014.")
    if column.data_type == types.YES_NO:
        if isinstance(raw, bool):
            return raw
        answer = str(raw).strip().lower()
        if answer in {"yes", "y", "true"}:
            return True
        if answer in {"no", "n", "false"}:
            return False
        raise ValueError(f"Answer yes or no for {column.heading.lower()}.")
    if column.data_type == types.CHOICE:
        value = str(raw).strip()
        if value not in column.choice_list:
            raise ValueError(f"{column.heading} must be one of: {', '.join(column.choice_list)}.")
        return value
    raise ValueError(f"Unknown column type {column.data_type}.")


def clean_values(columns, values: dict) -> dict:
    """All cells of a row; a ValidationError names every bad cell by its column heading."""
    values = values or {}
    unknown = set(values) - {column.key for column in columns}
    errors = {}
    if unknown:
        errors["values"] = f"Unknown columns: {', '.join(sorted(unknown))}."
    cleaned = {}
    for column in columns:
        try:
            value = clean_value(column, values.get(column.key))
        except ValueError as error:
            errors[column.key] = str(error)
            continue
        if value is not None:
            cleaned[column.key] = value
    if errors:
        raise ValidationError(
            {"values": [f"{key}: {message}" if key != "values" else message for key, message in errors.items()]}
        )
    return cleaned


def display_value(column, value) -> str:
    """A cell as the council prints it."""
    if value is None:
        return ""
    types = column.DataType
    if column.data_type == types.MONTH:
        return format_month(datetime.date.fromisoformat(f"{value}-01"))
    if column.data_type == types.DATE:
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    if column.data_type == types.YES_NO:
        return "Yes" if value else "No"
    if column.data_type == types.MONEY:
        amount = Decimal(value)
        text = f"{abs(amount):,.1f}"
        return f"-{text}" if amount < 0 else text
    if column.data_type == types.NUMBER:
        # Thousands grouped as councils print them (2,912); the decimals exactly as held.
        whole, _, fraction = str(value).lstrip("-").partition(".")
        grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
        return f"-{grouped}" if str(value).startswith("-") else grouped
    return str(value)


def row_cells(columns, row) -> list[tuple]:
    """(column, display text) for each column of the row, in column order."""
    return [(column, display_value(column, row.values.get(column.key))) for column in columns]


class CustomRowForm(forms.Form):
    """A form for one row of a custom table, one field per column."""

    template_name = "includes/govuk_form.html"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        types = None
        for column in self.columns:
            types = column.DataType
            common = {"label": column.heading, "required": column.required, "help_text": column.help_text}
            if column.data_type == types.LONG_TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT, **common)
            elif column.data_type == types.MONTH:
                field = MonthFormField(**common)
            elif column.data_type == types.YES_NO:
                field = forms.ChoiceField(
                    choices=[("yes", "Yes"), ("no", "No"), ("", "Not stated")], widget=forms.RadioSelect, **common
                )
            elif column.data_type == types.CHOICE:
                field = forms.ChoiceField(choices=[("", "")] + [(c, c) for c in column.choice_list], **common)
            else:
                field = forms.CharField(max_length=MAX_TEXT, **common)
            self.fields[f"col_{column.key}"] = field

    @classmethod
    def initial_for(cls, columns, values: dict) -> dict:
        initial = {}
        for column in columns:
            value = values.get(column.key)
            if value is None:
                continue
            if column.data_type == column.DataType.YES_NO:
                initial[f"col_{column.key}"] = "yes" if value else "no"
            elif column.data_type == column.DataType.MONTH:
                initial[f"col_{column.key}"] = datetime.date.fromisoformat(f"{value}-01")
            elif column.data_type == column.DataType.DATE:
                initial[f"col_{column.key}"] = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            else:
                initial[f"col_{column.key}"] = value
        return initial

    def clean(self):
        cleaned = super().clean()
        self.values = {}
        for column in self.columns:
            name = f"col_{column.key}"
            if name in self.errors:
                continue
            try:
                value = clean_value(column, cleaned.get(name))
            except ValueError as error:
                self.add_error(name, str(error))
                continue
            if value is not None:
                self.values[column.key] = value
        return cleaned
