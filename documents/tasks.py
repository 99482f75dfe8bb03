"""Background jobs: PDFs are built by a worker, never on the request path."""

import time

from django.core.files.base import ContentFile
from django_tasks import task

from documents.builders import content_version, plan_print_html
from documents.models import GeneratedDocument
from documents.rendering import render_pdf


@task()
def build_plan_pdf(document_id: int) -> None:
    document = GeneratedDocument.objects.get(pk=document_id)
    if document.status == GeneratedDocument.Status.READY:
        return
    started = time.perf_counter()
    if content_version(plan_print_html(document.object_id, for_pdf=False)) != document.content_version:
        # The plan changed after this document was asked for: the next request keys a new one.
        document.status = GeneratedDocument.Status.FAILED
        document.error = "Superseded: the plan changed before the PDF was built."
        document.save(update_fields=["status", "error", "updated_at"])
        return
    try:
        html = plan_print_html(document.object_id, for_pdf=True)
        pdf, pages = render_pdf(html)
    except Exception as error:  # recorded on the document and shown to the reader
        document.status = GeneratedDocument.Status.FAILED
        document.error = str(error)
        document.save(update_fields=["status", "error", "updated_at"])
        raise
    document.file.save(f"plan-{document.object_id}-{document.content_version[:12]}.pdf", ContentFile(pdf), save=False)
    document.pages = pages
    document.render_seconds = round(time.perf_counter() - started, 3)
    document.status = GeneratedDocument.Status.READY
    document.save()
