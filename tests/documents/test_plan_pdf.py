"""Plan PDFs: permissions, built in the background, cached by content, accessible (PDF/UA)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents import tasks
from documents.builders import content_version, plan_print_html
from documents.models import GeneratedDocument
from plans.models import Plan
from tests.factories import ActionFactory, PlanFactory, PriorityFactory, RiskFactory


@pytest.fixture
def plan(division):
    plan = PlanFactory(unit=division, status=Plan.Status.PUBLISHED, title="Divisional Business Plan 2013-14")
    priority = PriorityFactory(plan=plan, title="Prevention")
    ActionFactory(priority=priority, number=1, sub_number=0, text="Promote enablement <script>x</script>")
    ActionFactory(priority=priority, number=1, sub_number=1, officer="Chris Beaney/Mark Walker")
    RiskFactory(plan=plan)
    return plan


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


def _get_pdf(client, plan, capture):
    with capture(execute=True):
        first = client.get(reverse("documents:plan_pdf", args=[plan.pk]))
    second = client.get(reverse("documents:plan_pdf", args=[plan.pk]))
    return first, second


def test_first_request_prepares_in_the_background_then_serves_the_pdf(
    plan, client_for, unit_editor, settings_media, django_capture_on_commit_callbacks
):
    first, second = _get_pdf(client_for(unit_editor), plan, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    assert "Preparing the PDF" in first.content.decode()
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert b"".join(second.streaming_content).startswith(b"%PDF-")


def test_an_unchanged_plan_is_not_rendered_twice(
    plan, client_for, unit_editor, settings_media, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(unit_editor)
    _get_pdf(client, plan, django_capture_on_commit_callbacks)
    calls = []
    monkeypatch.setattr(tasks, "render_pdf", lambda html: calls.append(html) or (b"%PDF-", 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(reverse("documents:plan_pdf", args=[plan.pk]))
    assert again.status_code == 200
    assert calls == []
    assert GeneratedDocument.objects.count() == 1


def test_an_edit_makes_a_new_version_of_the_pdf(
    plan, client_for, unit_editor, settings_media, django_capture_on_commit_callbacks
):
    client = client_for(unit_editor)
    _get_pdf(client, plan, django_capture_on_commit_callbacks)
    Plan.objects.filter(pk=plan.pk).update(director="Penny Southern")
    first, second = _get_pdf(client, plan, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    assert second.status_code == 200
    assert GeneratedDocument.objects.filter(object_id=plan.pk).count() == 2


@pytest.mark.parametrize("name", ["documents:plan_pdf", "documents:plan_print"])
@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("other_unit_editor", "published", 404),
        ("committee_member", "draft", 404),
        ("committee_member", "published", 200),
    ],
)
def test_who_may_print_a_plan(request, plan, client_for, settings_media, name, role, status, expected):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    response = client_for(request.getfixturevalue(role)).get(reverse(name, args=[plan.pk]))
    assert (response.status_code if response.status_code != 202 else 200) == expected


@pytest.mark.parametrize("name", ["documents:plan_pdf", "documents:plan_print"])
def test_anonymous_visitors_are_sent_to_sign_in(client, plan, name):
    response = client.get(reverse(name, args=[plan.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_print_preview_escapes_user_text(plan, client_for, unit_editor):
    page = client_for(unit_editor).get(reverse("documents:plan_print", args=[plan.pk])).content.decode()
    assert "<script>x</script>" not in page
    assert "Promote enablement &lt;script&gt;x&lt;/script&gt;" in page


def _struct_types(node, found):
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _struct_types(kid, found)
    return found


def test_pdf_is_tagged_accessible_a4_with_metadata_and_page_numbers(plan, settings_media):
    version = content_version(plan_print_html(plan.pk, for_pdf=False))
    document = GeneratedDocument.objects.create(kind="plan", object_id=plan.pk, content_version=version)
    tasks.build_plan_pdf.call(document.pk)
    document.refresh_from_db()
    reader = PdfReader(io.BytesIO(document.file.read()))
    root = reader.trailer["/Root"]

    assert document.status == "ready"
    assert document.pages == len(reader.pages) >= 2
    assert str(root["/Lang"]) == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == f"{plan.unit.name}: Divisional Business Plan 2013-14"
    assert reader.metadata.author
    assert "Divisional Business Plan 2013-14" in reader.metadata.subject
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()
    types = _struct_types(root["/StructTreeRoot"], set())
    assert {"/Table", "/TH", "/TD", "/H1"} <= types
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    last = len(reader.pages)
    assert f"Page 2 of {last}" in reader.pages[1].extract_text()
    assert reader.outline  # bookmarks from the headings
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts
    assert all("+" in name for name in fonts)


def test_plan_page_links_to_the_pdf_and_print_preview(plan, client_for, unit_editor):
    page = client_for(unit_editor).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("documents:plan_pdf", args=[plan.pk]) in page
    assert reverse("documents:plan_print", args=[plan.pk]) in page


def test_status_endpoint_answers_in_json(plan, client_for, unit_editor, settings_media):
    url = reverse("documents:plan_pdf", args=[plan.pk]) + "?status=1"
    response = client_for(unit_editor).get(url)
    assert response.json() == {"status": "pending"}


def test_a_document_asked_for_before_an_edit_is_not_built_with_the_new_content(plan, settings_media):
    stale = GeneratedDocument.objects.create(kind="plan", object_id=plan.pk, content_version="0" * 64)
    tasks.build_plan_pdf.call(stale.pk)
    stale.refresh_from_db()
    assert stale.status == "failed"
    assert "Superseded" in stale.error
    assert not stale.file
