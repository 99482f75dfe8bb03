"""The approval workflow as data: Draft → Submitted → Approved → Published, with send-back.

Each step names the statuses it may start from, the status it leads to, the permission a user
needs (accounts/permissions.py) and whether a comment is required.
"""

from dataclasses import dataclass

from plans.models import Plan, PlanEvent

Status = Plan.Status
Step = PlanEvent.Step


@dataclass(frozen=True)
class Transition:
    step: str
    sources: frozenset
    target: str
    permission: str
    button: str
    comment_required: bool = False


TRANSITIONS = {
    t.step: t
    for t in [
        Transition(
            Step.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, "plans.submit_plan", "Submit for approval"
        ),
        Transition(
            Step.SEND_BACK,
            frozenset({Status.SUBMITTED, Status.APPROVED}),
            Status.DRAFT,
            "plans.approve_plan",
            "Send back to the editors",
            comment_required=True,
        ),
        Transition(Step.APPROVE, frozenset({Status.SUBMITTED}), Status.APPROVED, "plans.approve_plan", "Approve"),
        Transition(Step.PUBLISH, frozenset({Status.APPROVED}), Status.PUBLISHED, "plans.publish_plan", "Publish"),
    ]
}


def available_transitions(user, plan) -> list[Transition]:
    """The steps this user may take on this plan now."""
    return [t for t in TRANSITIONS.values() if plan.status in t.sources and user.has_perm(t.permission, plan)]
