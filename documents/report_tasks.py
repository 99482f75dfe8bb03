"""The committee report's PDF, built by the worker like a plan's (documents/tasks.py)."""

import time

from django.core.files.base import ContentFile
from django_tasks import task

from documents.builders import content_version
from documents.committee_report import committee_report_print_html
from documents.models import GeneratedDocument
from documents.rendering import render_pdf


def _fail(document: GeneratedDocument, error: str) -> None:
    document.status = GeneratedDocument.Status.FAILED
    document.error = error
    document.save(update_fields=["status", "error", "updated_at"])


@task()
def build_committee_report_pdf(document_id: int) -> None:
    document = GeneratedDocument.objects.get(pk=document_id, kind=GeneratedDocument.Kind.COMMITTEE_REPORT)
    if document.status == GeneratedDocument.Status.READY:
        return
    started = time.perf_counter()
    round_id = document.object_id
    if content_version(committee_report_print_html(round_id, for_pdf=False)) != document.content_version:
        # The round, its returns or the report changed after this was asked for: the next request keys a new one.
        _fail(document, "Superseded: the round or its report changed before the PDF was built.")
        return
    try:
        pdf, pages = render_pdf(committee_report_print_html(round_id, for_pdf=True))
    except Exception as error:  # recorded on the document and shown to the reader
        _fail(document, str(error))
        raise
    name = f"committee-report-{round_id}-{document.content_version[:12]}.pdf"
    document.file.save(name, ContentFile(pdf), save=False)
    document.pages = pages
    document.render_seconds = round(time.perf_counter() - started, 3)
    document.status = GeneratedDocument.Status.READY
    document.save()
