"""The pages of a plan's sections, cached.

A plan is read on the web a section at a page (its front page lists them), and whole in its print
preview and PDF (documents app). A section page is the same for every reader allowed to see the
plan, except that editors of a draft see "change" links: it is cached per plan, section and that
difference, for the content generation (common/cache.py), so a committee reading a plan at once
builds each section once. Building one reads only the tables of that section's kinds
(plans/selectors.py); a cached page reads none.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.http import Http404
from django.template.loader import render_to_string

from common.cache import cached
from plans import selectors
from plans.models import TemplateSection


@dataclass(frozen=True)
class SectionLink:
    code: str
    title: str

    @classmethod
    def of(cls, section: TemplateSection | None):
        return None if section is None else cls(section.code, section.title)


@dataclass(frozen=True)
class SectionPage:
    """What a section page shows below the plan's heading: its HTML, and its place among the sections."""

    code: str
    title: str
    html: str
    contents: list[SectionLink]
    previous: SectionLink | None
    next: SectionLink | None


def section_page(plan, code: str, *, can_edit: bool) -> SectionPage:
    """For a plan the caller has already checked the reader may see, fetched by
    selectors.plan_section_heading (whose instance the section's rows are fetched onto)."""
    max_length = TemplateSection._meta.get_field("code").max_length
    if len(code) > max_length:
        raise Http404("This plan has no such section.")
    key = quote(code, safe="")  # a code may hold any character; a cache key may not
    return cached("plan-section", plan.pk, key, int(can_edit), build=lambda: _build(plan, code, can_edit))


def _build(plan, code, can_edit) -> SectionPage:
    place = selectors.prefetch_section(plan, code)
    html = render_to_string(
        "plans/includes/plan_sections.html", {"plan": plan, "sections": [place.view], "can_edit": can_edit}
    )
    section = place.view.section
    return SectionPage(
        code=section.code,
        title=section.title,
        html=html,
        contents=[SectionLink.of(each) for each in place.sections],
        previous=SectionLink.of(place.previous),
        next=SectionLink.of(place.next),
    )
