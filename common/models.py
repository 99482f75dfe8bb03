import datetime

from django.db import models

from common.years import financial_year_label


class FinancialYear(models.Model):
    """April to March. The primary key is the starting calendar year, so 2013 is 2013-14."""

    start_year = models.PositiveSmallIntegerField(
        primary_key=True, help_text="The calendar year in which the financial year starts: 2013 for 2013-14."
    )

    class Meta:
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__gte=1990, start_year__lte=2100),
                name="financial_year_plausible",
                violation_error_message="A financial year must start between 1990 and 2100.",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return financial_year_label(self.start_year)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def last_month(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 3, 1)

    def contains(self, day: datetime.date) -> bool:
        return self.first_day <= day < datetime.date(self.start_year + 1, 4, 1)
