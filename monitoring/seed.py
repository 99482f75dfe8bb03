"""Load FSC's mid-year monitoring round of 2013-14 from the seed transcriptions in fixtures/seeds/.

Three plan files reconstruct, from the FSC mid-year monitoring report (committee of 5 December 2013),
the section C priorities and headline actions of the SCS, OPPD and SC plans, which are not in the seeds
(the LDMH plan is loaded in full by exchange/seeds.py). The round file holds a return for every
headline action of the four plans, the priority returns, the decision changes and the committee
report's cover facts and prose. Loading it closes the round, so its pages are frozen as the committee
saw them. No total is loaded: every dashboard figure is counted from the returns.

Everything is idempotent: rows are matched on natural keys (unit, year, version; priority and action
numbers; round and action) and written only when they differ; a closed round is never touched again.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from common.models import FinancialYear
from common.years import parse_financial_year
from monitoring.models import (
    ActionReturn,
    CommitteeReport,
    CommitteeReportChapter,
    DecisionChange,
    PriorityReturn,
    Round,
)
from monitoring.selectors import build_round_report, covered_plans, frozen_kpi_html, user_name, when
from organisation.models import Unit
from plans.models import Action, Plan, PlanTemplate, Priority, Theme

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
RECONSTRUCTED_PLAN_FILES = [
    "fsc-scs-plan-2013-14-reconstructed.json",
    "fsc-oppd-plan-2013-14-reconstructed.json",
    "fsc-sc-plan-2013-14-reconstructed.json",
]
ROUND_FILE = "fsc-midyear-round-2013-14.json"
RECONSTRUCTED = "Reconstructed"


def read_seed(name: str) -> dict:
    return json.loads((SEEDS_DIR / name).read_text(encoding="utf-8"))


def _save(model, lookup: dict, values: dict, *, history_user=None):
    """Create or update one row, validated as the admin does; unchanged rows are not written."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
        return obj
    if obj is None:
        obj = model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.clean_fields()
    obj.clean()
    if history_user is not None:
        obj._history_user = history_user
    obj.save()
    return obj


def _check_reconstructed(row: dict, what: str):
    """A row flagged reconstructed is labelled so in its title and its note, where readers see it."""
    if row.get("reconstructed"):
        title = row.get("text") or row.get("title") or ""
        if not (title.startswith(RECONSTRUCTED) and row.get("source_note", "").startswith(RECONSTRUCTED)):
            raise ValueError(f"{what} is flagged reconstructed but its title and note do not say so.")


@transaction.atomic
def load_reconstructed_plan(data: dict) -> Plan:
    """One reconstructed plan file: the plan (published), its priorities and its headline actions."""
    p = data["plan"]
    year = parse_financial_year(p["year"])
    unit = Unit.objects.in_year(year).get(code=p["division"], parent__code=p["directorate"])
    plan = _save(
        Plan,
        {"unit": unit, "year_id": year, "version_label": p["version_label"]},
        {
            "template": PlanTemplate.objects.get(slug=p["template"]),
            "title": p["title"],
            "version_date": datetime.date.fromisoformat(p["version_date"]) if p["version_date"] else None,
            "status": p["status"],
            "source": f"Reconstructed from {Path(data['source']).name}: section C priorities and headline actions.",
            "source_note": p["source_note"],
        },
    )
    themes = {t.slug: t for t in Theme.objects.all()}
    for pr in p["priorities"]:
        _check_reconstructed(pr, f"{unit.code} priority {pr['number']}")
        priority = _save(
            Priority,
            {"plan": plan, "number": pr["number"]},
            {"title": pr["title"], "description": pr["description"], "source_note": pr["source_note"]},
        )
        priority.themes.set([themes[slug] for slug in pr["themes"]])
        for row in pr["actions"]:
            _check_reconstructed(row, f"{unit.code} action {pr['number']}.{row['number']}")
            _save(
                Action,
                {"priority": priority, "number": int(row["number"]), "sub_number": 0},
                {
                    "text": row["text"],
                    "officer": row["officer"],
                    "start": None,
                    "end": None,
                    "source_note": row["source_note"],
                },
            )
    return plan


def load_reconstructed_plans() -> list[Plan]:
    return [load_reconstructed_plan(read_seed(name)) for name in RECONSTRUCTED_PLAN_FILES]


def transcriber(data: dict):
    """The account the transcribed returns are entered by: it cannot sign in."""
    spec = data["entered_by"]
    user, created = get_user_model().objects.get_or_create(
        username=spec["username"],
        defaults={"first_name": spec["first_name"], "last_name": spec["last_name"], "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def _actions_by_key(round_: Round) -> dict[tuple, Action]:
    """The headline actions of the plans the round covers, by (unit code, priority number, action number)."""
    plans = covered_plans(round_)
    actions = Action.objects.filter(priority__plan__in=plans, sub_number=0).select_related("priority__plan__unit")
    return {(a.priority.plan.unit.code, a.priority.number, a.number): a for a in actions}


@transaction.atomic
def load_round(data: dict) -> Round:
    """The round with its returns, closed as at the committee's date; a closed round is left as it is."""
    spec = data["round"]
    year = parse_financial_year(spec["year"])
    directorate = Unit.objects.in_year(year).get(code=spec["directorate"], level=Unit.Level.DIRECTORATE)
    user = transcriber(data)
    round_, _ = Round.objects.get_or_create(
        directorate=directorate,
        year=FinancialYear.objects.get(pk=year),
        kind=spec["kind"],
        defaults={"name": spec["name"], "deadline": spec["deadline"], "opened_at": _moment(spec["opened_at"])},
    )
    if round_.is_open:
        _load_returns(round_, data, user)
        _close(round_, user, _moment(spec["closed_at"]))
    load_committee_report(round_, data["committee_report"])
    return round_


def _load_returns(round_: Round, data: dict, user):
    spec = data["round"]
    if round_.opened_by_id is None:  # opened by a loader (this one, or the earlier demo): its facts are the seed's
        round_.name = spec["name"]
        round_.deadline = datetime.date.fromisoformat(spec["deadline"])
        round_.opened_at = _moment(spec["opened_at"])
        round_.source_note = spec["source_note"]
        round_.full_clean()
        round_.save()
    entered_at = _moment(spec["entered_at"])
    common = {"entered_by": user, "entered_at": entered_at}
    actions = _actions_by_key(round_)
    plans = {}
    for division in data["divisions"]:
        code = division["unit"]
        for row in division["actions"]:
            action = actions[(code, row["priority"], row["action"])]
            plans[code] = action.priority.plan
            merged = row.get("merged_into")
            values = {
                "status": row.get("status", ""),
                "commentary": row.get("commentary", ""),
                "withdrawn": row.get("withdrawn", ""),
                "withdrawn_note": row.get("withdrawn_note", ""),
                "merged_into": actions[(code, merged["priority"], merged["action"])] if merged else None,
                "source_note": row["source_note"],
                "late": entered_at.date() > round_.deadline,
                **common,
            }
            _save(ActionReturn, {"round": round_, "action": action}, values, history_user=user)
        for row in division.get("priorities", []):
            priority = Priority.objects.get(plan=plans[code], number=row["priority"])
            values = {
                "key_achievements": row["key_achievements"],
                "key_issues": row["key_issues"],
                "source_note": row["source_note"],
                **common,
            }
            _save(PriorityReturn, {"round": round_, "priority": priority}, values, history_user=user)
        change = division.get("decision_changes")
        if change:
            values = {"text": change["text"], "source_note": change["source_note"], **common}
            _save(DecisionChange, {"round": round_, "plan": plans[code]}, values, history_user=user)
    missing = set(actions) - {(d["unit"], r["priority"], r["action"]) for d in data["divisions"] for r in d["actions"]}
    if missing:
        raise ValueError(f"No return in the seed for headline actions {sorted(missing)}.")


def _close(round_: Round, user, closed_at: datetime.datetime):
    """What monitoring.services.round_close does, on the committee's date and by the transcriber."""
    snapshot = build_round_report(round_)
    snapshot["kpi_html"] = frozen_kpi_html(round_)
    snapshot["as_of"] = when(closed_at)
    snapshot["closed_at"] = when(closed_at)
    snapshot["closed_by"] = user_name(user)
    round_.status = Round.Status.CLOSED
    round_.closed_by = user
    round_.closed_at = closed_at
    round_.snapshot = snapshot
    round_.full_clean()
    round_._history_user = user
    round_.save()


def load_committee_report(round_: Round, spec: dict) -> CommitteeReport:
    fields = [
        "by",
        "to",
        "subject",
        "classification",
        "summary",
        "recommendation",
        "introduction",
        "closing_sections",
        "authors",
        "source_note",
    ]
    values = {name: spec[name] for name in fields}
    values["date"] = datetime.date.fromisoformat(spec["date"])
    report = _save(CommitteeReport, {"round": round_}, values)
    for chapter in spec["chapters"]:
        unit = Unit.objects.in_year(round_.year_id).get(code=chapter["unit"], parent=round_.directorate)
        _save(
            CommitteeReportChapter,
            {"report": report, "unit": unit},
            {"number": chapter["number"], "heading": chapter["heading"]},
        )
    return report


def load_midyear_round() -> Round:
    """The reconstructed plans, then the round (returns, closing, committee report)."""
    load_reconstructed_plans()
    return load_round(read_seed(ROUND_FILE))
