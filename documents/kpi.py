"""The KPI dashboard of a unit as print HTML and as a PDF (the 'KPI dashboard on its own').

The print HTML embeds the page's own include (templates/performance/includes/kpi_dashboard.html) with
the one selector performance.kpi.kpi_dashboard(), for the indicators the asking user may see. The PDF
is cached like a plan's (GeneratedDocument keyed by the SHA-256 of the print HTML, object_id the unit)
and built by the worker; users who see the same indicators share one file, since their HTML is the same.
"""

import time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from documents.builders import content_version
from documents.models import GeneratedDocument
from documents.rendering import print_stylesheet_url, render_pdf
from organisation.models import Unit
from performance.kpi import kpi_dashboard
from performance.kpi_views import chosen_year, kpi_unit_for_user

KIND = GeneratedDocument.Kind.KPI_DASHBOARD


def kpi_print_html(unit: Unit, user, *, year: int | None, for_pdf: bool) -> str:
    dashboard = kpi_dashboard(unit, user=user, year=year, chart_prefix="print")
    title = f"KPI dashboard: {unit.name} ({unit.code})" + (f", {dashboard['year_label']}" if year else "")
    context = {
        "dashboard": dashboard,
        "document_title": title,
        "document_author": unit.name,
        "document_subject": f"Performance and activity indicators of {unit.name} and its units: RAG, "
        "latest figures, targets, direction of travel and trends",
        "document_keywords": f"KPI dashboard, performance indicators, {unit.code}",
        "document_date": timezone.localdate(),
        "stylesheet_href": print_stylesheet_url() if for_pdf else static("css/print.css"),
        "print": True,
    }
    return render_to_string("documents/kpi_print.html", context)


@task()
def build_kpi_pdf(document_id: int, user_id: int, year: int | None = None) -> None:
    document = GeneratedDocument.objects.get(pk=document_id)
    if document.status == GeneratedDocument.Status.READY:
        return
    started = time.perf_counter()
    unit = Unit.objects.select_related("parent__parent").get(pk=document.object_id)
    user = get_user_model().objects.get(pk=user_id)
    if content_version(kpi_print_html(unit, user, year=year, for_pdf=False)) != document.content_version:
        document.status = GeneratedDocument.Status.FAILED
        document.error = "Superseded: the figures changed before the PDF was built."
        document.save(update_fields=["status", "error", "updated_at"])
        return
    try:
        pdf, pages = render_pdf(kpi_print_html(unit, user, year=year, for_pdf=True))
    except Exception as error:  # recorded on the document and shown to the reader
        document.status = GeneratedDocument.Status.FAILED
        document.error = str(error)
        document.save(update_fields=["status", "error", "updated_at"])
        raise
    name = f"kpi-{document.object_id}-{document.content_version[:12]}.pdf"
    document.file.save(name, ContentFile(pdf), save=False)
    document.pages = pages
    document.render_seconds = round(time.perf_counter() - started, 3)
    document.status = GeneratedDocument.Status.READY
    document.save()


def kpi_print(request, unit_pk):
    """The HTML preview of exactly what goes into the PDF."""
    unit = kpi_unit_for_user(request.user, unit_pk)  # 404 unless the user may read it
    return HttpResponse(kpi_print_html(unit, request.user, year=chosen_year(request), for_pdf=False))


def kpi_pdf(request, unit_pk):
    unit = kpi_unit_for_user(request.user, unit_pk)  # 404 unless the user may read it
    year = chosen_year(request)
    version = content_version(kpi_print_html(unit, request.user, year=year, for_pdf=False))
    lookup = {"kind": KIND, "object_id": unit.pk, "content_version": version}
    document = GeneratedDocument.objects.filter(**lookup).first()
    if document is None:
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(**lookup)
        except IntegrityError:  # another request created it a moment ago
            document = GeneratedDocument.objects.get(**lookup)
        else:
            user_id = request.user.pk
            transaction.on_commit(lambda: build_kpi_pdf.enqueue(document.pk, user_id, year))
    if request.GET.get("status"):
        return JsonResponse({"status": document.status})
    if document.status == GeneratedDocument.Status.READY:
        filename = f"kpi-dashboard-{slugify(unit.code)}" + (f"-{year}" if year else "") + ".pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=filename)
    status = 500 if document.status == GeneratedDocument.Status.FAILED else 202
    context = {"unit": unit, "document": document, "query": f"?year={year}" if year else ""}
    return render(request, "documents/kpi_preparing.html", context, status=status)
