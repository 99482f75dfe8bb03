"""Section D of a plan: financial and human resources."""

from django.db import models
from django.db.models import Q


class StaffingEstablishment(models.Model):
    """The human resources table of the 2013-14 divisional template."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="staffing_establishment")
    fte_establishment = models.DecimalField("FTE establishment", max_digits=8, decimal_places=1, null=True, blank=True)
    fte_establishment_printed = models.CharField(
        "FTE establishment as printed", max_length=100, blank=True, help_text="For example 757.2 (HR figure Nov 2012)."
    )
    establishment_at = models.DateField("establishment at", null=True, blank=True, help_text="Usually 31 March.")
    fte_estimate = models.DecimalField(
        "estimate of FTE establishment", max_digits=8, decimal_places=1, null=True, blank=True
    )
    variance_reasons = models.TextField("reasons for any variance", blank=True)
    source_note = models.TextField(blank=True, help_text="Where the source document is inconsistent or unclear.")

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fte_establishment__isnull=True) | Q(fte_establishment__gte=0))
                & (Q(fte_estimate__isnull=True) | Q(fte_estimate__gte=0)),
                name="staffing_fte_not_negative",
                violation_error_message="FTE cannot be negative.",
            )
        ]

    def __str__(self):
        return f"Human resources of {self.plan}"
