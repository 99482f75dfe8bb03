"""The monitoring committee report of a round: print preview (HTML) and PDF.

Who may have it: a user who may see the round (monitoring.access.round_for: otherwise 404) and read
every plan it covers (otherwise 403): the report prints every division, so someone who sees only some
of them on the dashboard does not get the whole report, nor does someone who may not read the
directorate's KPI dashboard, which it prints. A round without a committee report is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify

from documents.builders import content_version
from documents.committee_report import committee_report_print_html
from documents.models import GeneratedDocument
from documents.report_tasks import build_committee_report_pdf
from monitoring.access import round_for, round_plan_ids, visible_plans_by_id
from monitoring.models import CommitteeReport

KIND = GeneratedDocument.Kind.COMMITTEE_REPORT


def _readable_report(request, pk):
    round_ = round_for(request.user, pk)  # 404 if the user may not see the round
    if not CommitteeReport.objects.filter(round=round_).exists():
        raise Http404("This round has no committee report.")
    if not request.user.has_perm("performance.view_kpi_dashboard", round_.directorate):
        raise PermissionDenied  # the report prints the directorate's KPI dashboard
    plan_ids = round_plan_ids(round_)
    if not request.user.is_superuser and len(visible_plans_by_id(request.user, plan_ids)) != len(set(plan_ids)):
        raise PermissionDenied
    return round_


def committee_report_print(request, pk):
    """The HTML preview of exactly what goes into the PDF."""
    round_ = _readable_report(request, pk)
    return HttpResponse(committee_report_print_html(round_.pk, for_pdf=False))


def committee_report_pdf(request, pk):
    round_ = _readable_report(request, pk)
    version = content_version(committee_report_print_html(round_.pk, for_pdf=False))
    key = {"kind": KIND, "object_id": round_.pk, "content_version": version}
    document = GeneratedDocument.objects.filter(**key).first()
    if document is None:
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(**key)
        except IntegrityError:  # another request created it a moment ago
            document = GeneratedDocument.objects.get(**key)
        else:
            transaction.on_commit(lambda: build_committee_report_pdf.enqueue(document.pk))
    if request.GET.get("status"):
        return JsonResponse({"status": document.status})
    if document.status == GeneratedDocument.Status.READY:
        filename = f"committee-report-{slugify(round_.directorate.code)}-{round_.year}-{slugify(round_.kind)}.pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=filename)
    status = 500 if document.status == GeneratedDocument.Status.FAILED else 202
    return render(request, "documents/report_preparing.html", {"round": round_, "document": document}, status=status)
