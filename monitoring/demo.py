"""The demo's monitoring rounds for FSC in 2013-14.

- "Mid-year 2013-14", closed: the returns of the FSC mid-year monitoring report to the Social Care and
  Public Health Cabinet Committee of 5 December 2013, loaded and frozen by monitoring/seed.py (with the
  SCS, OPPD and SC plans reconstructed from that report).
- "Year-end 2013-14", open and empty, so that editors have a round to fill in. No year-end report is in
  the seeds: its deadline is reconstructed, and the round says so.
"""

import datetime

from django.utils import timezone

from monitoring.models import Round
from monitoring.seed import load_midyear_round
from organisation.models import Unit

DEADLINE = datetime.date(2014, 5, 15)
OPENED_AT = datetime.datetime(2014, 4, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
DEADLINE_NOTE = (
    "Deadline reconstructed, not printed: no year-end monitoring report for 2013-14 is in the seeds. The mid-year "
    "round's reconstructed deadline, 15 November 2013, falls six and a half weeks after the half-year ended on 30 "
    "September, in time for the committee of 5 December 2013; the same interval after the year ends on 31 March 2014 "
    "gives 15 May 2014, which stands in for the real date. The round opens on 1 April 2014 (also reconstructed) and "
    "holds no returns: the demo leaves them for editors to enter."
)


def open_demo_round() -> Round:
    """Open "Year-end 2013-14" for FSC unless it exists; never changes an existing round."""
    directorate = Unit.objects.in_year(2013).get(code="FSC", level=Unit.Level.DIRECTORATE)
    round_, _ = Round.objects.get_or_create(
        directorate=directorate,
        year_id=2013,
        kind=Round.Kind.YEAR_END,
        defaults={
            "name": "Year-end 2013-14",
            "deadline": DEADLINE,
            "source_note": DEADLINE_NOTE,
            "opened_at": min(OPENED_AT, timezone.now()),
        },
    )
    return round_


def load_demo_rounds() -> tuple[Round, Round]:
    """The closed mid-year round as reported to committee, then the open year-end round."""
    return load_midyear_round(), open_demo_round()
