"""Editors key a plan's human resources in the browser: the FTE establishment, staffing by team or grade
band, and affordable activity levels; saved all or nothing, with no lost concurrent edits."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import ActivityLevel, StaffingEstablishment, StaffingLine
from plans.models import Plan
from tests.budgets.factories import ActivityLevelFactory, StaffingLineFactory
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def url(plan):
    return reverse("budgets:human_resources", kwargs={"pk": plan.pk})


@pytest.fixture
def draft(division):
    plan = PlanFactory(unit=division, status=Plan.Status.DRAFT)
    StaffingLineFactory(plan=plan, name="MH - Commissioning & Contracting", previous_fte=D("12.00"), fte=D("11.50"))
    StaffingLineFactory(plan=plan, name="MH - Social Work", previous_fte=D("140.25"), fte=D("141.00"))
    ActivityLevelFactory(plan=plan, service_code="MH01", description="Direct payments", clients=120)
    return plan


def page_data(response, **changes):
    """What the browser sends back from the page, unchanged but for `changes` ({"staffing-0-fte": "3"})."""
    context = response.context
    data = {"version": context["version"]}
    for formset in (context["staffing"], context["activity"]):
        data.update({bound.html_name: bound.value() for bound in formset.management_form})
        for form in formset.forms:
            for bound in form:
                if bound.name != "DELETE":
                    data[bound.html_name] = "" if bound.value() is None else bound.value()
    for bound in context["establishment_form"]:
        value = bound.value()
        data[bound.html_name] = "" if value is None else value
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("unit_editor", Plan.Status.DRAFT, 200),
        ("admin_user", Plan.Status.DRAFT, 200),
        ("other_unit_editor", Plan.Status.DRAFT, 404),
        ("approver", Plan.Status.DRAFT, 403),
        ("committee_member", Plan.Status.DRAFT, 404),
        ("committee_member", Plan.Status.PUBLISHED, 403),
        ("unit_editor", Plan.Status.PUBLISHED, 403),  # a published plan is read-only
    ],
)
def test_who_may_open_the_page(request, client_for, draft, who, status, expected):
    Plan.objects.filter(pk=draft.pk).update(status=status)
    assert client_for(request.getfixturevalue(who)).get(url(draft)).status_code == expected


@pytest.mark.parametrize("who", ["other_unit_editor", "approver", "committee_member"])
def test_who_may_not_open_the_page_may_not_save_it_either(request, client_for, unit_editor, draft, who):
    data = page_data(client_for(unit_editor).get(url(draft)), **{"staffing-0-fte": "99"})
    response = client_for(request.getfixturevalue(who)).post(url(draft), data)
    assert response.status_code in (403, 404)
    assert StaffingLine.objects.get(plan=draft, order=1).fte == D("11.50")


def test_anonymous_visitor_is_sent_to_sign_in(client, draft):
    response = client.get(url(draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_saving_the_establishment_rows_and_a_new_row_at_once(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    data = page_data(
        client.get(url(draft)),
        **{
            "hr-fte_establishment": "757.2",
            "hr-establishment_at": "31/03/2013",
            "hr-fte_estimate": "760",
            "hr-variance_reasons": "Vacancies held for the restructure",
            "staffing-0-fte": "12.75",
            "staffing-2-name": "MH - Approved Mental Health Professionals",
            "staffing-2-kind": "team",
            "staffing-2-fte": "1,012.5",
            "activity-0-clients": "130",
        },
    )
    response = client.post(url(draft), data, follow=True)
    assert "Human resources saved: 4 rows changed." in response.content.decode()
    establishment = StaffingEstablishment.objects.get(plan=draft)
    assert (establishment.fte_establishment, establishment.fte_estimate) == (D("757.2"), D("760"))
    assert establishment.establishment_at.isoformat() == "2013-03-31"
    rows = list(StaffingLine.objects.filter(plan=draft).order_by("order"))
    assert [(row.order, row.name, row.fte) for row in rows] == [
        (1, "MH - Commissioning & Contracting", D("12.75")),
        (2, "MH - Social Work", D("141.00")),
        (3, "MH - Approved Mental Health Professionals", D("1012.50")),
    ]
    assert ActivityLevel.objects.get(plan=draft).clients == 130


def test_removing_a_row(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    client.post(url(draft), page_data(client.get(url(draft)), **{"staffing-0-DELETE": "on"}))
    assert list(StaffingLine.objects.filter(plan=draft).values_list("name", flat=True)) == ["MH - Social Work"]


BAD = [
    ("staffing-0-fte", "eleven", "Staffing row 1, FTE:"),
    ("staffing-0-fte", "-1", "FTE cannot be negative."),
    ("staffing-0-fte", "=SUM(A1:A3)", "Staffing row 1, FTE:"),
    ("staffing-0-fte", "11.505", "Staffing row 1, FTE:"),
    ("activity-0-clients", "lots", "Activity level 1, Number of clients:"),
    ("staffing-1-name", "MH - Commissioning & Contracting", "already has a staffing row with this name"),
    ("hr-establishment_at", "March 2013", "Establishment at"),
]


@pytest.mark.parametrize(("field", "typed", "message"), BAD)
def test_a_bad_entry_saves_nothing_and_says_why(client_for, unit_editor, draft, field, typed, message):
    client = client_for(unit_editor)
    before = list(StaffingLine.objects.filter(plan=draft).values_list("name", "fte"))
    data = page_data(
        client.get(url(draft)), **{"hr-fte_establishment": "757.2", "activity-0-clients": "7", field: typed}
    )
    response = client.post(url(draft), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Nothing has been saved" in page
    assert message in page
    assert f'value="{typed}"' in page.replace("&amp;", "&")  # what was typed is still there
    assert list(StaffingLine.objects.filter(plan=draft).values_list("name", "fte")) == before
    assert not StaffingEstablishment.objects.filter(plan=draft).exists()
    assert ActivityLevel.objects.get(plan=draft).clients == 120


def test_a_save_over_someone_elses_change_is_refused_and_the_typing_kept(client_for, unit_editor, admin_user, draft):
    mine = client_for(unit_editor)
    opened = page_data(mine.get(url(draft)), **{"staffing-0-fte": "20"})
    theirs = client_for(admin_user)
    theirs.post(url(draft), page_data(theirs.get(url(draft)), **{"staffing-1-fte": "150"}))

    response = mine.post(url(draft), opened)
    page = response.content.decode()
    assert "changed these figures while you were editing them" in page
    assert 'value="20"' in page
    assert StaffingLine.objects.get(plan=draft, order=1).fte == D("11.50")  # nothing of mine saved yet
    assert StaffingLine.objects.get(plan=draft, order=2).fte == D("150")  # theirs kept

    again = page_data(response, **{"staffing-0-fte": "20"})  # saving again overwrites knowingly
    mine.post(url(draft), again)
    assert StaffingLine.objects.get(plan=draft, order=1).fte == D("20")


def test_user_text_is_escaped(client_for, unit_editor, draft):
    StaffingLine.objects.filter(plan=draft, order=1).update(name="<script>alert(1)</script>")
    page = client_for(unit_editor).get(url(draft)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_plan_page_links_editors_to_the_page(client_for, unit_editor, approver, draft):
    template = draft.template
    from plans.models import TemplateSection, TemplateSectionTable

    section = TemplateSection.objects.create(template=template, order=99, code="HR", title="Human resources")
    TemplateSectionTable.objects.create(section=section, order=1, kind="human_resources")
    section_page = reverse("plans:section", args=[draft.pk, "HR"])
    assert url(draft) in client_for(unit_editor).get(section_page).text
    assert url(draft) not in client_for(approver).get(section_page).text


def test_query_count_does_not_grow_with_rows(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    client.get(url(draft))
    with CaptureQueriesContext(connection) as small:
        client.get(url(draft))
    for _ in range(10):
        StaffingLineFactory(plan=draft)
        ActivityLevelFactory(plan=draft)
    with CaptureQueriesContext(connection) as large:
        client.get(url(draft))
    assert len(large.captured_queries) == len(small.captured_queries)
