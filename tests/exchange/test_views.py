"""The import and export pages: who may open them, the upload -> preview -> confirm journey, and their
query counts at two sizes of plan."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange import exporter
from plans.models import Action, Plan
from tests.exchange.helpers import make_xlsx, row_counts
from tests.factories import ActionFactory, PlanFactory, PriorityFactory, fill_plan

pytestmark = pytest.mark.django_db

ACTIONS = ["Priority", "Number", "Action", "Accountable officer", "Start", "End"]


@pytest.fixture
def draft(division):
    plan = PlanFactory(unit=division, version_label="Draft v 1")
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, sub_number=0, text="Headline", officer="")
    ActionFactory(priority=priority, number=1, sub_number=1, text="First", officer="Anne")
    return plan


@pytest.fixture
def published(division):
    return PlanFactory(unit=division, version_label="Final", status=Plan.Status.PUBLISHED)


def upload(client, data, name="plan.xlsx", **fields):
    return client.post(reverse("exchange:import"), {"file": SimpleUploadedFile(name, data), **fields})


def fingerprint(response) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', response.content.decode()).group(1)


# --- who may ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(draft):
    for url in [
        reverse("exchange:import"),
        reverse("exchange:preview", args=["any-token"]),
        reverse("exchange:template"),
        reverse("exchange:plan_xlsx", args=[draft.pk]),
        reverse("exchange:plan_json", args=[draft.pk]),
    ]:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url


def test_viewers_and_approvers_may_not_import(client_for, committee_member, approver):
    for user in (committee_member, approver):
        client = client_for(user)
        assert client.get(reverse("exchange:import")).status_code == 403
        assert upload(client, make_xlsx({"Risks": [["Number", "Risk"], [1, "A"]]})).status_code == 403
        assert client.get(reverse("exchange:template")).status_code == 403
        assert client.get(reverse("exchange:preview", args=["any-token"])).status_code == 403


def test_a_plan_of_another_unit_is_not_found(client_for, other_unit_editor, draft):
    client = client_for(other_unit_editor)
    assert client.get(reverse("exchange:plan_xlsx", args=[draft.pk])).status_code == 404
    assert client.get(reverse("exchange:plan_json", args=[draft.pk])).status_code == 404
    assert client.get(reverse("exchange:import") + f"?plan={draft.pk}").status_code == 404
    assert upload(client, make_xlsx({"Risks": [["Number", "Risk"], [1, "A"]]}), plan=draft.pk).status_code == 200
    assert not Plan.objects.filter(risks__isnull=False).exists()


def test_a_plan_the_user_may_read_but_not_change_is_forbidden_to_import_into(client_for, unit_editor, published):
    client = client_for(unit_editor)
    assert client.get(reverse("exchange:import") + f"?plan={published.pk}").status_code == 403


def test_export_needs_only_the_right_to_read_the_plan(client_for, committee_member, approver, published, draft):
    viewer = client_for(committee_member)
    response = viewer.get(reverse("exchange:plan_xlsx", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="div-2013-14-final.xlsx"'
    assert viewer.get(reverse("exchange:plan_json", args=[published.pk])).json()["format"] == "kent-plans/plan"
    assert (
        viewer.get(reverse("exchange:plan_xlsx", args=[draft.pk])).status_code == 404
    )  # drafts are hidden from viewers
    assert client_for(approver).get(reverse("exchange:plan_json", args=[draft.pk])).status_code == 200


def test_the_plan_page_links_to_the_exports_and_for_an_editor_of_a_draft_to_the_import(client_for, unit_editor, draft):
    page = client_for(unit_editor).get(reverse("plans:detail", args=[draft.pk])).content.decode()
    assert f'href="{reverse("exchange:plan_xlsx", args=[draft.pk])}">Download as a spreadsheet</a>' in page
    assert f'href="{reverse("exchange:plan_json", args=[draft.pk])}">Download as JSON</a>' in page
    assert f'href="{reverse("exchange:import")}?plan={draft.pk}">Import a spreadsheet into this draft</a>' in page
    assert f'href="{reverse("exchange:import")}"' in page  # the Import link in the navigation


def test_the_template_downloads_for_those_who_may_import(client_for, unit_editor, draft):
    response = client_for(unit_editor).get(reverse("exchange:template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan-template-')


# --- the journey -----------------------------------------------------------------------------------


def test_an_editor_uploads_checks_the_preview_and_confirms(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    data = make_xlsx({"Actions": [ACTIONS, [1, "1.1", "First", "Anne Other"], [1, "1.2", "Second", "Bob"]]})

    response = upload(client, data, plan=draft.pk)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Check the import" in html
    assert "Action 1.2 of priority 1" in html
    assert "Anne Other" in html
    assert not Action.objects.filter(priority__plan=draft, sub_number=2).exists()  # nothing written yet

    done = client.post(preview_url, {"fingerprint": fingerprint(page)})
    assert done.status_code == 302
    assert done["Location"] == reverse("plans:detail", args=[draft.pk])
    assert Action.objects.get(priority__plan=draft, sub_number=1).officer == "Anne Other"
    assert Action.objects.get(priority__plan=draft, sub_number=2).text == "Second"
    assert client.get(preview_url).status_code == 404  # the upload is gone once imported


def test_a_file_that_cannot_be_read_is_shown_on_the_upload_page_with_the_error_summary(client_for, unit_editor):
    response = upload(client_for(unit_editor), b"%PDF-1.4", name="plan.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_file">The file must be an Excel Workbook (.xlsx)' in html
    assert "<title>Error: Import a plan" in html


def test_rejected_rows_are_listed_and_there_is_nothing_to_confirm(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    data = make_xlsx({"Actions": [ACTIONS, [1, "1.2", "=1+1", "Bob"], [1, "3.1", "Orphan", "Bob"]]})
    page = client.get(upload(client, data, plan=draft.pk)["Location"])
    html = page.content.decode()
    assert "The file cannot be imported yet" in html
    assert "The cell holds a formula (=1+1): type the value itself." in html
    assert "Action 3.1 has no headline action 3 in priority 1" in html
    assert 'name="fingerprint"' not in html


def test_a_confirmation_after_the_plan_changed_shows_the_new_preview_and_writes_nothing(client_for, unit_editor, draft):
    client = client_for(unit_editor)
    preview_url = upload(client, make_xlsx({"Actions": [ACTIONS, [1, "1.1", "Reworded", "Anne"]]}), plan=draft.pk)[
        "Location"
    ]
    seen = fingerprint(client.get(preview_url))
    Action.objects.filter(priority__plan=draft, sub_number=1).update(officer="Changed meanwhile")
    counts = row_counts()

    response = client.post(preview_url, {"fingerprint": seen}, follow=True)

    assert "The plan changed after you saw the preview" in response.content.decode()
    assert row_counts() == counts
    assert fingerprint(response) != seen


def test_an_upload_belongs_to_the_user_who_made_it(client_for, unit_editor, admin_user, draft):
    preview_url = upload(
        client_for(unit_editor), make_xlsx({"Actions": [ACTIONS, [1, "1.1", "x", "y"]]}), plan=draft.pk
    )["Location"]
    assert client_for(admin_user).get(preview_url).status_code == 404


def test_a_new_plan_is_created_from_the_plan_sheet_and_the_form(client_for, admin_user, draft):
    client = client_for(admin_user)
    data = exporter.plan_workbook(exporter.export_plans().get(pk=draft.pk))
    page = client.get(upload(client, data, version_label="Draft v 2")["Location"])
    assert "A new draft plan: Learning Disability/Mental Health (DIV), 2013-14, version “Draft v 2”" in (
        page.content.decode()
    )
    response = client.post(page.request["PATH_INFO"], {"fingerprint": fingerprint(page)})
    new = Plan.objects.get(version_label="Draft v 2")
    assert response["Location"] == reverse("plans:detail", args=[new.pk])
    assert new.status == Plan.Status.DRAFT


def test_importing_the_same_file_again_says_nothing_would_change(client_for, admin_user, draft):
    client = client_for(admin_user)
    data = exporter.plan_workbook(exporter.export_plans().get(pk=draft.pk))
    html = client.get(upload(client, data)["Location"]).content.decode()
    assert "Nothing would change: the plan already holds everything in this file." in html
    assert 'name="fingerprint"' not in html


# --- query counts ----------------------------------------------------------------------------------


def _sized_plan(unit, size):
    return fill_plan(PlanFactory(unit=unit, version_label=f"Size {size}"), priorities=size, actions=size)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_export_pages_take_the_same_number_of_queries_however_large_the_plan(client_for, admin_user, division):
    client = client_for(admin_user)
    small, large = _sized_plan(division, 2), _sized_plan(division, 6)
    for name in ("exchange:plan_xlsx", "exchange:plan_json"):
        counts = [_queries(client, reverse(name, args=[plan.pk])) for plan in (small, large)]
        assert counts[0] == counts[1], name
        assert counts[0] <= 25, name  # 21 when written: session, user, rights, the plan, one per table


def test_the_preview_takes_the_same_number_of_queries_however_large_the_file(client_for, admin_user, division):
    client = client_for(admin_user)
    counts = []
    for size in (2, 6):
        plan = _sized_plan(division, size)
        data = exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))
        preview_url = upload(client, data, plan=plan.pk)["Location"]
        counts.append(_queries(client, preview_url))
    assert counts[0] == counts[1]
    assert counts[0] <= 28  # 24 when written: session, user, rights, the plan, its template, one per table
