"""Plan checks: each check finds what it should and nothing else, the LD/MH seed's findings, blocking
submission, the checks page, the plan list's Checks column, and the administrator's policy."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.cache import bump_generation
from exchange.seeds import load_all
from performance.models import Indicator
from plans import checks, selectors, services
from plans.apps import create_check_policies
from plans.models import Action, Plan, PlanCheckPolicy, PlanEvent
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MilestoneFactory,
    PlanFactory,
    PlanTemplateFactory,
    PriorityFactory,
    fill_plan,
    year,
)
from tests.performance.factories import (
    ActivityIndicatorFactory,
    IndicatorFactory,
    IndicatorYearFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

APRIL_2012 = datetime.date(2012, 4, 1)
APRIL_2013 = datetime.date(2013, 4, 1)
MARCH_2014 = datetime.date(2014, 3, 1)
APRIL_2014 = datetime.date(2014, 4, 1)
YEAR_SPAN = "the 2013-14 plan year (April 2013 to March 2014)"


def fetched(plan):
    """The plan as the pages fetch it: with unit and year, and everything the checks read."""
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    selectors.prefetch_for_checks([plan])
    return plan


def messages_of(code, plan):
    return [finding.message for finding in checks.CHECKS[code].function(fetched(plan))]


def set_blocking(*codes):
    PlanCheckPolicy.objects.update(blocks_submission=False)
    for code in codes:
        PlanCheckPolicy.objects.update_or_create(code=code, defaults={"blocks_submission": True})


# --- Each check: a case that finds and a case that does not -----------------------------------------


def headline_and_sub(priority, headline=None, sub=None):
    """Headline action 1 with sub-action 1.1; keyword dicts override the factory defaults."""
    ActionFactory(priority=priority, number=1, sub_number=0, **(headline or {}))
    ActionFactory(priority=priority, number=1, sub_number=1, **(sub or {}))


GROUPING_HEADLINE = {"officer": "", "start": None, "end": None}

CASES = [
    # (check code, what the plan holds, how to build priority 1, the messages expected)
    ("action_no_officer", "sub-action without officer", lambda p: headline_and_sub(p, sub={"officer": " "}),
     ["Priority 1, action 1.1 has no accountable officer"]),
    ("action_no_officer", "lone headline without officer", lambda p: ActionFactory(priority=p, officer=""),
     ["Priority 1, action 1 has no accountable officer"]),
    ("action_no_officer", "headline with sub-actions and own dates, no officer",
     lambda p: headline_and_sub(p, headline={"officer": ""}),
     ["Priority 1, action 1 has its own dates but no accountable officer"]),
    ("action_no_officer", "grouping headline: no officer, no dates", lambda p: headline_and_sub(p, GROUPING_HEADLINE),
     []),
    ("action_no_officer", "every officer named", lambda p: headline_and_sub(p), []),
    ("action_no_dates", "sub-action without dates", lambda p: headline_and_sub(p, sub={"start": None, "end": None}),
     ["Priority 1, action 1.1 has no start or end month"]),
    ("action_no_dates", "lone headline without end", lambda p: ActionFactory(priority=p, end=None),
     ["Priority 1, action 1 has no end month"]),
    ("action_no_dates", "headline with sub-actions and a start only",
     lambda p: headline_and_sub(p, headline={"end": None}), ["Priority 1, action 1 has no end month"]),
    ("action_no_dates", "sub-action without start", lambda p: headline_and_sub(p, sub={"start": None}),
     ["Priority 1, action 1.1 has no start month"]),
    ("action_no_dates", "grouping headline: no dates", lambda p: headline_and_sub(p, GROUPING_HEADLINE), []),
    ("action_dates_outside_year", "starts April 2012", lambda p: ActionFactory(priority=p, start=APRIL_2012),
     [f"Priority 1, action 1 starts in April 2012, before {YEAR_SPAN}"]),
    ("action_dates_outside_year", "sub-action ends April 2014",
     lambda p: headline_and_sub(p, sub={"end": APRIL_2014}),
     [f"Priority 1, action 1.1 ends in April 2014, after {YEAR_SPAN}"]),
    ("action_dates_outside_year", "both ends outside",
     lambda p: ActionFactory(priority=p, start=APRIL_2012, end=APRIL_2014),
     [f"Priority 1, action 1 starts in April 2012, before {YEAR_SPAN}",
      f"Priority 1, action 1 ends in April 2014, after {YEAR_SPAN}"]),
    ("action_dates_outside_year", "April 2013 to March 2014",
     lambda p: ActionFactory(priority=p, start=APRIL_2013, end=MARCH_2014), []),
    ("action_dates_outside_year", "no dates", lambda p: ActionFactory(priority=p, start=None, end=None), []),
    ("priority_no_milestone", "no milestone", lambda p: ActionFactory(priority=p),
     ["Priority 1 (Prevention) has no key milestone"]),
    ("priority_no_milestone", "a milestone", lambda p: MilestoneFactory(priority=p), []),
    ("milestone_after_year_end", "due April 2014", lambda p: MilestoneFactory(priority=p, due=APRIL_2014),
     [f"Priority 1, milestone A is due in April 2014, after {YEAR_SPAN}"]),
    ("milestone_after_year_end", "due March 2014", lambda p: MilestoneFactory(priority=p, due=MARCH_2014), []),
    ("milestone_after_year_end", "no due month", lambda p: MilestoneFactory(priority=p, due=None), []),
    ("milestone_no_date", "no due month", lambda p: MilestoneFactory(priority=p, due=None),
     ["Priority 1, milestone A has no due month"]),
    ("milestone_no_date", "due April 2013", lambda p: MilestoneFactory(priority=p, due=APRIL_2013), []),
    ("decision_not_in_forward_plan", "marked No", lambda p: DecisionFactory(priority=p, in_forward_plan=False),
     ["Priority 1, decision 1 is not in the Forward Plan"]),
    ("decision_not_in_forward_plan", "not marked", lambda p: DecisionFactory(priority=p, in_forward_plan=None),
     ["Priority 1, decision 1 does not say whether it is already in the Forward Plan"]),
    ("decision_not_in_forward_plan", "marked Yes", lambda p: DecisionFactory(priority=p, in_forward_plan=True), []),
    ("sub_action_without_headline", "2.1 without 2",
     lambda p: ActionFactory(priority=p, number=2, sub_number=1),
     ["Priority 1, action 2.1 has no headline action 2"]),
    ("sub_action_without_headline", "2.1 and 2.2 without 2",
     lambda p: [ActionFactory(priority=p, number=2, sub_number=n) for n in (1, 2)],
     ["Priority 1, actions 2.1 and 2.2 have no headline action 2"]),
    ("sub_action_without_headline", "2.1 under 2", lambda p: headline_and_sub(p), []),
    ("indicator_no_target", "rated, no figures for the year",
     lambda p: IndicatorFactory(unit=p.plan.unit, reference="NI 130", title="Self-directed support"),
     ["Indicator NI 130: Self-directed support has no target for 2013-14"]),
    ("indicator_no_target", "rated, the plan says when it will be set",
     lambda p: IndicatorYearFactory(
         indicator=IndicatorFactory(unit=p.plan.unit, reference="C72", title="Admissions"),
         year=p.plan.year, target_note="to be set July 2009"),
     ["Indicator C72: Admissions has no target for 2013-14 (the plan says: to be set July 2009)"]),
    ("indicator_no_target", "rated, a target only for another year",
     lambda p: TargetFactory(indicator_year=IndicatorYearFactory(
         indicator=IndicatorFactory(unit=p.plan.unit, reference="D40", title="Reviews"), year=year(2012))),
     ["Indicator D40: Reviews has no target for 2013-14"]),
    ("indicator_no_target", "rated, a target for the year",
     lambda p: TargetFactory(indicator_year=IndicatorYearFactory(indicator=IndicatorFactory(unit=p.plan.unit),
                                                                 year=p.plan.year)), []),
    ("indicator_no_target", "rated, a relative target (+5%)",
     lambda p: IndicatorYearFactory(indicator=IndicatorFactory(unit=p.plan.unit), year=p.plan.year,
                                    relative_target_percent=5), []),
    ("indicator_no_target", "data only", lambda p: IndicatorFactory(unit=p.plan.unit, polarity="none"), []),
    ("indicator_no_target", "activity indicator", lambda p: ActivityIndicatorFactory(unit=p.plan.unit), []),
    ("indicator_no_target", "another unit's indicator", lambda p: IndicatorFactory(), []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "case", "build", "expected"), CASES, ids=[f"{code}: {case}" for code, case, _, _ in CASES]
)
def test_check_finds_exactly_what_it_should(division, code, case, build, expected):
    plan = PlanFactory(unit=division)
    build(PriorityFactory(plan=plan, number=1, title="Prevention"))
    assert messages_of(code, plan) == expected


def test_every_check_has_a_finding_case_and_a_clean_case():
    finding = {code for code, _, _, expected in CASES if expected}
    clean = {code for code, _, _, expected in CASES if not expected}
    available = {code for code, item in checks.CHECKS.items() if item.available}
    assert finding == clean == available


def test_the_checks_read_rows_that_derive_what_the_models_derive(division):
    """The checks read plain rows (plans/check_rows.py): each row's label and the like are its model's."""
    plan = PlanFactory(unit=division)
    fill_plan(plan, priorities=2, actions=2, sub_actions=2)
    IndicatorFactory(unit=division, reference="BI 1", title="Rated")
    ActivityIndicatorFactory(unit=division, reference="", title="Activity with no reference")
    rows = fetched(plan)

    actions = {row.pk: row for priority in rows.checked_priorities for row in priority.checked_actions}
    models = Action.objects.filter(priority__plan=plan)
    assert {a.pk: (a.label, a.is_headline) for a in models} == {
        pk: (r.label, r.is_headline) for pk, r in actions.items()
    }
    indicators = {row.pk: (row.label, row.is_rated) for row in rows.unit.checked_indicators}
    assert indicators == {i.pk: (i.label, i.is_rated) for i in Indicator.objects.filter(unit=division)}
    assert {label for label, _rated in indicators.values()} == {"BI 1: Rated", "Activity with no reference"}


def test_findings_name_the_anchor_and_field_to_fix(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=2)
    ActionFactory(priority=priority, number=1, sub_number=0, officer="", start=None, end=None)
    ActionFactory(priority=priority, number=1, sub_number=3, officer="")
    DecisionFactory(priority=priority, in_forward_plan=False)

    found = {finding.check: finding for finding in checks.run_checks(fetched(plan))}

    officer = found["action_no_officer"]
    assert officer.message == "Priority 2, action 1.3 has no accountable officer"
    assert (officer.anchor, officer.field) == ("action-2-1.3", "officer")
    assert officer.url == f"/plans/{plan.pk}/tables/priorities/#action-2-1.3"
    assert officer.item.sub_number == 3
    assert (found["decision_not_in_forward_plan"].anchor, found["decision_not_in_forward_plan"].field) == (
        "priority-2",
        "in_forward_plan",
    )
    assert (found["priority_no_milestone"].anchor, found["priority_no_milestone"].field) == ("priority-2", "milestones")
    assert all(finding.severity == checks.WARNING for finding in found.values())


def test_findings_link_editors_to_the_field_to_fix(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=2)
    action = ActionFactory(priority=priority, number=1, sub_number=0, officer="")
    decision = DecisionFactory(priority=priority, in_forward_plan=None)
    milestone = MilestoneFactory(priority=priority, due=None)
    indicator = IndicatorFactory(unit=division)

    found = {finding.check: finding for finding in checks.run_checks(fetched(plan))}

    assert found["action_no_officer"].fix_url == f"/plans/{plan.pk}/edit/action/{action.pk}/#id_officer"
    assert found["decision_not_in_forward_plan"].fix_url == (
        f"/plans/{plan.pk}/edit/decision/{decision.pk}/#id_in_forward_plan"
    )
    assert found["milestone_no_date"].fix_url == f"/plans/{plan.pk}/edit/milestone/{milestone.pk}/#id_due"
    assert found["indicator_no_target"].fix_url == f"/performance/{indicator.pk}/#targets"
    assert found["indicator_no_target"].url == f"/plans/{plan.pk}/tables/indicators/#indicator-{indicator.pk}"


def test_a_priority_with_no_milestone_links_to_adding_one(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=1)
    (finding,) = [f for f in checks.run_checks(fetched(plan)) if f.check == "priority_no_milestone"]
    assert finding.fix_url == f"/plans/{plan.pk}/edit/priorities/{priority.pk}/milestone/add/"


def test_the_fields_linked_to_exist_on_the_editing_pages(division, unit_editor, client_for):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, officer="", start=None, end=None)
    DecisionFactory(priority=priority, in_forward_plan=None)
    MilestoneFactory(priority=priority, due=None)
    client = client_for(unit_editor)
    for finding in checks.run_checks(fetched(plan)):
        page, _, anchor = finding.fix_url.partition("#")
        response = client.get(page)
        assert response.status_code == 200, finding.fix_url
        if anchor:
            assert f'id="{anchor}"' in response.content.decode(), finding.fix_url


def test_checks_page_links_editors_to_fields_and_readers_to_the_plan(
    plan_with_a_missing_officer, unit_editor, approver, client_for
):
    plan = plan_with_a_missing_officer
    (finding,) = checks.run_checks(fetched(plan))
    assert f'href="{finding.fix_url}"' in client_for(unit_editor).get(checks_url(plan)).content.decode()
    page = client_for(approver).get(checks_url(plan)).content.decode()
    assert f'href="{finding.url}"' in page
    assert finding.fix_url not in page


def test_registry_order_is_the_order_of_the_issue():
    assert list(checks.CHECKS) == [
        "action_no_officer",
        "action_no_dates",
        "action_dates_outside_year",
        "priority_no_milestone",
        "milestone_after_year_end",
        "milestone_no_date",
        "decision_not_in_forward_plan",
        "sub_action_without_headline",
        "indicator_no_target",
    ]


def test_blocking_codes_mark_findings_as_blocking(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan)
    MilestoneFactory(priority=priority, due=None)
    DecisionFactory(priority=priority, in_forward_plan=False)
    findings = checks.run_checks(fetched(plan), blocking={"milestone_no_date"})
    assert [(f.check, f.blocks_submission) for f in findings] == [
        ("milestone_no_date", True),
        ("decision_not_in_forward_plan", False),
    ]


# --- The LD/MH seed ----------------------------------------------------------------------------------

# Read from fixtures/seeds/ldmh-divisional-plan-2013-14.json by hand: every sub-action names an officer
# and has both dates; the only headline actions with dates or without sub-actions are priority 3
# action 4 (dates April 2013 - March 2014, no officer) and priority 5 action 4 (officer and dates);
# priority 5 action 1.1 starts 2012-04, every other date is within April 2013 - March 2014; all six
# priorities have milestones, all due by 2014-03; of the four decisions only priority 2's is "false".
SEED_FINDINGS = [
    ("action_no_officer", "Priority 3, action 4 has its own dates but no accountable officer", "action-3-4"),
    (
        "action_dates_outside_year",
        "Priority 5, action 1.1 starts in April 2012, before the 2013-14 plan year (April 2013 to March 2014)",
        "action-5-1.1",
    ),
    ("decision_not_in_forward_plan", "Priority 2, decision 1 is not in the Forward Plan", "priority-2"),
]


@pytest.fixture
def seed_plan(db):
    load_all()
    return Plan.objects.with_unit().get(unit__code="LDMH", year_id=2013)


def test_seed_plan_findings(seed_plan):
    findings = selectors.plan_findings(seed_plan)
    assert [(f.check, f.message, f.anchor) for f in findings] == SEED_FINDINGS
    assert Counter(f.check for f in findings) == {
        "action_no_officer": 1,
        "action_dates_outside_year": 1,
        "decision_not_in_forward_plan": 1,
    }


def test_seed_plan_finding_links_reach_existing_anchors_on_the_plan_pages(seed_plan, client_for, admin_user):
    client = client_for(admin_user)
    findings = selectors.plan_findings(seed_plan)
    assert {finding.table for finding in findings} == {"priorities"}
    for finding in findings:
        link, _, anchor = finding.url.partition("#")
        page = client.get(link, follow=True)
        assert page.redirect_chain[0][0].startswith(f"/plans/{seed_plan.pk}/sections/"), finding.url
        assert f'id="{anchor}"' in page.text, finding.url


def test_seed_checks_page_groups_the_findings_by_check(seed_plan, client_for, admin_user):
    response = client_for(admin_user).get(reverse("plans:checks", args=[seed_plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 findings." in page
    links = {finding.message: finding.fix_url for finding in checks.run_checks(fetched(seed_plan))}
    for code, message, _anchor in SEED_FINDINGS:
        title = checks.CHECKS[code].title
        assert f'<h2 class="govuk-heading-m" id="check-{code}">{title}</h2>' in page
        assert f'<a class="govuk-link" href="{links[message]}">{message}</a>' in page  # the administrator may edit
    assert "No findings" not in page
    assert "Not run yet" not in page  # every check runs


# --- Submitting ----------------------------------------------------------------------------------------


@pytest.fixture
def plan_with_a_missing_officer(division):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan, number=1)
    headline_and_sub(priority, GROUPING_HEADLINE, {"officer": ""})
    MilestoneFactory(priority=priority)
    return Plan.objects.with_unit().get(pk=plan.pk)


def test_submission_is_refused_while_a_blocking_check_has_findings(plan_with_a_missing_officer, unit_editor):
    set_blocking("action_no_officer")
    with pytest.raises(ValidationError) as refused:
        services.plan_transition(plan=plan_with_a_missing_officer, user=unit_editor, step="submit")
    assert refused.value.messages == [
        "Priority 1, action 1.1 has no accountable officer: fix this before submitting the plan."
    ]
    plan_with_a_missing_officer.refresh_from_db()
    assert plan_with_a_missing_officer.status == Plan.Status.DRAFT
    assert not PlanEvent.objects.exists()


@pytest.mark.parametrize("blocking", [(), ("milestone_no_date", "priority_no_milestone")])
def test_findings_of_non_blocking_checks_do_not_stop_submission(plan_with_a_missing_officer, unit_editor, blocking):
    set_blocking(*blocking)
    services.plan_transition(plan=plan_with_a_missing_officer, user=unit_editor, step="submit")
    plan_with_a_missing_officer.refresh_from_db()
    assert plan_with_a_missing_officer.status == Plan.Status.SUBMITTED


def test_blocking_checks_apply_to_submission_only(plan_with_a_missing_officer, unit_editor, approver):
    services.plan_transition(plan=plan_with_a_missing_officer, user=unit_editor, step="submit")
    set_blocking("action_no_officer")
    services.plan_transition(plan=plan_with_a_missing_officer, user=approver, step="approve")
    plan_with_a_missing_officer.refresh_from_db()
    assert plan_with_a_missing_officer.status == Plan.Status.APPROVED


def submit_url(plan):
    return reverse("plans:transition", args=[plan.pk, "submit"])


def test_submit_page_shows_findings_as_warnings_and_lets_the_officer_submit(
    plan_with_a_missing_officer, unit_editor, client_for
):
    set_blocking()
    client = client_for(unit_editor)
    page = client.get(submit_url(plan_with_a_missing_officer)).content.decode()
    (finding,) = checks.run_checks(fetched(plan_with_a_missing_officer))
    anchor = finding.fix_url  # the editor is sent to the field to fix
    assert (
        '<strong class="govuk-tag govuk-tag--yellow">Warning</strong> '
        f'<a class="govuk-link" href="{anchor}">Priority 1, action 1.1 has no accountable officer</a>'
    ) in page
    assert "Blocks submission" not in page
    assert ">Submit for approval</button>" in page

    response = client.post(submit_url(plan_with_a_missing_officer), {"comment": "Ready"})
    assert response.status_code == 302
    plan_with_a_missing_officer.refresh_from_db()
    assert plan_with_a_missing_officer.status == Plan.Status.SUBMITTED


def test_submit_page_marks_blocking_findings_and_a_post_is_refused(
    plan_with_a_missing_officer, unit_editor, client_for
):
    set_blocking("action_no_officer")
    client = client_for(unit_editor)
    page = client.get(submit_url(plan_with_a_missing_officer)).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Blocks submission</strong>' in page
    assert "You cannot submit this plan until the findings marked “Blocks submission” are fixed." in page
    assert ">Submit for approval</button>" not in page

    response = client.post(submit_url(plan_with_a_missing_officer), {"comment": "Ready"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Priority 1, action 1.1 has no accountable officer: fix this before submitting the plan." in page
    plan_with_a_missing_officer.refresh_from_db()
    assert plan_with_a_missing_officer.status == Plan.Status.DRAFT


def test_submit_page_of_a_clean_plan_says_so(division, unit_editor, client_for):
    plan = fill_plan(PlanFactory(unit=division), priorities=1, actions=1)
    for decision in plan.priorities.get().decisions.all():
        decision.in_forward_plan = True
        decision.save()
    page = client_for(unit_editor).get(submit_url(plan)).content.decode()
    assert "The plan checks found nothing that a policy officer would challenge." in page


# --- The checks page -------------------------------------------------------------------------------------


def checks_url(plan):
    return reverse("plans:checks", args=[plan.pk])


def test_checks_page_of_a_clean_plan_shows_no_findings(division, unit_editor, client_for):
    plan = PlanFactory(unit=division)
    priority = PriorityFactory(plan=plan)
    headline_and_sub(priority, GROUPING_HEADLINE)
    MilestoneFactory(priority=priority)
    page = client_for(unit_editor).get(checks_url(plan)).content.decode()
    assert '<h2 class="govuk-panel__title">No findings</h2>' in page
    assert "Blocks submission" not in page


def test_checks_page_marks_blocking_checks(plan_with_a_missing_officer, unit_editor, client_for):
    set_blocking("action_no_officer")
    page = client_for(unit_editor).get(checks_url(plan_with_a_missing_officer)).content.decode()
    assert "1 finding, 1 of which blocks submission." in page
    assert '<strong class="govuk-tag govuk-tag--red">Blocks submission</strong>' in page


def test_plan_page_links_to_the_checks_page_with_the_count(plan_with_a_missing_officer, unit_editor, client_for):
    page = client_for(unit_editor).get(reverse("plans:detail", args=[plan_with_a_missing_officer.pk])).content.decode()
    assert f'<a class="govuk-link" href="{checks_url(plan_with_a_missing_officer)}">Plan checks</a>: 1 finding' in page


def test_checks_page_sends_anonymous_visitors_to_sign_in(client, division):
    plan = PlanFactory(unit=division, status=Plan.Status.PUBLISHED)
    response = client.get(checks_url(plan))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={checks_url(plan)}"


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("other_unit_editor", "draft", 404),
        ("other_unit_editor", "published", 404),
        ("committee_member", "draft", 404),
        ("committee_member", "submitted", 404),
        ("committee_member", "published", 200),
        ("unit_editor", "draft", 200),
        ("approver", "submitted", 200),
        ("admin_user", "draft", 200),
    ],
)
def test_checks_page_is_shown_to_those_who_may_read_the_plan(request, client_for, division, role, status, expected):
    plan = PlanFactory(unit=division, status=status)
    user = request.getfixturevalue(role)
    assert client_for(user).get(checks_url(plan)).status_code == expected


def test_checks_page_of_a_missing_plan_is_404(client_for, admin_user):
    assert client_for(admin_user).get(reverse("plans:checks", args=[999999])).status_code == 404


# --- The plan list's Checks column ---------------------------------------------------------------------------


def test_plan_list_shows_the_number_of_findings_linking_to_the_checks_page(
    plan_with_a_missing_officer, division, unit_editor, client_for
):
    clean = PlanFactory(unit=division)
    page = client_for(unit_editor).get(reverse("plans:list")).content.decode()
    assert f'<a class="govuk-link" href="{checks_url(plan_with_a_missing_officer)}">1 finding<span' in page
    assert f'<a class="govuk-link" href="{checks_url(clean)}">No findings<span' in page


def test_plan_list_counts_findings_for_the_page_shown_only(division, admin_user, client_for, monkeypatch):
    template = PlanTemplateFactory()
    for _ in range(53):
        PlanFactory(unit=division, template=template)
    counted = []
    real = selectors.finding_counts

    def spy(plans):
        plans = list(plans)
        counted.append(len(plans))
        return real(plans)

    monkeypatch.setattr(selectors, "finding_counts", spy)
    client = client_for(admin_user)
    assert client.get(reverse("plans:list")).status_code == 200
    assert client.get(reverse("plans:list"), {"page": 2}).status_code == 200
    assert counted == [50, 3]


def test_the_plan_list_counts_findings_without_keeping_the_rows_on_its_plans(plan_with_a_missing_officer):
    """The rows go with the counting: left on a page's plans they are freed only with the page's table, a
    reference cycle, by the cyclic garbage collector within a later request (docs/benchmarks.md)."""
    plan = Plan.objects.with_unit().get(pk=plan_with_a_missing_officer.pk)

    assert selectors.finding_counts([plan]) == {plan.pk: 1}
    assert not hasattr(plan, "checked_priorities")
    assert not hasattr(plan.unit, "checked_indicators")


@pytest.mark.parametrize(
    ("status", "checked"),
    [
        (Plan.Status.DRAFT, True),
        (Plan.Status.SUBMITTED, True),
        (Plan.Status.APPROVED, False),
        (Plan.Status.PUBLISHED, False),
    ],
)
def test_plan_list_checks_only_plans_awaiting_approval(status, checked, division, admin_user, client_for, monkeypatch):
    plan = fill_plan(PlanFactory(unit=division, status=status), priorities=1, actions=1)
    ActionFactory(priority=plan.priorities.first(), officer="")
    counted = []
    real = selectors.finding_counts

    def spy(plans):
        plans = list(plans)
        counted.extend(plans)
        return real(plans)

    monkeypatch.setattr(selectors, "finding_counts", spy)
    page = client_for(admin_user).get(reverse("plans:list")).text
    assert (plan in counted) is checked
    assert (checks_url(plan) in page) is checked
    if not checked:
        assert '–<span class="govuk-visually-hidden"> (checks are for plans awaiting approval)</span>' in page


# --- Query counts ---------------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # one-off caches (sessions, content types) out of the way
    bump_generation()  # but nothing of the page read from common/cache.py: the plan list caches its counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_checks_page_takes_the_same_number_of_queries_however_large_the_plan(division, unit_editor, client_for):
    client = client_for(unit_editor)
    small = fill_plan(PlanFactory(unit=division), priorities=1, actions=1)
    large = fill_plan(PlanFactory(unit=division), priorities=4, actions=3, sub_actions=2)
    ActionFactory(priority=large.priorities.first(), officer="", start=APRIL_2012)
    assert count_queries(client, checks_url(small)) == count_queries(client, checks_url(large))


def test_plan_list_with_checks_takes_the_same_number_of_queries_however_many_plans(
    division, other_division, approver, client_for
):
    client = client_for(approver)
    template = PlanTemplateFactory()
    fill_plan(PlanFactory(unit=division, template=template), priorities=1, actions=1)
    one = count_queries(client, reverse("plans:list"))
    for unit in (division, other_division, other_division):
        fill_plan(PlanFactory(unit=unit, template=template), priorities=3, actions=2)
    response = client.get(reverse("plans:list"))
    assert len(response.context["table"].rows) == 4
    assert count_queries(client, reverse("plans:list")) == one


def test_submit_page_takes_the_same_number_of_queries_however_large_the_plan(division, unit_editor, client_for):
    client = client_for(unit_editor)
    small = fill_plan(PlanFactory(unit=division), priorities=1, actions=1)
    large = fill_plan(PlanFactory(unit=division), priorities=3, actions=3)
    assert count_queries(client, submit_url(small)) == count_queries(client, submit_url(large))


# --- The administrator's policy -------------------------------------------------------------------------------


def test_a_policy_row_exists_for_every_check_after_migrate():
    assert sorted(PlanCheckPolicy.objects.values_list("code", flat=True)) == sorted(checks.CHECKS)
    assert not PlanCheckPolicy.objects.filter(blocks_submission=True).exists()


def test_creating_policy_rows_again_keeps_the_administrators_choices():
    from django.apps import apps

    set_blocking("action_no_dates")
    PlanCheckPolicy.objects.filter(code="milestone_no_date").delete()
    create_check_policies(apps.get_app_config("plans"))
    assert PlanCheckPolicy.objects.count() == len(checks.CHECKS)
    assert list(PlanCheckPolicy.objects.filter(blocks_submission=True).values_list("code", flat=True)) == [
        "action_no_dates"
    ]


def test_admin_changelist_lists_the_checks_in_order_and_saves_blocking_choices(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("admin:plans_plancheckpolicy_changelist")
    response = client.get(url)
    assert response.status_code == 200
    policies = list(response.context["cl"].result_list)
    assert [policy.code for policy in policies] == list(checks.CHECKS)

    data = {"form-TOTAL_FORMS": len(policies), "form-INITIAL_FORMS": len(policies), "_save": "Save"}
    for index, policy in enumerate(policies):
        data[f"form-{index}-id"] = policy.pk
        if policy.code == "action_dates_outside_year":
            data[f"form-{index}-blocks_submission"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert selectors.blocking_check_codes() == {"action_dates_outside_year"}


def test_admin_change_page_explains_the_choice(client_for, admin_user):
    policy = PlanCheckPolicy.objects.get(code="decision_not_in_forward_plan")
    response = client_for(admin_user).get(reverse("admin:plans_plancheckpolicy_change", args=[policy.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tick to stop editors submitting a plan for approval" in page
    assert checks.CHECKS["decision_not_in_forward_plan"].description in page
