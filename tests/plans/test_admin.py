"""The Django admin, where plans are keyed: every page opens, and the rules hold in inline formsets."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from budgets.seed import load_budgets
from exchange.demo_accounts import create_demo_accounts
from exchange.seeds import load_all
from monitoring.demo import load_demo_rounds
from performance.seed import load_indicator_seeds
from plans.models import Action
from tests.factories import ActionFactory, PriorityFactory, UserFactory
from tests.performance.factories import one_of_each as one_of_each_performance_model

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seed demo with its accounts and a group, so every registered model has a row.

    Loaded once for the module inside a transaction that is rolled back after it; each test runs
    in its own nested transaction as usual.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        load_budgets()
        load_indicator_seeds()
        load_demo_rounds()  # the rounds, their returns and the committee report
        create_demo_accounts()
        Group.objects.create(name="Plan editors")
        one_of_each_performance_model()
        yield
        transaction.set_rollback(True)


PROJECT_APPS = {
    "auth",
    "common",
    "organisation",
    "accounts",
    "plans",
    "performance",
    "budgets",
    "documents",
    "monitoring",
    "exchange",
    "dashboards",
}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_superuser_can_open_the_changelist_add_and_change_pages(demo, db, model, client_for, admin_user):
    client = client_for(admin_user)
    if model._meta.app_label not in PROJECT_APPS:
        # A library's own admin (login attempts, task results): its list opens; its rows are its business.
        assert client.get(admin_url(model, "changelist")).status_code == 200
        return
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"The demo has no {model._meta.label} to open: add one to the `demo` fixture."

    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)):
        response = client.get(url)
        assert response.status_code == 200, url


def test_changelist_search_works_for_every_model_with_search_fields(demo, db, client_for, admin_user):
    client = client_for(admin_user)
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields:
            response = client.get(admin_url(model, "changelist"), {"q": "Kent"})
            assert response.status_code == 200, model._meta.label


def change_form_data(response):
    """The POST data a browser would send back from an admin change page, unchanged."""
    data = {}
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        forms_on_page.extend(formset.forms)
    for form in forms_on_page:
        for bound in form:
            value = bound.value()
            is_checkbox = isinstance(bound.field, forms.BooleanField) and not isinstance(
                bound.field, forms.NullBooleanField
            )
            if value is None or (is_checkbox and not value):
                continue
            data[bound.html_name] = value
    return data


def add_inline_row(data, prefix, **values):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value


@pytest.fixture
def priority_with_actions(db):
    priority = PriorityFactory(number=1, title="Prevention")
    ActionFactory(priority=priority, number=1, text="Headline one")
    ActionFactory(priority=priority, number=1, sub_number=1, text="Sub-action one point one")
    return priority


def open_priority(client, priority):
    response = client.get(admin_url(type(priority), "change", priority.pk))
    assert response.status_code == 200
    return change_form_data(response)


def test_saving_the_priority_page_unchanged_succeeds(priority_with_actions, client_for, admin_user):
    client = client_for(admin_user)
    data = open_priority(client, priority_with_actions)
    response = client.post(admin_url(type(priority_with_actions), "change", priority_with_actions.pk), data)
    assert response.status_code == 302
    assert priority_with_actions.actions.count() == 2


def test_a_new_sub_action_can_be_added_through_the_priority_page(priority_with_actions, client_for, admin_user):
    client = client_for(admin_user)
    data = open_priority(client, priority_with_actions)
    add_inline_row(data, "actions", number=1, sub_number=2, text="Sub-action one point two", start="Apr-13")
    response = client.post(admin_url(type(priority_with_actions), "change", priority_with_actions.pk), data)
    assert response.status_code == 302
    added = priority_with_actions.actions.get(number=1, sub_number=2)
    assert added.start.isoformat() == "2013-04-01"


def test_duplicate_action_number_in_the_inline_formset_is_refused_with_a_readable_message(
    priority_with_actions, client_for, admin_user
):
    client = client_for(admin_user)
    data = open_priority(client, priority_with_actions)
    add_inline_row(data, "actions", number=1, sub_number=1, text="A second 1.1")

    response = client.post(admin_url(type(priority_with_actions), "change", priority_with_actions.pk), data)

    assert response.status_code == 200  # the page comes back with errors instead of redirecting
    content = response.content.decode()
    assert "Please correct the duplicate data for number and sub_number, which must be unique." in content
    assert "Please correct the duplicate values below." in content
    assert not Action.objects.filter(text="A second 1.1").exists()
    assert priority_with_actions.actions.count() == 2


def test_duplicate_action_added_on_its_own_admin_page_is_refused_with_the_rule_message(
    priority_with_actions, client_for, admin_user
):
    data = {"priority": priority_with_actions.pk, "number": 1, "sub_number": 1, "text": "A second 1.1"}

    response = client_for(admin_user).post(admin_url(Action, "add"), data)

    assert response.status_code == 200
    assert "This priority already has an action with this number." in response.content.decode()
    assert priority_with_actions.actions.count() == 2


def test_a_headline_and_its_sub_action_can_be_added_in_one_save(priority_with_actions, client_for, admin_user):
    client = client_for(admin_user)
    data = open_priority(client, priority_with_actions)
    add_inline_row(data, "actions", number=2, sub_number=0, text="New headline two")
    add_inline_row(data, "actions", number=2, sub_number=1, text="New sub-action two point one")

    response = client.post(admin_url(type(priority_with_actions), "change", priority_with_actions.pk), data)

    assert response.status_code == 302
    assert priority_with_actions.actions.count() == 4


def test_non_staff_user_is_redirected_away_from_the_admin(db, client_for, unit_editor):
    client = client_for(unit_editor)
    for url in (reverse("admin:index"), reverse("admin:plans_plan_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_staff_user_without_permissions_cannot_open_plans(db, client_for):
    client = client_for(UserFactory(is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:plans_plan_changelist")).status_code == 403
