"""What each document shows: its print HTML, built from the same selectors and includes as the page."""

import hashlib

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from documents.rendering import print_stylesheet_url
from plans.selectors import plan_document_unchecked

# Bump when the print templates or stylesheet change in a way that should rebuild cached PDFs.
PRINT_LAYOUT_VERSION = "1"


def plan_print_html(plan_id: int, *, for_pdf: bool) -> str:
    plan, sections = plan_document_unchecked(plan_id)
    context = {
        "plan": plan,
        "sections": sections,
        "document_title": f"{plan.unit.name}: {plan.title}",
        "document_author": plan.director or plan.unit.name,
        "document_subject": f"{plan.title}, {plan.unit.name}, {plan.year}, {plan.version_label}",
        "document_keywords": f"business plan, {plan.unit.code}, {plan.year}",
        "document_date": plan.version_date or timezone.localdate(),
        "stylesheet_href": print_stylesheet_url() if for_pdf else static("css/print.css"),
        "print": True,
    }
    return render_to_string("documents/plan_print.html", context)


def content_version(html: str) -> str:
    return hashlib.sha256(f"{PRINT_LAYOUT_VERSION}\n{html}".encode()).hexdigest()
