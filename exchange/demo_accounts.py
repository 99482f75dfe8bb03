"""Demo accounts, one per role, for trying the app. Never run this against a real council's data."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Membership
from organisation.models import Unit

DEMO_PASSWORD = "demo-password-2013"
# Reminder emails need an address; .invalid is reserved (RFC 2606), so nothing can ever be delivered.
DEMO_EMAIL_DOMAIN = "kent-plans.invalid"

# username, full name, superuser?, [(unit code, role)]
DEMO_ACCOUNTS = [
    ("admin", "Demo Administrator", True, []),
    ("ldmh.editor", "Demo LDMH plan editor", False, [("LDMH", Membership.Role.EDITOR)]),
    ("oppd.editor", "Demo OPPD plan editor", False, [("OPPD", Membership.Role.EDITOR)]),
    ("fsc.approver", "Demo FSC approver", False, [("FSC", Membership.Role.APPROVER)]),
    ("committee.member", "Demo committee member", False, [("FSC", Membership.Role.VIEWER)]),
]


@transaction.atomic
def create_demo_accounts():
    User = get_user_model()
    for username, full_name, superuser, roles in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for code, role in roles:
            unit = Unit.objects.filter(code=code).order_by("-first_year").first()
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
