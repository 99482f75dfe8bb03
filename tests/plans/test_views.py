"""The plan list, a plan's front page and its section pages: who may see what, what the pages show, and
how many queries they take."""

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Unit
from plans.models import Plan, PlanEvent
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    DirectorateFactory,
    DivisionFactory,
    PlanFactory,
    PlanSectionFactory,
    PlanTemplateFactory,
    PriorityFactory,
    RiskFactory,
    ServiceUnitFactory,
    TemplateSectionFactory,
    UserFactory,
    fill_plan,
    year,
)
from tests.plan_pages import section_url, whole_plan

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("login")


def detail_url(plan):
    return reverse("plans:detail", args=[plan.pk])


def listed_plans(response):
    return {row.record for row in response.context["table"].rows}


# --- Signing in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [reverse("home"), reverse("plans:list"), reverse("plans:detail", args=[1]), reverse("plans:list") + "?year=2013"],
)
def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?{urlencode({'next': url}, safe='/')}"


def test_anonymous_visitor_is_sent_to_sign_in_for_an_existing_plan_too(client):
    plan = PlanFactory(status=Plan.Status.PUBLISHED)
    response = client.get(detail_url(plan))
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={detail_url(plan)}"


def test_sign_in_page_is_open_to_anonymous_visitors(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert "Sign in to Kent Plans" in response.content.decode()


def test_signing_in_leads_to_the_next_page(client, unit_editor):
    response = client.post(
        SIGN_IN, {"username": unit_editor.username, "password": "a-test-password-1", "next": reverse("plans:list")}
    )
    assert response.status_code == 302
    assert response.url == reverse("plans:list")


def test_home_sends_a_signed_in_user_to_the_plan_list(client_for, unit_editor):
    response = client_for(unit_editor).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("plans:list")


# --- Who sees which plan ----------------------------------------------------------------------------


@pytest.fixture
def plans(directorate, division, other_division):
    """A draft and a published plan for the division, and a draft for the other division."""
    return {
        "division draft": PlanFactory(unit=division, status=Plan.Status.DRAFT),
        "division published": PlanFactory(unit=division, status=Plan.Status.PUBLISHED),
        "other division draft": PlanFactory(unit=other_division, status=Plan.Status.DRAFT),
        "elsewhere published": PlanFactory(status=Plan.Status.PUBLISHED),  # another council altogether
    }


VISIBLE = {
    "admin_user": {"division draft", "division published", "other division draft", "elsewhere published"},
    "unit_editor": {"division draft", "division published"},
    "other_unit_editor": {"other division draft"},
    "approver": {"division draft", "division published", "other division draft"},
    "committee_member": {"division published"},
}


@pytest.mark.parametrize("role", VISIBLE)
def test_plan_list_shows_exactly_the_plans_the_user_may_read(role, plans, client_for, request):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("plans:list"))
    assert response.status_code == 200
    assert listed_plans(response) == {plans[name] for name in VISIBLE[role]}


@pytest.mark.parametrize("role", VISIBLE)
@pytest.mark.parametrize("plan_name", ["division draft", "division published", "other division draft"])
def test_plan_page_is_shown_to_readers_and_404_to_everyone_else(role, plan_name, plans, client_for, request):
    user = request.getfixturevalue(role)
    response = client_for(user).get(detail_url(plans[plan_name]))
    assert response.status_code == (200 if plan_name in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", VISIBLE)
@pytest.mark.parametrize("plan_name", ["division draft", "division published", "other division draft"])
def test_section_pages_are_shown_to_readers_and_404_to_everyone_else(role, plan_name, plans, client_for, request):
    client = client_for(request.getfixturevalue(role))
    plan = plans[plan_name]
    expected = 200 if plan_name in VISIBLE[role] else 404
    assert client.get(section_url(plan, "C")).status_code == expected
    # The link of a plan check's finding, which leads to the section holding the table.
    response = client.get(reverse("plans:table", args=[plan.pk, "priorities"]))
    assert response.status_code == (302 if expected == 200 else 404)


def test_section_page_of_an_anonymous_visitor_is_the_sign_in_page(client, plans):
    url = section_url(plans["division published"], "C")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={url}"


def test_plan_page_of_a_missing_plan_is_404(client_for, admin_user):
    assert client_for(admin_user).get(reverse("plans:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("code", ["Z", "a", "AAAAAAAAAAAA", "A B"])
def test_a_section_the_plans_template_does_not_have_is_404(code, division, client_for, unit_editor):
    plan = PlanFactory(unit=division)
    assert client_for(unit_editor).get(section_url(plan, code)).status_code == 404


def test_a_table_the_plans_template_does_not_have_is_404(division, client_for, unit_editor):
    template = PlanTemplateFactory(sections=[("A", "Purpose", [])])
    plan = PlanFactory(unit=division, template=template)
    assert client_for(unit_editor).get(reverse("plans:table", args=[plan.pk, "priorities"])).status_code == 404


def test_the_only_section_of_a_plan_has_no_previous_or_next_links(division, client_for, unit_editor):
    plan = PlanFactory(unit=division, template=PlanTemplateFactory(sections=[("A", "Purpose", [])]))
    page = client_for(unit_editor).get(section_url(plan, "A")).text
    assert "Section A: Purpose" in page
    assert "govuk-pagination" not in page


def test_a_findings_link_leads_to_the_section_holding_its_table(division, client_for, unit_editor):
    plan = PlanFactory(unit=division)
    response = client_for(unit_editor).get(reverse("plans:table", args=[plan.pk, "indicators"]))
    assert response.url == section_url(plan, "F")


def test_directorate_approver_reaches_service_units_below_its_divisions(division, approver, client_for):
    plan = PlanFactory(unit=ServiceUnitFactory(parent=division))
    assert client_for(approver).get(detail_url(plan)).status_code == 200


def test_a_user_without_memberships_sees_no_plans(plans, client_for):
    client = client_for(UserFactory())
    assert listed_plans(client.get(reverse("plans:list"))) == set()
    assert client.get(detail_url(plans["division published"])).status_code == 404


# --- What the plan page shows -----------------------------------------------------------------------

XSS = "<script>alert(1)</script>"


def test_user_text_on_the_plan_page_is_escaped_or_sanitised(division, client_for, unit_editor):
    plan = PlanFactory(unit=division, title=f"Title {XSS}", version_label=f"v1 {XSS}")
    priority = PriorityFactory(plan=plan, title=f"Priority {XSS}", description=f"Description {XSS}")
    ActionFactory(priority=priority, text=f"Action text {XSS}", officer=f"Officer {XSS}", source_note=f"Note {XSS}")
    DecisionFactory(priority=priority, text=f"Decision {XSS}")
    RiskFactory(plan=plan, risk=f"Risk {XSS}", mitigation=f"Mitigation {XSS}")
    section = plan.template.sections.get(code="A")
    PlanSectionFactory(
        plan=plan, template_section=section, body=f"Narrative {XSS}\n\n[link](javascript:alert(2)) <b onclick=x()>b</b>"
    )

    content = whole_plan(client_for(unit_editor), plan)

    assert XSS not in content
    assert "alert(2)" not in content
    assert "onclick" not in content
    assert "Action text &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Officer &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Risk &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<p class="govuk-body">Narrative </p>' in content  # the script is removed from the Markdown


def _section_links(html):
    return re.findall(r'href="/plans/\d+/sections/(\w+)/"', html)


def test_plan_front_page_lists_sections_in_template_order(division, client_for, unit_editor):
    template = PlanTemplateFactory(sections=[])
    # Created out of order, with codes that do not sort in template order either.
    for order, code in [(3, "A"), (1, "Z"), (2, "M")]:
        TemplateSectionFactory(template=template, order=order, code=code, title=f"Title {code}")
    plan = PlanFactory(unit=division, template=template)

    response = client_for(unit_editor).get(detail_url(plan))

    assert _section_links(response.text) == ["Z", "M", "A"]
    assert "Section Z: Title Z" in response.text


def test_section_page_shows_its_own_narrative_and_links_its_neighbours(division, client_for, unit_editor):
    template = PlanTemplateFactory(sections=[])
    for order, code in [(3, "A"), (1, "Z"), (2, "M")]:
        TemplateSectionFactory(template=template, order=order, code=code, title=f"Title {code}")
    plan = PlanFactory(unit=division, template=template)
    for section in template.sections.all():
        PlanSectionFactory(plan=plan, template_section=section, body=f"Body of {section.code}")
    client = client_for(unit_editor)

    middle = client.get(section_url(plan, "M")).text

    assert re.findall(r"Body of (\w)", middle) == ["M"]
    assert re.findall(r'<h2 class="govuk-heading-l" id="section-(\w+)">', middle) == ["M"]
    assert '<span aria-current="page">Section M: Title M</span>' in middle
    assert _section_links(middle) == ["Z", "A", "Z", "A"]  # the contents, then previous and next
    assert 'rel="prev"' in middle
    assert 'rel="next"' in middle
    first = client.get(section_url(plan, "Z")).text
    assert 'rel="prev"' not in first
    assert 'rel="next"' in first
    last = client.get(section_url(plan, "A")).text
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last


def test_plan_pages_show_each_seed_template_section_and_its_tables(division, client_for, unit_editor):
    plan = fill_plan(PlanFactory(unit=division), priorities=1, actions=1)
    content = whole_plan(client_for(unit_editor), plan)
    for code in "ABCDEFG":
        assert f'id="section-{code}"' in content
    for caption in ("Priority 1 actions", "Risks", "Business continuity: critical functions", "Human resources"):
        assert caption in content
    assert 'id="action-1-1.1"' in content


def test_only_editors_of_a_draft_see_the_link_to_change_a_section(plans, client_for, unit_editor, approver):
    """Read in turn, so the approver's page is the cached one kept apart from the editor's."""
    draft, published = plans["division draft"], plans["division published"]
    change = "Change section C"
    assert change in client_for(unit_editor).get(section_url(draft, "C")).text
    assert change not in client_for(unit_editor).get(section_url(published, "C")).text
    assert change not in client_for(approver).get(section_url(draft, "C")).text


# --- The plan list filters --------------------------------------------------------------------------


@pytest.fixture
def two_directorates(council, directorate, division):
    other_directorate = DirectorateFactory(council=council, code="OTHERDIR", first_year=year(2012))
    other_division = DivisionFactory(parent=other_directorate, first_year=year(2012))
    return {
        "2013 division": PlanFactory(unit=division, year=year(2013)),
        "2013 directorate": PlanFactory(unit=directorate, year=year(2013)),
        "2013 service unit": PlanFactory(unit=ServiceUnitFactory(parent=division), year=year(2013)),
        "2013 other": PlanFactory(unit=other_division, year=year(2013)),
        "2012 other": PlanFactory(unit=other_division, year=year(2012)),
        "other directorate itself": PlanFactory(unit=other_directorate, year=year(2012)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "all"),
        ({"year": 2013}, {"2013 division", "2013 directorate", "2013 service unit", "2013 other"}),
        ({"year": 2012}, {"2012 other", "other directorate itself"}),
        ({"directorate": "DIR"}, {"2013 division", "2013 directorate", "2013 service unit"}),
        ({"directorate": "OTHERDIR"}, {"2013 other", "2012 other", "other directorate itself"}),
        ({"directorate": "OTHERDIR", "year": 2013}, {"2013 other"}),
        ({"directorate": "DIR", "year": 2012}, set()),
    ],
)
def test_plan_list_filters_by_year_and_directorate(query, expected, two_directorates, client_for, admin_user):
    if "directorate" in query:
        query = {**query, "directorate": Unit.objects.get(code=query["directorate"]).pk}
    response = client_for(admin_user).get(reverse("plans:list"), query)
    assert response.status_code == 200
    wanted = set(two_directorates) if expected == "all" else expected
    assert listed_plans(response) == {two_directorates[name] for name in wanted}


def test_plan_list_filter_by_status(plans, client_for, approver):
    response = client_for(approver).get(reverse("plans:list"), {"status": "published"})
    assert listed_plans(response) == {plans["division published"]}


def test_plan_list_links_each_plan_to_its_page(plans, client_for, unit_editor):
    content = client_for(unit_editor).get(reverse("plans:list")).content.decode()
    assert f'href="{detail_url(plans["division draft"])}"' in content


def test_plan_list_directorate_column_shows_the_directorate_of_a_service_unit(
    directorate, division, client_for, admin_user
):
    plan = PlanFactory(unit=ServiceUnitFactory(parent=division))
    response = client_for(admin_user).get(reverse("plans:list"))
    row = next(row for row in response.context["table"].rows if row.record == plan)
    assert row.get_cell("directorate") == directorate.code


# --- Query counts ------------------------------------------------------------------------------------


def count_queries(client, url, *, cached=False):
    """Queries of one request, measured after a first request so that one-off caches (templates, content
    types) do not count. Unless `cached`, what the page caches (common/cache.py) is built afresh, as on
    the first read after any change."""
    client.get(url)
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("code", list("ABCDEFG"))
def test_plan_pages_take_the_same_number_of_queries_however_large_the_plan(
    code, division, client_for, unit_editor, django_assert_num_queries
):
    client = client_for(unit_editor)
    small = fill_plan(PlanFactory(unit=division), priorities=1, actions=1, sub_actions=1)  # 1 priority, 2 actions
    large = fill_plan(PlanFactory(unit=division), priorities=3, actions=1, sub_actions=1)  # 3 times as much
    assert sum(p.actions.count() for p in small.priorities.all()) == 2
    assert sum(p.actions.count() for p in large.priorities.all()) == 6

    for url in (detail_url, lambda plan: section_url(plan, code)):
        queries_for_small = count_queries(client, url(small))
        cache.clear()
        with django_assert_num_queries(queries_for_small):
            client.get(url(large))


def test_a_findings_link_takes_the_same_few_queries_however_large_the_plan(division, client_for, unit_editor):
    """User, the plan (with its unit, for the permission), the section holding the table: no more."""
    client = client_for(unit_editor)
    small = fill_plan(PlanFactory(unit=division), priorities=1, actions=1)
    large = fill_plan(PlanFactory(unit=division), priorities=3, actions=3, sub_actions=2)
    counts = []
    for plan in (small, large):
        url = reverse("plans:table", args=[plan.pk, "priorities"])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1] == 3, counts


def test_section_page_read_again_takes_three_queries_its_content_coming_from_the_cache(
    division, client_for, committee_member
):
    """Session, user, the plan with its unit: the section, its contents and neighbours are cached."""
    plan = fill_plan(PlanFactory(unit=division, status=Plan.Status.PUBLISHED), priorities=2, actions=2)
    assert count_queries(client_for(committee_member), section_url(plan, "C"), cached=True) <= 3


def test_plan_front_page_takes_the_same_number_of_queries_however_many_workflow_events(
    division, client_for, unit_editor, django_assert_num_queries
):
    client = client_for(unit_editor)
    few, many = PlanFactory(unit=division), PlanFactory(unit=division)
    for plan, count in ((few, 1), (many, 3)):
        for _ in range(count):
            PlanEvent.objects.create(
                plan=plan, step="submit", from_status="draft", to_status="submitted", user=UserFactory()
            )
    queries_for_few = count_queries(client, detail_url(few))

    cache.clear()
    with django_assert_num_queries(queries_for_few):
        client.get(detail_url(many))


def test_plan_list_takes_the_same_number_of_queries_however_many_plans(
    directorate, division, client_for, approver, django_assert_num_queries
):
    client = client_for(approver)
    PlanFactory(unit=division)
    queries_for_one = count_queries(client, reverse("plans:list"))

    PlanFactory(unit=ServiceUnitFactory(parent=division))
    PlanFactory(unit=DivisionFactory(parent=directorate))
    assert len(listed_plans(client.get(reverse("plans:list")))) == 3

    cache.clear()
    with django_assert_num_queries(queries_for_one):
        client.get(reverse("plans:list"))


def test_plan_list_read_again_counts_no_findings_anew(division, client_for, approver):
    """The findings of the page's plans are cached: what the checks read is not read again."""
    client = client_for(approver)
    fill_plan(PlanFactory(unit=division), priorities=1, actions=1, sub_actions=1)
    fill_plan(PlanFactory(unit=ServiceUnitFactory(parent=division)), priorities=1, actions=1, sub_actions=1)
    afresh = client.get(reverse("plans:list"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("plans:list"))
    assert not [query for query in queries if "plans_priority" in query["sql"]]
    counts = re.compile(r"\d+ findings?|No findings")
    assert counts.findall(again.text) == counts.findall(afresh.text)
    assert len(counts.findall(again.text)) == 2


def test_the_plan_list_links_each_plan_in_the_govuk_link_style(division, client_for, approver):
    plan = PlanFactory(unit=division)
    html = client_for(approver).get(reverse("plans:list")).text
    link = re.search(rf'<a [^>]*href="{detail_url(plan)}"[^>]*>', html).group(0)
    assert 'class="govuk-link"' in link
