from django.conf import settings
from django.db import models


class Membership(models.Model):
    """A user's role for a unit. Editors and approvers reach the unit's children too."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Plan editor"
        APPROVER = "approver", "Approver"
        VIEWER = "viewer", "Viewer (committee member)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user__username", "unit__code", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_once",
                violation_error_message="This user already has this role for this unit.",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit.code}"
