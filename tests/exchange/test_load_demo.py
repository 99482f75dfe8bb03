"""`manage.py load_demo` against the printed LDMH Divisional Business Plan 2013-14 (Final Draft v 6)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.models import Membership
from exchange.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from organisation.models import Unit
from plans.models import Action, CriticalFunction, Decision, Milestone, Plan, Priority, Risk, SupportNeeded

pytestmark = pytest.mark.django_db


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """load_demo run once for the read-only tests of this module, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def plan(loaded, db):
    return Plan.objects.get(unit__code="LDMH", year_id=2013)


def test_load_demo_reports_what_it_loaded(loaded):
    assert "Loaded LDMH 2013-14 – Divisional Business Plan 2013-14 (Final Draft v 6): 6 priorities." in loaded
    assert "Demo data loaded." in loaded


def test_there_is_one_plan_for_ldmh_2013_14(plan):
    assert Plan.objects.filter(unit__code="LDMH", year_id=2013).count() == 1


def test_the_demo_holds_one_plan_per_transcribed_document():
    from exchange.seeds import load_all

    load_all()
    # The SCS, OPPD and SC plans that load_demo reconstructs from the mid-year report (monitoring/seed.py) are
    # not transcribed documents; tests/monitoring/test_fsc_midyear_seed.py checks them.
    transcribed = Plan.objects.exclude(source_note__startswith="Reconstructed from the FSC mid-year")
    assert sorted(transcribed.values_list("unit__code", "year_id", "version_label")) == [
        ("AMH", 2008, "2008/9"),
        ("FSC", 2012, "Version 1.4"),
        ("LDMH", 2013, "Final Draft v 6"),
    ]


def test_the_plan_holds_as_many_rows_as_the_printed_plan(plan):
    actions = Action.objects.filter(priority__plan=plan)
    assert Priority.objects.filter(plan=plan).count() == 6
    assert actions.filter(sub_number=0).count() == 20
    assert actions.exclude(sub_number=0).count() == 56
    assert Milestone.objects.filter(priority__plan=plan).count() == 27
    assert Decision.objects.filter(priority__plan=plan).count() == 4
    assert Risk.objects.filter(plan=plan).count() == 5
    assert CriticalFunction.objects.filter(plan=plan).count() == 10
    assert SupportNeeded.objects.filter(plan=plan).count() == 14


@pytest.mark.parametrize(
    ("number", "headlines", "sub_actions", "milestones", "decisions"),
    [(1, 5, 10, 7, 1), (2, 3, 13, 4, 1), (3, 4, 10, 4, 0), (4, 2, 7, 3, 2), (5, 5, 13, 6, 0), (6, 1, 3, 3, 0)],
)
def test_each_priority_holds_as_many_rows_as_printed(plan, number, headlines, sub_actions, milestones, decisions):
    priority = plan.priorities.get(number=number)
    assert priority.actions.filter(sub_number=0).count() == headlines
    assert priority.actions.exclude(sub_number=0).count() == sub_actions
    assert priority.milestones.count() == milestones
    assert priority.decisions.count() == decisions


def test_every_sub_action_has_its_headline(plan):
    for action in Action.objects.filter(priority__plan=plan).exclude(sub_number=0):
        assert action.priority.actions.filter(number=action.number, sub_number=0).exists(), action.label


def action(plan, priority, label):
    number, _, sub = label.partition(".")
    return Action.objects.get(priority__plan=plan, priority__number=priority, number=number, sub_number=sub or 0)


def test_text_is_exactly_as_printed(plan):
    assert action(plan, 1, "1.2").officer == "KMPT & KCC Partnership Agreement/ Stephanie Clarke/ Andy Oldgrow"
    assert action(plan, 1, "1.2").text == "Delivery of the Mental Health Short Term Recovery Model"
    assert action(plan, 5, "4").officer == "Anthony Mort/Quality Manager"
    assert action(plan, 5, "4").text == "Engage service users and others to obtain feedback on services"


def test_dates_are_as_printed_even_when_odd(plan):
    odd = action(plan, 5, "1.1")
    assert odd.start == datetime.date(2012, 4, 1)  # printed April 2012, before the plan year
    assert odd.end == datetime.date(2014, 3, 1)
    assert "April 2012" in odd.source_note
    assert action(plan, 1, "1.1").start == datetime.date(2013, 4, 1)


def test_plan_header_is_as_printed(plan):
    assert plan.title == "Divisional Business Plan 2013-14"
    assert plan.version_label == "Final Draft v 6"
    assert plan.version_date == datetime.date(2012, 12, 16)
    assert plan.gross_expenditure == Decimal("172233.0")
    assert plan.gross_expenditure_year_id == 2012
    assert plan.fte == Decimal("757.2")
    assert plan.fte_at == datetime.date(2012, 11, 1)
    assert plan.director == "Penny Southern"
    assert plan.template.sections.count() == 7


def test_fsc_has_its_four_divisions(plan):
    fsc = Unit.objects.get(code="FSC")
    assert fsc.level == Unit.Level.DIRECTORATE
    assert set(fsc.children.values_list("code", flat=True)) == {"SCS", "OPPD", "LDMH", "SC"}
    assert set(fsc.children.values_list("level", flat=True)) == {Unit.Level.DIVISION}


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_running_load_demo_twice_leaves_every_row_count_unchanged():
    load_demo("--with-demo-accounts")
    first = row_counts()
    load_demo("--with-demo-accounts")
    assert row_counts() == first
    # LDMH as printed (76), and the headline actions reconstructed from the mid-year report: SCS 18, OPPD 21, SC 48
    assert first["plans.Action"] == 76 + 18 + 21 + 48


def test_demo_accounts_are_created_with_their_roles_and_can_sign_in():
    User = get_user_model()
    assert not User.objects.filter(is_active=True).exists()

    output = load_demo("--with-demo-accounts")

    assert "Demo accounts ready" in output
    accounts = User.objects.filter(is_active=True)  # the inactive one enters the transcribed mid-year returns
    assert set(accounts.values_list("username", flat=True)) == {username for username, *_ in DEMO_ACCOUNTS}
    assert not User.objects.get(is_active=False).has_usable_password()
    for username, full_name, superuser, roles in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.get_full_name() == full_name
        assert (user.is_superuser, user.is_staff) == (superuser, superuser)
        assert {(m.unit.code, m.role) for m in Membership.objects.filter(user=user)} == set(roles)
        assert Client().login(username=username, password=DEMO_PASSWORD), username
        assert not Client().login(username=username, password="not-the-password")


def test_demo_editor_reads_the_ldmh_plan_and_oppd_editor_does_not():
    load_demo("--with-demo-accounts")
    plan = Plan.objects.get(unit__code="LDMH")
    expected = {"ldmh.editor": 200, "fsc.approver": 200, "committee.member": 200, "oppd.editor": 404}
    for username, status in expected.items():
        client = Client()
        client.login(username=username, password=DEMO_PASSWORD)
        assert client.get(f"/plans/{plan.pk}/").status_code == status, username
