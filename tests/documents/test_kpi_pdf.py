"""The KPI dashboard on its own as print HTML and PDF (documents/kpi.py): permissions, built in the
background, cached by content, accessible (PDF/UA-1, tags, metadata), charts with text alternatives."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents import kpi as documents_kpi
from documents.builders import content_version
from documents.kpi import build_kpi_pdf, kpi_print_html
from documents.models import GeneratedDocument
from performance.models import Actual
from plans.models import Plan
from tests.documents.test_plan_pdf import _struct_types
from tests.factories import PlanFactory
from tests.performance.factories import ActivityIndicatorFactory, IndicatorFactory, fill_indicator

KIND = GeneratedDocument.Kind.KPI_DASHBOARD


@pytest.fixture
def indicators(division):
    PlanFactory(unit=division, status=Plan.Status.PUBLISHED)  # committee members see published units' indicators
    rows = [
        fill_indicator(IndicatorFactory(unit=division, reference=f"NI {n}", title=f"Reviews <b>{n}</b>"), periods=6)
        for n in range(1, 13)
    ]
    rows.append(fill_indicator(ActivityIndicatorFactory(unit=division, reference="ACT 1", title="Clients"), periods=4))
    return rows


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


def _pdf_url(unit):
    return reverse("documents:kpi_pdf", args=[unit.pk])


def _get_pdf(client, unit, capture):
    with capture(execute=True):
        first = client.get(_pdf_url(unit))
    second = client.get(_pdf_url(unit))
    return first, second


def test_first_request_prepares_in_the_background_then_serves_the_pdf(
    indicators, division, client_for, committee_member, settings_media, django_capture_on_commit_callbacks
):
    first, second = _get_pdf(client_for(committee_member), division, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    assert "Preparing the PDF" in first.content.decode()
    assert reverse("performance:kpi", args=[division.pk]) in first.content.decode()
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert b"".join(second.streaming_content).startswith(b"%PDF-")


def test_an_unchanged_dashboard_is_not_rendered_twice(
    indicators, division, client_for, committee_member, settings_media, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(committee_member)
    _get_pdf(client, division, django_capture_on_commit_callbacks)
    calls = []
    monkeypatch.setattr(documents_kpi, "render_pdf", lambda html: calls.append(html) or (b"%PDF-", 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(_pdf_url(division))
    assert again.status_code == 200
    assert calls == []
    assert GeneratedDocument.objects.filter(kind=KIND).count() == 1


def test_a_new_figure_makes_a_new_version_of_the_pdf(
    indicators, division, client_for, committee_member, settings_media, django_capture_on_commit_callbacks
):
    client = client_for(committee_member)
    _get_pdf(client, division, django_capture_on_commit_callbacks)
    Actual.objects.filter(indicator_year__indicator=indicators[0]).update(value=1)
    first, second = _get_pdf(client, division, django_capture_on_commit_callbacks)
    assert (first.status_code, second.status_code) == (202, 200)
    assert GeneratedDocument.objects.filter(kind=KIND, object_id=division.pk).count() == 2


@pytest.mark.parametrize("name", ["documents:kpi_pdf", "documents:kpi_print"])
@pytest.mark.parametrize(
    ("role", "expected"), [("other_unit_editor", 404), ("committee_member", 200), ("unit_editor", 200)]
)
def test_who_may_print_a_kpi_dashboard(request, indicators, division, client_for, settings_media, name, role, expected):
    response = client_for(request.getfixturevalue(role)).get(reverse(name, args=[division.pk]))
    assert (200 if response.status_code == 202 else response.status_code) == expected


@pytest.mark.parametrize("name", ["documents:kpi_pdf", "documents:kpi_print"])
def test_anonymous_visitors_are_sent_to_sign_in(client, division, name):
    response = client.get(reverse(name, args=[division.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_print_preview_is_the_page_include_with_escaped_text_and_charts_described(
    indicators, division, client_for, unit_editor
):
    page = client_for(unit_editor).get(reverse("documents:kpi_print", args=[division.pk])).content.decode()
    assert "<b>1</b>" not in page
    assert "Reviews &lt;b&gt;1&lt;/b&gt;" in page
    assert page.count('class="app-sparkline" role="img"') == 13
    assert "6 figures of Reviews &lt;b&gt;1&lt;/b&gt;, from 61 in Q1 2013-14 to 66 in Q2 2014-15." in page
    assert reverse("performance:entry", args=[division.pk]) not in page  # no edit controls in print


def test_pdf_is_tagged_accessible_a4_with_metadata_text_and_page_numbers(
    indicators, division, committee_member, settings_media
):
    html = kpi_print_html(division, committee_member, year=None, for_pdf=False)
    document = GeneratedDocument.objects.create(kind=KIND, object_id=division.pk, content_version=content_version(html))
    build_kpi_pdf.call(document.pk, committee_member.pk, None)
    document.refresh_from_db()
    reader = PdfReader(io.BytesIO(document.file.read()))
    root = reader.trailer["/Root"]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    assert document.status == "ready"
    assert document.pages == len(reader.pages) >= 2
    assert str(root["/Lang"]) == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == f"KPI dashboard: {division.name} ({division.code})"
    assert reader.metadata.author == division.name
    assert "Performance and activity indicators" in reader.metadata.subject
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()
    assert {"/Table", "/TH", "/TD", "/H1", "/H2"} <= _struct_types(root["/StructTreeRoot"], set())
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]
    last = len(reader.pages)
    assert [f"Page {n} of {last}" in page.extract_text() for n, page in enumerate(reader.pages, start=1)] == [
        True
    ] * last
    assert "RAG of the indicators" in text
    assert "Red 12 Data only 1" in text  # the counts
    assert "NI 1: Reviews <b>1</b> (DIV) Q2 2014-15 66 80 Red Improving" in text


def test_a_document_asked_for_before_a_change_is_not_built_with_the_new_content(
    indicators, division, committee_member, settings_media
):
    stale = GeneratedDocument.objects.create(kind=KIND, object_id=division.pk, content_version="0" * 64)
    build_kpi_pdf.call(stale.pk, committee_member.pk, None)
    stale.refresh_from_db()
    assert stale.status == "failed"
    assert "Superseded" in stale.error


def test_the_dashboard_page_links_to_the_pdf_and_print_preview(indicators, division, client_for, committee_member):
    page = client_for(committee_member).get(reverse("performance:kpi", args=[division.pk])).content.decode()
    assert _pdf_url(division) in page
    assert reverse("documents:kpi_print", args=[division.pk]) in page


def test_status_endpoint_answers_in_json(indicators, division, client_for, committee_member, settings_media):
    response = client_for(committee_member).get(_pdf_url(division) + "?status=1")
    assert response.json() == {"status": "pending"}
