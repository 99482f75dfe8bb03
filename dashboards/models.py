from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dashboards import rollups

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class RollupRule(models.Model):
    """How headline action statuses roll up to a RAG (dashboards/rollups.py states the rule).

    One row per directorate, or one default row (no directorate) for the directorates without one.
    """

    class DirectorateMethod(models.TextChoices):
        TOTALS = rollups.TOTALS, "The same rule applied to the directorate totals"
        WORST = rollups.WORST, "The worst of its divisions' RAGs"

    directorate = models.OneToOneField(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rollup_rule",
        limit_choices_to={"level": "directorate"},
        help_text="Blank for the default rule, used by every directorate without its own.",
    )
    red_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
        help_text="RED when delayed or cancelled headline actions are at least this percentage of those counted.",
    )
    green_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=PERCENT,
        help_text="GREEN (if not red) when completed headline actions are at least this percentage.",
    )
    directorate_method = models.CharField(
        max_length=10, choices=DirectorateMethod.choices, default=DirectorateMethod.TOTALS
    )

    def __str__(self):
        return f"Roll-up rule: {self.directorate or 'default'}"

    def clean(self):
        # The OneToOneField keeps one row per directorate; only one default row (blank directorate) either.
        if self.directorate_id is None:
            others = RollupRule.objects.filter(directorate__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"directorate": "There is already a default roll-up rule."})

    def rule(self) -> rollups.Rule:
        return rollups.Rule(
            red_percent=self.red_percent, green_percent=self.green_percent, directorate_method=self.directorate_method
        )


def rule_for(directorate_id) -> tuple[rollups.Rule, bool]:
    """The directorate's rule, else the default row, else the built-in default (one query).

    Returns the rule and whether it comes from a row of the database.
    """
    rows = {
        row.directorate_id: row
        for row in RollupRule.objects.filter(
            models.Q(directorate_id=directorate_id) | models.Q(directorate__isnull=True)
        )
    }
    row = rows.get(directorate_id) or rows.get(None)
    return (row.rule(), True) if row else (rollups.DEFAULT_RULE, False)
