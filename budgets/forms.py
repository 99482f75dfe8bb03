"""The budget grid: one form per budget line, in the columns of the plan's column set."""

import copy

from django import forms
from django.core.exceptions import ValidationError

from budgets.figures import FIGURES, INCOME_FIGURES, KEYED_FIGURES
from budgets.models import BudgetLine
from common.money import MoneyError, format_money, parse_fte, parse_money

TEXT_FIELDS = ["cabinet_member", "responsible_manager"]
CHECKED_BY_THE_FORM = {"kind", "category", "fte", "previous_fte", *INCOME_FIGURES}


class FigureField(forms.Field):
    """A cell of the grid: a figure as the council writes it ("1,234.5", "(12.3)"), blank kept blank."""

    widget = forms.TextInput

    def __init__(self, *, figure, **kwargs):
        self.figure = figure
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", figure.label)
        super().__init__(**kwargs)

    @property
    def places(self) -> int:
        return 2 if self.figure.kind == "fte" else 1

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value or ""
        return format_money(value, self.places)

    def to_python(self, value):
        try:
            return (parse_fte if self.figure.kind == "fte" else parse_money)(value)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid") from error

    def validate(self, value):
        super().validate(value)
        if self.figure.income and value is not None and value > 0:
            raise ValidationError(
                f"Type {self.figure.label.lower()} as a negative figure, for example -{format_money(value)}.",
                code="income_positive",
            )
        if self.figure.kind == "fte" and value is not None and value < 0:
            raise ValidationError("FTE cannot be negative.", code="fte_negative")


class SharedFields(dict):
    """A grid form class's fields, which its forms share rather than copy.

    Django gives each form a deep copy of its class's fields (BaseForm.__init__), so that a form may change
    its own; the grid's forms never change a field, and a grid of 100 lines would otherwise copy some 700
    fields with their widgets for each page. Each form still has its own dict, so it can add, drop or
    replace fields (new lines add category and kind; the formset adds the id and Remove)."""

    def __deepcopy__(self, memo):
        return dict(self)


class BudgetLineForm(forms.ModelForm):
    """A line of the grid. Existing lines change their code, name and figures; new lines also choose
    where they go (category and kind). Derived figures are never fields: derivations.py works them out.

    Used through budget_grid_formset, whose form class show_columns() has fitted to the grid's columns."""

    class Meta:
        model = BudgetLine
        fields = ["code", "name", "category", "kind", *TEXT_FIELDS, *KEYED_FIGURES]

    def __init__(self, *args, plan, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.categories = {str(category.pk): category for category in categories}
        if self.instance.pk is None:
            # New lines also choose where they go, just after their name. Moving a line to another category,
            # or making it a memorandum item, is done in the admin, so existing lines have neither field.
            fields = iter(self.fields.items())
            before = [next(fields), next(fields)]  # code, name
            kind = copy.deepcopy(self.new_line_kind)
            category = forms.ChoiceField(
                label="Category",
                required=False,
                choices=[("", "No category"), *((key, category.name) for key, category in self.categories.items())],
            )
            self.fields = dict([*before, ("category", category), ("kind", kind), *fields])
        self.figure_names = [name for name in self.fields if name in FIGURES and FIGURES[name].kind != "text"]

    @classmethod
    def show_columns(cls, columns):
        """Make this form class (a fresh one from modelformset_factory, with `grid_fields(columns)`) the form
        of a grid's lines in these columns: their fields labelled with their headings, figures as FigureFields.

        Done once per grid, on the class, so that each of its forms copies only the fields it shows (a form
        deep-copies every field of its class, and a grid has a form per line)."""
        fields = cls.base_fields
        shown = {column.field: column for column in columns}
        for name in [*TEXT_FIELDS, *KEYED_FIGURES]:
            if name not in fields:
                continue
            if FIGURES[name].kind == "text":
                fields[name].label = shown[name].heading
            else:
                fields[name] = FigureField(figure=FIGURES[name], label=shown[name].heading)
        fields["code"].required = False
        fields["name"].error_messages["required"] = "Enter the name of the line, for example Ind Sect Res Care."
        # category and kind stay in Meta.fields, so that a new line saves them, but only new lines have them.
        del fields["category"]
        cls.new_line_kind = fields.pop("kind")
        cls.new_line_kind.label = "Kind of line"
        cls.base_fields = SharedFields(fields)

    def _get_validation_exclusions(self):
        # The grid checks what the model's check constraints check (FigureField refuses a positive
        # income or a negative FTE, clean() a memorandum item in a category), so the model's own
        # validation leaves those fields out: a constraint check is a query, and a grid of N lines
        # would otherwise run 5 N of them. The database still enforces every constraint.
        return super()._get_validation_exclusions() | CHECKED_BY_THE_FORM

    def clean_category(self):
        key = self.cleaned_data.get("category")
        return self.categories.get(key) if key else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == BudgetLine.Kind.MEMORANDUM and cleaned.get("category"):
            self.add_error("category", "A memorandum item sits below the total: choose No category.")
        return cleaned

    @property
    def line_label(self) -> str:
        """How the error summary names the line: as printed, or "New line 2" while it has no name."""
        if self.instance.pk:
            # As saved, not as typed: the summary must name the line the officer sees in the table.
            return f"{self.initial.get('code', '')} {self.initial.get('name', '')}".strip()
        code, name = ((self.data.get(self.add_prefix(f)) or "").strip() for f in ("code", "name"))
        number = int(self.prefix.rsplit("-", 1)[-1]) + 1
        return f"{code} {name}".strip() or f"New line in row {number}"


class LoadedLineField(forms.Field):
    """The hidden id of a grid row, looked up among the lines the formset loaded (no query)."""

    def __init__(self, formset, **kwargs):
        self.formset = formset
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            line = self.formset._existing_object(BudgetLine._meta.pk.to_python(value))
        except ValidationError:
            line = None
        if line is None:
            raise ValidationError("This line has been removed by someone else: open the budget again.", code="gone")
        return line

    def has_changed(self, initial, data):
        return False  # which line a row is never changes


class BaseBudgetGridFormSet(forms.BaseModelFormSet):
    """All lines of a plan's budget, saved together or not at all (views.budget_grid)."""

    def __init__(self, *args, plan, columns, categories, next_order, **kwargs):
        self.plan, self.columns, self.categories, self.next_order = plan, columns, categories, next_order
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        """The hidden id of each row (what BaseModelFormSet.add_fields adds, as a LoadedLineField), and Remove.

        Django's formset would make the id a ModelChoiceField, copying a queryset for each row, and check it
        with a query per line; the lines are already loaded."""
        self._pk_field = pk = self.model._meta.pk
        if form.is_bound:
            pk_value = None if form.instance._state.adding else form.instance.pk
        else:
            try:
                pk_value = self.get_queryset()[index].pk if index is not None else None
            except IndexError:
                pk_value = None
        form.fields[pk.name] = LoadedLineField(self, initial=pk_value, widget=forms.HiddenInput)
        forms.BaseFormSet.add_fields(self, form, index)  # Remove (can_delete)

    def get_form_kwargs(self, index):
        return {"plan": self.plan, "categories": self.categories}

    def clean(self):
        """Two lines cannot share a code and name (the database refuses it too): say which."""
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (not form.has_changed() and form.instance.pk is None):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("code", form.instance.code), form.cleaned_data.get("name", form.instance.name))
            if key in seen:
                form.add_error(
                    "name", f"Another line is already called {' '.join(key).strip()}: give each line its own name."
                )
            seen[key] = form

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk is None:
            # New lines go to the end of the plan's table; under their category when they have one.
            form.instance.plan = self.plan
            form.instance.order = self.next_order + i - self.initial_form_count()
        return form


def grid_fields(columns) -> list[str]:
    """The model fields of a grid's forms: code, name, category and kind, and the columns' keyed fields."""
    shown = {column.field for column in columns}
    return ["code", "name", "category", "kind", *(name for name in [*TEXT_FIELDS, *KEYED_FIGURES] if name in shown)]


def budget_grid_formset(*, plan, columns, categories, lines, next_order, data=None, extra=3):
    FormSet = forms.modelformset_factory(
        BudgetLine,
        form=BudgetLineForm,
        formset=BaseBudgetGridFormSet,
        fields=grid_fields(columns),
        extra=extra,
        can_delete=True,
    )
    FormSet.form.show_columns(columns)
    return FormSet(
        data,
        queryset=lines,
        prefix="lines",
        plan=plan,
        columns=columns,
        categories=categories,
        next_order=next_order,
    )
