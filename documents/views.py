from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify

from documents.builders import content_version, plan_print_html
from documents.models import GeneratedDocument
from documents.tasks import build_plan_pdf
from plans.selectors import plan_for_user


def _readable_plan(request, pk):
    plan = plan_for_user(request.user, pk)  # 404 if the user may not see it
    if not request.user.has_perm("plans.view_plan", plan):
        raise PermissionDenied
    return plan


def plan_print(request, pk):
    """The HTML preview of exactly what goes into the PDF."""
    plan = _readable_plan(request, pk)
    return HttpResponse(plan_print_html(plan.pk, for_pdf=False))


def plan_pdf(request, pk):
    plan = _readable_plan(request, pk)
    version = content_version(plan_print_html(plan.pk, for_pdf=False))
    document = GeneratedDocument.objects.filter(
        kind=GeneratedDocument.Kind.PLAN, object_id=plan.pk, content_version=version
    ).first()
    if document is None:
        try:
            with transaction.atomic():
                document = GeneratedDocument.objects.create(
                    kind=GeneratedDocument.Kind.PLAN, object_id=plan.pk, content_version=version
                )
        except IntegrityError:  # another request created it a moment ago
            document = GeneratedDocument.objects.get(
                kind=GeneratedDocument.Kind.PLAN, object_id=plan.pk, content_version=version
            )
        else:
            transaction.on_commit(lambda: build_plan_pdf.enqueue(document.pk))
    if request.GET.get("status"):
        return JsonResponse({"status": document.status})
    if document.status == GeneratedDocument.Status.READY:
        filename = f"{slugify(plan.unit.code)}-{plan.year}-{slugify(plan.version_label)}.pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=filename)
    status = 500 if document.status == GeneratedDocument.Status.FAILED else 202
    return render(request, "documents/preparing.html", {"plan": plan, "document": document}, status=status)
