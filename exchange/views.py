"""Import a plan (upload, preview, confirm) and export one (XLSX, JSON), and the blank template.

Who may: exchange.import_plans for the import pages (administrators and plan editors; anyone else
gets a 403), plans.change_plan on an existing draft imported into, plans.view_plan to export a plan
(404 for a plan the user may not see). The rules are in accounts/permissions.py.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from exchange import exporter, json_format, pending, workbook
from exchange.forms import ImportForm
from exchange.importer import ImportRefused, PreviewOutdated, plan_import_apply, plan_import_preview
from plans.models import PlanTemplate
from plans.selectors import plan_for_user

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of changes listed per sheet on the preview; the counts above them are always complete.
SHOWN_PER_SHEET = 200


def _require_import(user):
    if not user.has_perm("exchange.import_plans"):
        raise PermissionDenied("You cannot import plans.")


def _changeable_plan(user, pk):
    """A plan the user may see (404 otherwise) and change (403 otherwise)."""
    plan = plan_for_user(user, pk)
    if not user.has_perm("plans.change_plan", plan):
        raise PermissionDenied("You cannot change this plan.")
    return plan


@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_import(request.user)
    chosen = request.GET.get("plan")
    if chosen and not chosen.isdigit():
        raise Http404
    if chosen:
        _changeable_plan(request.user, int(chosen))
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, initial={"plan": chosen or ""})
    if request.method == "POST" and form.is_valid():
        token = pending.keep(request, book=form.book, target=form.target(), table=form.cleaned_data["table"])
        return redirect("exchange:preview", token=token)
    context = {"form": form, "template": exporter.default_template()}
    return render(request, "exchange/import_form.html", context)


@require_http_methods(["GET", "POST"])
def import_preview(request, token):
    _require_import(request.user)
    upload = pending.fetch(request, token)
    if upload.target.plan_id:
        _changeable_plan(request.user, upload.target.plan_id)
    arguments = {"book": upload.book, "target": upload.target, "user": request.user, "table": upload.table or None}
    if request.method == "POST":
        try:
            plan = plan_import_apply(**arguments, fingerprint=request.POST.get("fingerprint", ""))
        except ImportRefused as refused:
            preview = refused.preview
        except PreviewOutdated as outdated:
            preview = outdated.preview
            messages.warning(
                request, "The plan changed after you saw the preview: check the changes again, then confirm."
            )
        else:
            pending.discard(request, token)
            messages.success(
                request, f"Imported {upload.filename} into {plan.unit.code} {plan.year} “{plan.version_label}”."
            )
            return redirect("plans:detail", pk=plan.pk)
    else:
        preview = plan_import_preview(**arguments)
    context = {"preview": preview, "upload": upload, "shown": SHOWN_PER_SHEET}
    return render(request, "exchange/preview.html", context)


def _exportable_plan(user, pk):
    plan = plan_for_user(user, pk)  # 404 if the user may not see it
    if not user.has_perm("plans.view_plan", plan):
        raise PermissionDenied
    return exporter.export_plans().get(pk=plan.pk)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def plan_xlsx(request, pk):
    plan = _exportable_plan(request.user, pk)
    name = workbook.download_name(plan.unit.code, plan.year, plan.version_label, suffix=".xlsx")
    return _download(exporter.plan_workbook(plan), XLSX_TYPE, name)


@require_GET
def plan_json(request, pk):
    plan = _exportable_plan(request.user, pk)
    name = workbook.download_name(plan.unit.code, plan.year, plan.version_label, suffix=".json")
    content = json.dumps(json_format.plan_document(plan), ensure_ascii=False, indent=2).encode("utf-8")
    return _download(content, "application/json; charset=utf-8", name)


@require_GET
def template_xlsx(request):
    _require_import(request.user)
    slug = request.GET.get("template")
    template = PlanTemplate.objects.filter(slug=slug).first() if slug else exporter.default_template()
    if template is None:
        raise Http404("There is no plan template.")
    name = workbook.download_name("plan-template", template.slug, suffix=".xlsx")
    return _download(exporter.template_workbook(template), XLSX_TYPE, name)
