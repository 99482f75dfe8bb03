"""Reminder emails: who gets one, what it lists, and never twice a day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Membership
from monitoring import services
from monitoring.models import ReminderSent
from monitoring.reminders import send_round_reminders
from tests.factories import MembershipFactory, ServiceUnitFactory, UserFactory
from tests.monitoring.conftest import DEADLINE, entry, published_plan

A_WEEK_BEFORE = DEADLINE - datetime.timedelta(days=7)


def remind(*args):
    out = StringIO()
    call_command("send_round_reminders", *args, stdout=out)
    return out.getvalue()


def test_each_editor_is_emailed_the_returns_they_still_owe(round_, plan, actions, unit_editor, approver, settings):
    settings.SITE_URL = "https://plans.example.org"
    services.return_save(round_=round_, plan=plan, user=unit_editor, actions={actions[0].pk: entry(status="completed")})
    output = remind("--today", A_WEEK_BEFORE.isoformat())
    assert "Reminders sent: 1; already sent today: 0" in output
    (email,) = mail.outbox
    assert email.to == ["division.editor@example.org"]  # not the approver: approvers do not enter returns
    assert email.subject == f"Mid-year 2013-14: {len(actions) - 1} returns still to enter"
    owed = ", ".join(a.label for a in actions[1:])
    assert owed in email.body
    assert "returns are due by 15 November 2013 (in 7 days)" in email.body
    assert f"https://plans.example.org/monitoring/{round_.pk}/plans/{plan.pk}/" in email.body
    assert ReminderSent.objects.get().missing == len(actions) - 1


def test_running_it_again_the_same_day_sends_nothing_and_the_next_day_sends_again(round_, plan, unit_editor):
    assert "Reminders sent: 1;" in remind("--today", A_WEEK_BEFORE.isoformat())
    assert "Reminders sent: 0; already sent today: 1" in remind("--today", A_WEEK_BEFORE.isoformat())
    assert len(mail.outbox) == 1
    send_round_reminders(today=A_WEEK_BEFORE + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("today", "days", "sent"),
    [
        (DEADLINE - datetime.timedelta(days=8), 7, 0),  # too early
        (DEADLINE - datetime.timedelta(days=8), 8, 1),
        (DEADLINE, 7, 1),  # on the day
        (DEADLINE + datetime.timedelta(days=1), 7, 0),  # past: returns are late now, not reminded
    ],
)
def test_only_rounds_whose_deadline_is_near(round_, plan, unit_editor, today, days, sent):
    assert send_round_reminders(today=today, days=days)["sent"] == sent


def test_nothing_for_a_closed_round_or_an_editor_who_owes_nothing(round_, plan, actions, unit_editor, admin_user):
    services.return_save(
        round_=round_, plan=plan, user=unit_editor, actions={a.pk: entry(status="on_course") for a in actions}
    )
    assert send_round_reminders(today=A_WEEK_BEFORE)["sent"] == 0
    services.round_close(round_=round_, user=admin_user)
    assert send_round_reminders(today=A_WEEK_BEFORE)["sent"] == 0
    assert mail.outbox == []


def test_a_division_editor_is_reminded_of_its_service_units_plans_in_one_email(round_, plan, division, unit_editor):
    unit_plan = published_plan(ServiceUnitFactory(parent=division, code="SU1"), priorities=1, actions=1)
    su_editor = UserFactory(username="su.editor")
    MembershipFactory(user=su_editor, unit=unit_plan.unit, role=Membership.Role.EDITOR)
    send_round_reminders(today=A_WEEK_BEFORE)
    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert set(by_recipient) == {"division.editor@example.org", "su.editor@example.org"}
    assert f"/plans/{plan.pk}/" in by_recipient["division.editor@example.org"].body
    assert f"/plans/{unit_plan.pk}/" in by_recipient["division.editor@example.org"].body
    assert f"/plans/{plan.pk}/" not in by_recipient["su.editor@example.org"].body


def test_an_editor_without_an_email_address_is_reported(round_, plan, unit_editor):
    unit_editor.email = ""
    unit_editor.save()
    assert "editors without an email address: division.editor." in remind("--today", A_WEEK_BEFORE.isoformat())
    assert mail.outbox == []


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today must be a date"):
        remind("--today", "15/11/2013")
