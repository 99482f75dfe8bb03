"""What the plans app announces, so that the apps above it (budgets, monitoring) can act without plans
importing them. Receivers run inside the sender's transaction: if one fails, nothing is saved."""

from django.dispatch import Signal

# A new draft version was copied from a published plan: kwargs plan (the new draft), source (the published one).
plan_version_started = Signal()

# A plan became published: kwargs plan. A plan with a previous_version replaces that version from now on.
plan_published = Signal()
