"""The body of the plan page (contents, sections and the count of check findings), cached.

The body is the same for every reader allowed to see the plan, except that editors of a draft see
"change" links: it is cached per plan and per that difference, for the content generation
(common/cache.py), so a committee reading a plan at once builds it once. Building it reads the
whole plan document (plans/selectors.py, 28 queries however large the plan); a cached body reads none.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from common.cache import cached
from plans import checks, selectors


@dataclass(frozen=True)
class PlanBody:
    html: str
    finding_count: int


def plan_body(plan, *, can_edit: bool) -> PlanBody:
    """For a plan the caller has already checked the reader may see, fetched by selectors.plan_heading
    (whose instance the body's rows are fetched onto, so the plan is not read twice)."""
    return cached("plan-body", plan.pk, int(can_edit), build=lambda: _build(plan, can_edit))


def _build(plan, can_edit) -> PlanBody:
    sections = selectors.prefetch_document(plan)
    html = render_to_string("plans/includes/plan_body.html", {"plan": plan, "sections": sections, "can_edit": can_edit})
    return PlanBody(html=html, finding_count=len(checks.run_checks(plan)))
