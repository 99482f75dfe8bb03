from django.db import models
from django.db.models import Q


class Council(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, unique=True, help_text="For example KCC.")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def in_year(self, start_year: int):
        """Units as they stood in the financial year that starts in start_year."""
        return self.filter(
            Q(first_year_id__lte=start_year), Q(last_year__isnull=True) | Q(last_year_id__gte=start_year)
        )


class Unit(models.Model):
    """A directorate, division or service unit, as it stood over a span of financial years.

    A re-organisation creates new units (and closes old ones by setting their last year), so a
    plan keeps pointing at the unit as it stood in its year: KASS plans stay with KASS after FSC.
    """

    class Level(models.TextChoices):
        DIRECTORATE = "directorate", "Directorate"
        DIVISION = "division", "Division"
        SERVICE_UNIT = "service_unit", "Service unit"

    # KASS's business units (2008/9) sat directly under the directorate, with no division between.
    PARENT_LEVELS = {
        Level.DIVISION: (Level.DIRECTORATE,),
        Level.SERVICE_UNIT: (Level.DIVISION, Level.DIRECTORATE),
    }

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="units")
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The directorate of a division, or the division of a service unit.",
    )
    code = models.CharField(max_length=20, help_text="Short code used on dashboards, for example LDMH.")
    name = models.CharField(max_length=200)
    first_year = models.ForeignKey(
        "common.FinancialYear", on_delete=models.PROTECT, related_name="+", help_text="First year the unit existed."
    )
    last_year = models.ForeignKey(
        "common.FinancialYear",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Last year the unit existed in this form; blank while it still does.",
    )
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text="Units this one replaced in a re-organisation (for example KASS for FSC).",
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "Where the unit comes among the units under the same parent, as the council lists them "
            "(dashboards and reports follow it: SCS, OPPD, LDMH, SC). Units with the same position go by code."
        ),
    )
    source_note = models.TextField(
        blank=True, help_text="Where the facts about this unit come from, and which of them are reconstructed."
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["council", "level", "code", "first_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "code", "first_year"],
                name="unit_code_unique_per_start_year",
                violation_error_message="The council already has a unit with this code starting in this year.",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="unit_last_year_not_before_first",
                violation_error_message="The last year cannot be before the first year.",
            ),
            models.CheckConstraint(
                condition=Q(level="directorate", parent__isnull=True)
                | (~Q(level="directorate") & Q(parent__isnull=False)),
                name="unit_parent_matches_level",
                violation_error_message="A directorate has no parent; a division or service unit must have one.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.level in self.PARENT_LEVELS:
            allowed = self.PARENT_LEVELS[self.level]
            if self.parent.level not in allowed:
                names = " or ".join(level.label.lower() for level in allowed)
                raise ValidationError({"parent": f"A {self.get_level_display().lower()} belongs to a {names}."})
            if self.parent.council_id != self.council_id:
                raise ValidationError({"parent": "The parent unit belongs to another council."})

    def exists_in(self, start_year: int) -> bool:
        return self.first_year_id <= start_year and (self.last_year_id is None or start_year <= self.last_year_id)

    @property
    def directorate(self):
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit
