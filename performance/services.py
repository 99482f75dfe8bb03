"""Writes of the performance app: entering a period's actuals (all or nothing), setting an indicator's
floor and targets for a year (all or nothing, refusing a change made meanwhile by someone else), and
telling an indicator's owner when a figure turns red."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from common.models import FinancialYear
from performance import status
from performance.formatting import figure
from performance.models import FREQUENCY_PERIOD, Actual, Commentary, Indicator, IndicatorYear, Target
from performance.periods import Period, PeriodKind, periods_in_year, year_period
from performance.rag import Rag

COMMENTARY_FIELDS = ("what_is_happening", "why", "what_is_being_done", "forecast_rag")


@dataclass
class EntryRow:
    """What an officer entered for one indicator: a blank value removes the period's actual."""

    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source_note: str = ""
    commentary: dict | None = None


@dataclass
class EntryResult:
    saved: int
    removed: int
    turned_red: list[Indicator]
    emailed: list[Indicator]


def rags_of(indicator_ids, period: Period) -> dict[int, Rag]:
    """Each indicator's RAG for the period from the figures in the database now (a fixed number of queries)."""
    rags = {}
    for indicator in Indicator.objects.with_figures().filter(pk__in=indicator_ids):
        rows = [s for s in status.timeline(indicator) if s.period == period]
        rags[indicator.pk] = rows[0].rag if rows else Rag.NONE
    return rags


def actuals_enter(*, period: Period, rows: list[EntryRow], user) -> EntryResult:
    """Save one period's figures for several indicators, all or nothing; then email owners of new reds."""
    ids = [row.indicator.pk for row in rows]
    before = rags_of(ids, period)
    with transaction.atomic():
        saved, removed = _save_rows(period, rows, user)
    after = rags_of(ids, period)
    turned_red = [
        row.indicator for row in rows if before[row.indicator.pk] != Rag.RED and after[row.indicator.pk] == Rag.RED
    ]
    emailed = [indicator for indicator in turned_red if notify_turned_red(indicator, period)]
    return EntryResult(saved=saved, removed=removed, turned_red=turned_red, emailed=emailed)


def _save_rows(period: Period, rows: list[EntryRow], user) -> tuple[int, int]:
    saved = removed = 0
    year, _ = FinancialYear.objects.get_or_create(start_year=period.year_start)
    for row in rows:
        indicator_year, _ = IndicatorYear.objects.get_or_create(indicator=row.indicator, year=year)
        lookup = {"indicator_year": indicator_year, "period": period.kind, "period_start": period.start}
        existing = Actual.objects.filter(**lookup).first()
        if row.value is None:
            if existing is not None:
                existing.delete()
                removed += 1
        else:
            values = {
                "value": row.value,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "source_note": row.source_note,
            }
            if existing is None or any(getattr(existing, name) != value for name, value in values.items()):
                actual = existing or Actual(**lookup)
                for name, value in values.items():
                    setattr(actual, name, value)
                actual.entered_by = user
                actual.full_clean()
                actual.save()
                saved += 1
        if row.commentary is not None:
            _save_commentary(lookup, row.commentary, user)
    return saved, removed


def _save_commentary(lookup: dict, values: dict, user) -> None:
    commentary = Commentary.objects.filter(**lookup).first()
    if commentary is None and not any(values.values()):
        return
    commentary = commentary or Commentary(**lookup)
    if all(getattr(commentary, name) == values.get(name, "") for name in COMMENTARY_FIELDS) and commentary.pk:
        return
    for name in COMMENTARY_FIELDS:
        setattr(commentary, name, values.get(name, ""))
    commentary.author = user
    commentary.full_clean()
    commentary.save()


def notify_turned_red(indicator: Indicator, period: Period) -> bool:
    """Email the indicator's owner that a figure is now red; False when there is no one to tell."""
    owner = indicator.owner
    if owner is None or not owner.email:
        return False
    url = settings.SITE_URL + reverse("performance:detail", args=[indicator.pk])
    indicator = Indicator.objects.with_figures().get(pk=indicator.pk)
    row = next(s for s in status.timeline(indicator) if s.period == period)
    send_mail(
        subject=f"Red: {indicator.label} – {period.label}",
        message=(
            f"{indicator.label} is red for {period.label}.\n\n"
            f"Actual: {figure(row.value)}\n"
            f"Target: {figure(row.target.value, 'not set')}\n"
            f"Floor: {figure(row.floor, 'not set')}\n\n"
            f"Please add a commentary (what is happening, why, and what is being done about it):\n{url}\n"
        ),
        from_email=None,
        recipient_list=[owner.email],
    )
    return True


# --- Floor and targets for a year ------------------------------------------------------------------


class TargetsChanged(ValidationError):
    """Someone else saved the indicator's floor or targets for the year since the form was shown."""


def target_periods(indicator: Indicator, start_year: int) -> list[Period]:
    """The periods a target can be set for in the year: the year itself, then the indicator's own
    reporting periods (months, quarters or terms) when it reports more often than yearly."""
    kind = FREQUENCY_PERIOD[indicator.frequency]
    periods = [year_period(start_year, indicator.year_basis)]
    if kind != PeriodKind.YEAR:
        periods += periods_in_year(kind, start_year, indicator.year_basis)
    return periods


def target_label(period: Period) -> str:
    """How the targets form and its conflict summary name a period's target."""
    return f"Target for the year {period.label}" if period.kind == PeriodKind.YEAR else period.label


def targets_version(indicator_year: IndicatorYear | None, stored: list[Target] | None = None) -> str:
    """A fingerprint of the year's floor, note and targets as stored (`stored`, when the caller has
    already read them): the form carries the one it was shown with, and saving refuses if the stored
    one has changed since (no lost concurrent edits)."""
    if indicator_year is None or indicator_year.pk is None:
        return "new"
    if stored is None:
        stored = list(Target.objects.filter(indicator_year=indicator_year))
    targets = sorted((t.period, t.period_start.isoformat(), str(t.value)) for t in stored)
    text = repr((str(indicator_year.floor), indicator_year.target_note, targets))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def targets_set(
    *,
    indicator: Indicator,
    start_year: int,
    floor: Decimal | None,
    target_note: str,
    targets: dict[Period, Decimal | None],
    version: str,
    user,
) -> int:
    """Set the indicator's floor, target note and targets for the year, all or nothing; a blank target
    removes that period's. Returns how many targets changed. Raises TargetsChanged when the stored
    figures are no longer those the form was shown with."""
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    # The indicator row is locked so that two officers saving the same year are taken one at a time.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    indicator_year = IndicatorYear.objects.filter(indicator=indicator, year=year).first()
    if targets_version(indicator_year) != version:
        raise TargetsChanged(
            "Someone else changed these targets while you were editing them. What they saved is shown "
            "above the form, and your figures are still in it: check them, then save again."
        )
    indicator_year = indicator_year or IndicatorYear(indicator=indicator, year=year)
    if indicator_year.pk is None or (indicator_year.floor, indicator_year.target_note) != (floor, target_note):
        indicator_year.floor, indicator_year.target_note = floor, target_note
        indicator_year._history_user = user
        indicator_year.full_clean()
        indicator_year.save()
    changed = 0
    stored = {(t.period, t.period_start): t for t in Target.objects.filter(indicator_year=indicator_year)}
    for period, value in targets.items():
        existing = stored.get((period.kind, period.start))
        if value is None:
            if existing is not None:
                existing._history_user = user
                existing.delete()
                changed += 1
        elif existing is None or existing.value != value:
            target = existing or Target(indicator_year=indicator_year, period=period.kind, period_start=period.start)
            target.value = value
            target._history_user = user
            target.full_clean()
            target.save()
            changed += 1
    return changed
