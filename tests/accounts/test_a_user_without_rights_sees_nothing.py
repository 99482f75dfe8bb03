"""A signed-in user with no role in any unit is shown nothing of the council, at any address of the project:
every URL pattern, walked by tests/url_walk.py, each id that of a real object of the demo data (the LDMH
plan, the FSC rounds, an LDMH indicator...), which an administrator is shown. The per-page permission
tests check each role in detail; this one covers every page, including pages added later."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from exchange.demo_accounts import create_demo_accounts
from exchange.seeds import load_all
from monitoring.demo import load_demo_rounds
from organisation.models import Unit
from performance.models import Indicator
from performance.seed import load_indicator_seeds
from plans.models import Plan
from tests.url_walk import address, addresses, parameters

# Words that lead a page past "not found" to its permission check: a section, a table, a row's kind, a
# workflow step, a direction. Every combination is asked for.
WORDS = {
    "code": ["C", "F"],
    "kind": ["priorities", "indicators", "action", "risk", "decision"],
    "step": ["submit", "approve", "send_back", "publish"],
    "direction": ["up"],
}
# URL names whose `pk` is a round's or an indicator's; every other `pk` is a plan's.
ROUND_PAGES = {
    "dashboards:compare", "dashboards:division", "dashboards:exceptions", "dashboards:round",
    "documents:committee_report_pdf", "documents:committee_report_print", "exchange:round_import",
    "exchange:round_import_preview", "exchange:round_json", "exchange:round_xlsx", "monitoring:close",
    "monitoring:detail", "monitoring:return",
}  # fmt: skip
INDICATOR_PAGES = {"performance:detail", "performance:targets"}
# Pages an administrator is shown at those ids: the ids are those of objects that exist.
SHOWN_TO_AN_ADMINISTRATOR = {
    "plans:detail", "plans:section", "plans:history", "plans:checks", "documents:plan_print",
    "exchange:plan_json", "dashboards:round", "dashboards:division", "dashboards:compare", "monitoring:detail",
    "monitoring:return", "performance:detail", "performance:kpi", "documents:kpi_print",
}  # fmt: skip
# Pages that answer anyone signed in, each listing only what its reader may see: for this reader, nothing.
LISTS = {"plans:list", "dashboards:index", "performance:list", "performance:kpi_index", "monitoring:list"}


def _demo_ids() -> dict[str, dict]:
    """Each parameter's value, by the kind of object the page is about."""
    plan = Plan.objects.get(unit__code="LDMH", year_id=2013, status=Plan.Status.PUBLISHED)
    closed, opened = load_demo_rounds()
    priority = plan.priorities.order_by("number").first()
    rows = {
        "action": priority.actions.first().pk,
        "decision": priority.decisions.first().pk,
        "risk": plan.risks.first().pk,
    }
    common = {"other_pk": opened.pk, "unit_pk": plan.unit_id, "plan_pk": plan.pk, "priority_id": priority.pk}
    return {
        "plan": {"pk": plan.pk, **common},
        "round": {"pk": closed.pk, **common},
        "indicator": {"pk": Indicator.objects.filter(unit_id=plan.unit_id).first().pk, "year": "2013", **common},
        "rows": rows,
    }


def _paths(name, route, ids):
    """The addresses of a URL pattern: one for each combination of its words."""
    kind = "round" if name in ROUND_PAGES else "indicator" if name in INDICATOR_PAGES else "plan"
    worded = [parameter for parameter in parameters(route) if parameter in WORDS]
    for words in itertools.product(*(WORDS[parameter] for parameter in worded)):
        values = {**ids[kind], **dict(zip(worded, words, strict=True))}
        values["row_id"] = str(ids["rows"].get(values.get("kind"), 1))
        yield address(route, {key: str(value) for key, value in values.items()})


@pytest.mark.django_db
def test_a_signed_in_user_without_a_role_is_shown_nothing_of_the_council(client, admin_user):
    load_all()
    load_indicator_seeds()
    create_demo_accounts()
    ids = _demo_ids()
    units = [unit.name for unit in Unit.objects.filter(plans__isnull=False).distinct()]
    pages = [
        (name, path)
        for name, route in addresses()
        # The admin refuses anyone who is not staff (its own tests); signing in and out are open to all.
        if not name.startswith("admin:") and name not in ("login", "logout")
        for path in _paths(name, route, ids)
    ]
    assert len(pages) > 50

    client.force_login(get_user_model().objects.create_user("nobody", password="not-a-demo-password"))
    shown = [problem for name, path in pages for problem in _shown(client, name, path, units)]
    assert shown == []

    client.force_login(admin_user)
    answers = {name: client.get(path).status_code for name, path in pages if name in SHOWN_TO_AN_ADMINISTRATOR}
    assert answers == dict.fromkeys(SHOWN_TO_AN_ADMINISTRATOR, 200)


def _shown(client, name, path, units) -> list[str]:
    """What the page at `path` shows that this reader must not see."""
    response = client.get(path)
    if response.status_code == 200 and name in LISTS:
        text = response.content.decode()
        return [f"{path} ({name}) shows {unit}" for unit in units if unit in text]
    if response.status_code in (302, 403, 404, 405):
        return []
    return [f"{path} ({name}) answered {response.status_code}"]
