"""Import a plan (upload, preview, confirm) and export one (XLSX, JSON), and the blank template.

Who may: exchange.import_plans for the import pages (administrators and plan editors; anyone else
gets a 403), plans.change_plan on an existing draft imported into, plans.view_plan to export a plan
(404 for a plan the user may not see), monitoring.view_round to export a round's returns (404 otherwise;
the export holds the rows of the plans the user may read). The rules are in accounts/permissions.py.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from exchange import exporter, json_format, pending, round_sheets, workbook
from exchange.forms import ImportForm, RoundImportForm
from exchange.importer import ImportRefused, PreviewOutdated, Target, plan_import_apply, plan_import_preview
from exchange.round_import import round_import_apply, round_import_preview
from monitoring.access import may_enter_returns, round_for, round_plan_ids
from plans.models import Plan, PlanTemplate
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


@require_GET
def round_xlsx(request, pk):
    round_ = round_for(request.user, pk)  # 404 if the user may not see the round
    name = workbook.download_name(round_.directorate.code, round_.name, "returns", suffix=".xlsx")
    return _download(round_sheets.round_workbook(request.user, round_), XLSX_TYPE, name)


@require_GET
def round_json(request, pk):
    round_ = round_for(request.user, pk)
    name = workbook.download_name(round_.directorate.code, round_.name, "returns", suffix=".json")
    document = round_sheets.round_document(request.user, round_)
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return _download(content, "application/json; charset=utf-8", name)


def _round_for_import(user, pk):
    """A round the user may see (404 otherwise), open, with a plan they may enter returns for (403 otherwise)."""
    round_ = round_for(user, pk)
    plans = Plan.objects.with_unit().filter(pk__in=round_plan_ids(round_))
    if not any(may_enter_returns(user, round_, plan) for plan in plans):
        raise PermissionDenied("You cannot enter returns in this round.")
    return round_


@require_http_methods(["GET", "POST"])
def round_import_start(request, pk):
    round_ = _round_for_import(request.user, pk)
    form = RoundImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = pending.keep(request, book=form.book, target=Target(), table=f"round:{round_.pk}")
        return redirect("exchange:round_import_preview", pk=round_.pk, token=token)
    return render(request, "exchange/round_import_form.html", {"round": round_, "form": form})


@require_http_methods(["GET", "POST"])
def round_import_preview_page(request, pk, token):
    round_ = _round_for_import(request.user, pk)
    upload = pending.fetch(request, token)
    if upload.table != f"round:{round_.pk}":
        raise Http404
    if request.method == "POST":
        try:
            written = round_import_apply(
                book=upload.book, round_=round_, user=request.user, fingerprint_=request.POST.get("fingerprint", "")
            )
        except ImportRefused as refused:
            preview = refused.preview
        except PreviewOutdated as outdated:
            preview = outdated.preview
            messages.warning(request, "The returns changed after you saw the preview: check the changes again.")
        else:
            pending.discard(request, token)
            messages.success(
                request, f"Imported {upload.filename}: {written} return{'s' if written != 1 else ''} saved."
            )
            return redirect("monitoring:detail", pk=round_.pk)
    else:
        preview = round_import_preview(book=upload.book, round_=round_, user=request.user)
    back = reverse("exchange:round_import", args=[round_.pk])
    context = {"preview": preview, "upload": upload, "shown": SHOWN_PER_SHEET, "back": back}
    return render(request, "exchange/preview.html", context)
