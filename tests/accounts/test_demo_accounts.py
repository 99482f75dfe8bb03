"""The README's demo accounts can do, and only do, what their role allows."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from plans import services
from plans.models import Plan


@pytest.fixture
def demo(db):
    load_all()
    create_demo_accounts()
    published = Plan.objects.with_unit().get(unit__code="LDMH", year_id=2013)
    editor = get_user_model().objects.get(username="ldmh.editor")
    draft = services.plan_new_version(plan=published, user=editor, version_label="Draft v 7")
    return published, draft


def _client(username):
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


# username: (sees published, sees draft, may edit draft, may submit draft, may approve, admin site)
EXPECTED = {
    "admin": (200, 200, 200, 200, 200, 200),
    "ldmh.editor": (200, 200, 200, 200, 403, 302),
    "oppd.editor": (404, 404, 404, 404, 404, 302),
    "fsc.approver": (200, 200, 403, 403, 200, 302),
    "committee.member": (200, 404, 404, 404, 404, 302),
}


@pytest.mark.parametrize(("username", "expected"), EXPECTED.items())
def test_demo_account_can_do_only_what_its_role_allows(demo, username, expected):
    published, draft = demo
    client = _client(username)
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.DRAFT)
    answers = (
        client.get(reverse("plans:detail", args=[published.pk])).status_code,
        client.get(reverse("plans:detail", args=[draft.pk])).status_code,
        client.get(reverse("plans:edit", args=[draft.pk])).status_code,
        client.get(reverse("plans:transition", args=[draft.pk, "submit"])).status_code,
    )
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.SUBMITTED)
    answers += (
        client.get(reverse("plans:transition", args=[draft.pk, "approve"])).status_code,
        client.get(reverse("admin:index")).status_code,
    )
    assert answers == expected


def test_each_demo_account_has_an_undeliverable_email_for_the_reminders(demo):
    emails = dict(get_user_model().objects.values_list("username", "email"))
    assert emails["ldmh.editor"] == "ldmh.editor@kent-plans.invalid"
    assert all(email.endswith("@kent-plans.invalid") for email in emails.values())
