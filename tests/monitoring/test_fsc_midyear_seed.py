"""monitoring/seed.py against the FSC mid-year monitoring report of 5 December 2013: the reconstructed
SCS, OPPD and SC plans, the returns as printed, the closed round, the committee report, idempotence."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from exchange.seeds import load_all
from monitoring.demo import load_demo_rounds
from monitoring.models import ActionReturn, CommitteeReport, DecisionChange, PriorityReturn, Round
from monitoring.selectors import covered_plans
from plans.models import Action, Plan

pytestmark = pytest.mark.django_db

REPORT_MD = (Path(settings.BASE_DIR).parent / "shared" / "seeds" / "fsc-midyear-monitoring-2013.md").read_text(
    encoding="utf-8"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The organisation, the seed plans and the demo rounds, loaded once for this module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield load_demo_rounds()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


@pytest.fixture
def midyear(loaded):
    return loaded[0]


def headline(code, priority, number):
    return Action.objects.get(
        priority__plan__unit__code=code,
        priority__plan__year_id=2013,
        priority__number=priority,
        number=number,
        sub_number=0,
    )


def ret(round_, code, priority, number):
    return ActionReturn.objects.get(round=round_, action=headline(code, priority, number))


@pytest.mark.parametrize(
    ("code", "priorities", "headlines", "reconstructed"),
    [("SCS", 5, 18, 5), ("OPPD", 6, 21, 0), ("SC", 14, 48, 48)],
)
def test_reconstructed_plans_hold_what_the_report_names_or_counts(loaded, code, priorities, headlines, reconstructed):
    plan = Plan.objects.get(unit__code=code, year_id=2013)
    assert plan.status == Plan.Status.PUBLISHED
    assert plan.source_note.startswith("Reconstructed from the FSC mid-year monitoring report")
    assert plan.priorities.count() == priorities
    actions = Action.objects.filter(priority__plan=plan)
    assert actions.count() == actions.filter(sub_number=0).count() == headlines  # section C headline actions only
    flagged = actions.filter(source_note__startswith="Reconstructed:")
    assert flagged.count() == actions.filter(text__startswith="Reconstructed action").count() == reconstructed
    assert not actions.filter(officer__gt="").exists()
    assert not actions.filter(start__isnull=False).exists()


def test_titles_are_the_bold_leads_and_headings_as_printed(loaded):
    first = "Make sure that children and young people are safe and stay safe in every setting"
    assert headline("SCS", 1, 1).text == first
    assert headline("OPPD", 1, 3).text == (
        "Service specific Developments: - Dementia, Autistic Spectrum Condition and End of Life Care"
    )
    assert headline("OPPD", 4, 2).text == "Kent Card"
    scs4 = Plan.objects.get(unit__code="SCS").priorities.get(number=4)
    assert (scs4.title, scs4.description) == (
        "Effective Support to Children in Care.",
        "Deliver effective support to Children in Care and improve their outcomes",
    )
    sc13 = Plan.objects.get(unit__code="SC").priorities.get(number=13)
    assert sc13.title.startswith("Reconstructed priority 13")
    assert sc13.source_note.startswith("Reconstructed:")
    sc14 = Plan.objects.get(unit__code="SC").priorities.get(number=14)
    assert sc14.description.endswith(
        "key business objectives- to support transformation programme and ensure "
        "adequate recording and scrutiny of safeguarding data across the Directorate"
    )


def test_every_headline_action_of_the_four_plans_has_one_return(midyear):
    plans = covered_plans(midyear)
    assert sorted(plan.unit.code for plan in plans) == ["LDMH", "OPPD", "SC", "SCS"]
    headlines = Action.objects.filter(priority__plan__in=plans, sub_number=0)
    assert ActionReturn.objects.filter(round=midyear).count() == headlines.count() == 20 + 18 + 21 + 48
    assert not ActionReturn.objects.filter(round=midyear, action__sub_number__gt=0).exists()
    assert not ActionReturn.objects.filter(round=midyear, source_note="").exists()  # each says where it comes from


def test_the_round_is_closed_as_the_committee_saw_it(midyear):
    midyear.refresh_from_db()
    assert (midyear.name, midyear.status) == ("Mid-year 2013-14", Round.Status.CLOSED)
    assert midyear.closed_at == datetime.datetime(2013, 12, 5, 9, 0, tzinfo=datetime.UTC)
    assert midyear.snapshot["closed_at"] == "5 December 2013, 09:00"
    transcriber = midyear.closed_by
    assert not transcriber.is_active
    assert not transcriber.has_usable_password()
    returns = ActionReturn.objects.filter(round=midyear)
    assert set(returns.values_list("entered_by", flat=True)) == {transcriber.pk}
    for entered_at in returns.values_list("entered_at", flat=True).distinct():
        assert midyear.opened_at <= entered_at <= midyear.closed_at
    assert not returns.filter(late=True).exists()
    assert "Deadline reconstructed, not printed" in midyear.source_note


def test_5_4_is_taken_out_saying_only_that_the_report_has_no_return_for_it(midyear):
    taken_out = ret(midyear, "LDMH", 5, 4)
    assert (taken_out.status, taken_out.withdrawn) == ("", ActionReturn.Withdrawn.WITHDRAWN)
    assert taken_out.withdrawn_note == "The published report has no return for it."
    withdrawn = ActionReturn.objects.filter(round=midyear).exclude(withdrawn="")
    assert sorted(withdrawn.values_list("action__priority__plan__unit__code", "withdrawn")) == [
        ("LDMH", "withdrawn"),
        ("OPPD", "merged"),
    ]
    merged = ret(midyear, "OPPD", 6, 4)
    assert merged.merged_into == headline("OPPD", 2, 1)
    assert merged.withdrawn_note.startswith("Reconstructed:")


def _plain(text):
    """The report's text with its conversion markup removed and all whitespace as single spaces."""
    text = text.replace("**", "").replace("<sup>", "").replace("</sup>", "")
    return " ".join(text.split())


def test_commentary_is_the_printed_paragraphs(midyear):
    report = _plain(REPORT_MD)
    commentaries = ActionReturn.objects.filter(round=midyear).exclude(commentary="")
    assert commentaries.count() == 13 + 21 + 19  # every named action of SCS, OPPD and LDMH (5.4 has none)
    for commentary, note in commentaries.values_list("commentary", "source_note"):
        for paragraph in commentary.split("\n\n"):
            number = re.match(r"(\d\.\d+) ", paragraph)
            assert number or paragraph.startswith("The report notes that the review of the ILS"), paragraph[:60]
            lines = [re.sub(r"^(- )?", "", line) for line in paragraph.split("\n")]
            for line in lines:
                assert _plain(line) in report, line[:80]
            if number:
                assert number.group(1) in note
    scs = ret(midyear, "SCS", 1, 1).commentary
    assert scs.startswith("6.1 Make sure that children and young people are safe and stay safe in every setting -\n")
    assert "\n\n6.2 Furthermore, the Division completed actions" in scs
    assert "whether changes have been successful" in ret(midyear, "LDMH", 1, 2).commentary  # 8.3 joins 8.2


def test_statuses_follow_the_narrative_where_it_says_what_was_completed(midyear):
    completed = ActionReturn.objects.filter(round=midyear, status="completed")
    assert set(completed.filter(action__priority__plan__unit__code="SCS").values_list(
        "action__priority__number", "action__number")) == {(1, 1)}  # fmt: skip
    assert set(completed.filter(action__priority__plan__unit__code="OPPD").values_list(
        "action__priority__number", "action__number")) == {(4, 1), (5, 2)}  # fmt: skip
    assert "was complete" in ret(midyear, "SCS", 1, 1).commentary
    assert "was completed" in ret(midyear, "OPPD", 5, 2).commentary
    assert ActionReturn.objects.filter(round=midyear, status__in=["delayed", "cancelled"]).count() == 0
    for status_note in completed.values_list("source_note", flat=True):
        assert "Status reconstructed" in status_note or status_note.startswith("Reconstructed return")


def test_priority_returns_and_decision_changes_are_as_printed(midyear):
    sc = PriorityReturn.objects.filter(round=midyear, priority__plan__unit__code="SC")
    assert sorted(sc.values_list("priority__number", flat=True)) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]
    p14 = sc.get(priority__number=14)
    assert p14.key_achievements.split("\n")[0] == "Monthly reporting to DMT and DivMT for key performance indicators"
    assert len(p14.key_achievements.split("\n")) == 10
    p4 = sc.get(priority__number=4)
    assert p4.key_issues.split("\n")[1] == "2.3 Community Chest on hold funding required to ensure balanced budget"
    assert "31st" in sc.get(priority__number=3).key_achievements  # <sup>st</sup> in the conversion
    changes = dict(DecisionChange.objects.filter(round=midyear).values_list("plan__unit__code", "text"))
    assert sorted(changes) == ["OPPD", "SCS"]
    assert changes["SCS"].startswith("6.7 Changes to Key or Significant Decisions since the publication of the")
    assert "\n\n6.8 Discussions are currently underway" in changes["SCS"]
    assert changes["OPPD"].startswith("7.16 Changes to Key or Significant Decisions")


def test_the_committee_report_holds_the_cover_facts_and_chapters(midyear):
    report = CommitteeReport.objects.get(round=midyear)
    assert report.date == datetime.date(2013, 12, 5)
    assert report.to == "Social Care and Public Health Cabinet Committee"
    assert report.subject == "Families and Social Care Performance and Mid-Year Business Plan Monitoring"
    assert report.classification == "Unrestricted"
    assert report.by.split("\n") == [
        "Graham Gibbens, Cabinet Member for Adult Social Care & Public Health",
        "Jenny Whittle, Cabinet Member for Specialist Children's Services",
        "Andrew Ireland, Corporate Director for Families and Social Care",
    ]
    assert report.introduction.startswith("## 1. Introduction")
    assert report.introduction.endswith("Families and Social Care and is presented by Division.")
    assert report.closing_sections.startswith("## **10. Risk and Business Continuity Management**")
    assert report.closing_sections.endswith("- 12.1 None")
    assert "alan.fitzgerald@kent.gov.uk" in report.authors
    assert [(c.number, c.unit.code) for c in report.chapters.all()] == [(6, "SCS"), (7, "OPPD"), (8, "LDMH"), (9, "SC")]


def test_the_year_end_round_is_open_and_empty_for_editors(loaded):
    _, year_end = loaded
    assert (year_end.name, year_end.kind, year_end.is_open) == ("Year-end 2013-14", "year_end", True)
    assert year_end.deadline == datetime.date(2014, 5, 15)
    assert year_end.source_note.startswith("Deadline reconstructed, not printed")
    assert not ActionReturn.objects.filter(round=year_end).exists()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_twice_duplicates_nothing_and_changes_nothing(loaded):
    first = row_counts()
    midyear = Round.objects.get(kind="mid_year")
    snapshot = midyear.snapshot
    load_demo_rounds()
    assert row_counts() == first
    midyear.refresh_from_db()
    assert midyear.snapshot == snapshot


def test_the_transcriber_cannot_sign_in(midyear):
    user = get_user_model().objects.get(username="fsc.midyear.report")
    assert user.get_full_name() == "FSC mid-year report (transcribed)"
    assert not user.is_active
