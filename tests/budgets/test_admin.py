"""The budgets admin: every page opens with the seed budget loaded, and inlines hold the rows."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from budgets.models import BudgetCategory, BudgetLine, ColumnSet
from budgets.seed import load_budgets
from exchange.seeds import load_all

BUDGET_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "budgets"), key=lambda m: m._meta.label
)


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        load_budgets()
        yield
        transaction.set_rollback(True)


def test_every_budgets_model_is_in_the_admin():
    assert [model.__name__ for model in BUDGET_MODELS] == [
        "ActivityLevel",
        "BudgetCategory",
        "BudgetLine",
        "ColumnSet",
        "PrintedTotal",
        "StaffingEstablishment",
        "StaffingLine",
    ]


@pytest.mark.parametrize("model", BUDGET_MODELS, ids=lambda model: model._meta.label)
def test_superuser_can_open_the_changelist_add_change_and_history_pages(seeded, db, model, client_for, admin_user):
    client = client_for(admin_user)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=Care",
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ):
        assert client.get(url).status_code == 200, url


def test_a_category_page_holds_its_lines_and_printed_subtotal_inline(seeded, db, client_for, admin_user):
    category = BudgetCategory.objects.get(name="Residential Care")
    response = client_for(admin_user).get(admin_url(BudgetCategory, "change", category.pk))
    formsets = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(formsets["lines"].forms) == 5
    assert formsets["printed_subtotal"].forms[0].instance.label == "TOTAL RESIDENTIAL CARE"


def test_a_column_set_page_holds_its_columns_and_templates_inline(seeded, db, client_for, admin_user):
    column_set = ColumnSet.objects.get(slug="operating-plan-2008-09")
    response = client_for(admin_user).get(admin_url(ColumnSet, "change", column_set.pk))
    formsets = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(formsets["columns"].forms) == 14
    assert len(formsets["template_links"].forms) == 1


def test_a_positive_income_keyed_in_the_admin_is_refused_with_its_message(seeded, db, client_for, admin_user):
    line = BudgetLine.objects.get(code="44B")
    client = client_for(admin_user)
    response = client.get(admin_url(BudgetLine, "change", line.pk))
    form = response.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(external_income="1217.3", plan=line.plan_id, category=line.category_id)
    response = client.post(admin_url(BudgetLine, "change", line.pk), data)
    assert response.status_code == 200
    assert "External income is held as a negative figure, for example -1217.3." in response.content.decode()
    line.refresh_from_db()
    assert str(line.external_income) == "-1217.3"
