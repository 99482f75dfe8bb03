"""The demo's monitoring round: FSC's mid-year round of 2013-14, open, with no returns entered.

The FSC mid-year monitoring report (committee of 5 December 2013) summarises the divisions'
returns, but not action by action, so no returns are invented here: the round page shows them
all as missing, which is the truth of what the demo holds. The deadline is not printed anywhere;
it is reconstructed, and the round says so.
"""

import datetime

from django.utils import timezone

from monitoring.models import Round
from organisation.models import Unit

DEADLINE = datetime.date(2013, 11, 15)
DEADLINE_NOTE = (
    "Deadline reconstructed, not printed: the FSC mid-year monitoring report to the Social Care and Public "
    "Health Cabinet Committee of 5 December 2013 reports events up to 1 November 2013, so returns were in by "
    "mid-November; 15 November 2013 stands in for the real date. The report's dashboard (LDMH: 6 priorities, "
    "19 actions, 11 completed, 8 on course, 0 delayed or cancelled) is a summary only, so no per-action "
    "returns are loaded."
)


def open_demo_round() -> Round:
    """Open "Mid-year 2013-14" for FSC unless it exists; never changes an existing round."""
    directorate = Unit.objects.in_year(2013).get(code="FSC", level=Unit.Level.DIRECTORATE)
    round_, _ = Round.objects.get_or_create(
        directorate=directorate,
        year_id=2013,
        kind=Round.Kind.MID_YEAR,
        defaults={
            "name": "Mid-year 2013-14",
            "deadline": DEADLINE,
            "source_note": DEADLINE_NOTE,
            "opened_at": timezone.now(),
        },
    )
    return round_
