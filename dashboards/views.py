"""The dashboards of a monitoring round: business plan dashboard, drill-down, exceptions.

Every page reads monitoring.selectors.round_report() (a closed round's snapshot), so it shows the
same numbers as the round page, in a fixed number of queries. Permission: monitoring.view_round
(another directorate's round is a 404); nothing here changes data, so viewers see no edit controls.
"""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from common.cache import cached
from dashboards import rollups
from dashboards.filters import ActionFilter
from dashboards.models import rule_for
from dashboards.selectors import (
    COLUMNS,
    REPORT_KEY,
    STATUS_RAG,
    compare,
    dashboard_rows,
    export_rows,
    indicator_exceptions,
    units_of_row,
    visible_units,
)
from dashboards.tables import DashboardTable, export_response
from monitoring.access import round_for, visible_plans_by_id
from monitoring.models import Round
from monitoring.selectors import round_report, visible_rounds
from plans.models import Priority


def index(request):
    # A closed round's snapshot is large (everything its pages show): a list of rounds never reads it.
    rounds = visible_rounds(request.user, Round.objects.select_related("directorate", "year").defer("snapshot"))
    rounds = rounds.order_by("-year_id", "directorate__code", "kind", "-id")
    return render(request, "dashboards/index.html", {"rounds": rounds})


def _round_data(request, pk):
    round_ = round_for(request.user, pk)
    report = round_report(round_)
    plan_ids = [unit["plan"]["id"] for unit in report["units"] if unit["plan"]]
    visible = visible_plans_by_id(request.user, plan_ids)
    units = visible_units(request.user, report, visible)
    rule, from_data = rule_for(round_.directorate_id)
    return round_, report, units, rule, from_data


def _key_context(rule, from_data):
    return {"rule_lines": rollups.describe(rule), "rule_from_data": from_data, "report_key": REPORT_KEY}


def dashboard(request, pk):
    round_, report, units, rule, from_data = _round_data(request, pk)
    rows, total = dashboard_rows(units, rule)
    export = request.GET.get("export")
    if export:
        filename = f"dashboard-{round_.directorate.code}-{round_.year}-{round_.kind}"
        return export_response(DashboardTable, export_rows(rows, total), export, filename)
    others = visible_rounds(request.user, Round.objects.filter(directorate_id=round_.directorate_id)).exclude(
        pk=round_.pk
    )
    others = others.defer("snapshot")  # only their names and links: their snapshots are not read
    context = {
        "round": round_,
        "report": report,
        "others": others.order_by("-year_id", "kind", "-id"),
        "rows": rows,
        "total": total,
        "columns": COLUMNS,
        "all_units": len(units) == len(report["units"]),
        **_key_context(rule, from_data),
    }
    return render(request, "dashboards/dashboard.html", context)


def _themes(priority_ids) -> dict[int, list[str]]:
    """The theme names of each priority (one query)."""
    through = Priority.themes.through.objects.filter(priority_id__in=priority_ids).select_related("theme")
    themes = {}
    for row in through:
        themes.setdefault(row.priority_id, []).append(str(row.theme))
    return themes


def _shown(members: list[dict], themes: dict[int, list[str]], values: dict) -> list[dict]:
    """The members' priorities with the actions the filter values let through (all of them without)."""
    shown = []
    for unit in members:
        for priority in unit["priorities"]:
            priority_themes = themes.get(priority["id"], [])
            actions = [
                {**action, "rag": STATUS_RAG.get(action["status"], "")}
                for action in priority["actions"]
                if ActionFilter.matches(values, action, priority_themes)
            ]
            if values and not actions:
                continue
            shown.append({**priority, "unit_code": unit["unit_code"], "themes": priority_themes, "actions": actions})
    return shown


def _priorities_html(row: dict, priorities: list[dict]) -> str:
    return render_to_string("dashboards/includes/division_priorities.html", {"row": row, "priorities": priorities})


def division(request, pk, unit_pk):
    round_, _report, units, rule, from_data = _round_data(request, pk)
    members = units_of_row(units, unit_pk)
    if not members or not any(unit["plan"] for unit in members):
        raise Http404
    rows, _ = dashboard_rows(members, rule)
    row = rows[0]

    def build():
        themes = _themes([priority["id"] for unit in members for priority in unit["priorities"]])
        return themes, _priorities_html(row, _shown(members, themes, {}))

    # The unfiltered page, its priorities and actions drawn once for every reader who sees the same units
    # (committee members reading it in a meeting): the units the reader may see are part of the key.
    themes, html = cached("drill-down", round_.pk, *(unit["unit_id"] for unit in members), build=build)
    all_themes = sorted({name for names in themes.values() for name in names})
    filterset = ActionFilter(request.GET or None, themes=all_themes)
    values = filterset.values()
    if values:
        html = _priorities_html(row, _shown(members, themes, values))
    context = {
        "round": round_,
        "row": row,
        "priorities_html": html,
        "filter": filterset,
        "filtered": bool(values),
        **_key_context(rule, from_data),
    }
    return render(request, "dashboards/division.html", context)


def exceptions(request, pk):
    round_, report, units, rule, from_data = _round_data(request, pk)
    delayed = STATUS_RAG.keys() - {"completed", "on_course"}
    items = []
    for unit in units:
        for priority in unit["priorities"]:
            for action in priority["actions"]:
                if action["status"] in delayed and not action["withdrawn"]:
                    items.append(
                        {"unit": unit, "priority": priority, "action": action, "rag": STATUS_RAG[action["status"]]}
                    )
    indicators = indicator_exceptions(round_.directorate, request.user, round_.year_id)
    context = {
        "round": round_,
        "report": report,
        "items": items,
        "indicators": indicators,
        **_key_context(rule, from_data),
    }
    return render(request, "dashboards/exceptions.html", context)


def comparison(request, pk, other_pk):
    """Two rounds of one directorate side by side: the dashboard of each, and what moved from the earlier."""
    round_, _report, units, rule, from_data = _round_data(request, pk)
    other, _other_report, other_units, _, _ = _round_data(request, other_pk)
    if other.directorate_id != round_.directorate_id or other.pk == round_.pk:
        raise Http404
    earlier, later = sorted(
        [(round_, units), (other, other_units)],
        key=lambda pair: (pair[0].year_id, pair[0].kind == "year_end", pair[0].opened_at),
    )
    rows_later, total_later = dashboard_rows(later[1], rule)
    rows_earlier, total_earlier = dashboard_rows(earlier[1], rule)
    by_code = {row["code"]: row for row in rows_earlier}
    side_by_side = [
        {"code": row["code"], "later": row, "earlier": by_code.pop(row["code"], None)} for row in rows_later
    ]
    side_by_side += [{"code": code, "later": None, "earlier": row} for code, row in by_code.items()]
    context = {
        "round": round_,
        "earlier": earlier[0],
        "later": later[0],
        "rows": side_by_side,
        "total_earlier": total_earlier,
        "total_later": total_later,
        "columns": COLUMNS,
        "moved": compare(earlier[1], later[1]),
        **_key_context(rule, from_data),
    }
    return render(request, "dashboards/comparison.html", context)
