"""Shared fixtures: a small organisation (one directorate, two divisions) and a user per role.

    directorate (DIR)
    ├── division (DIV, plan editor: unit_editor)
    └── other_division (OTHER, plan editor: other_unit_editor)

approver is an approver of the directorate and committee_member a viewer of it.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Membership
from tests.factories import (
    CouncilFactory,
    DirectorateFactory,
    DivisionFactory,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Login throttling needs the request, which Client.login() does not pass; the throttling
    # tests (tests/accounts/test_sign_in.py) switch it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (the local-memory cache outlives a test's database)."""
    cache.clear()


@pytest.fixture
def council(db):
    return CouncilFactory(name="Test County Council", short_name="TCC")


@pytest.fixture
def directorate(council):
    return DirectorateFactory(council=council, code="DIR", name="Families & Social Care")


@pytest.fixture
def division(directorate):
    return DivisionFactory(parent=directorate, code="DIV", name="Learning Disability/Mental Health")


@pytest.fixture
def other_division(directorate):
    return DivisionFactory(parent=directorate, code="OTHER", name="Older People and Physical Disability")


@pytest.fixture
def admin_user(db):
    """A superuser (overrides pytest-django's fixture so the username cannot clash with demo accounts)."""
    return SuperuserFactory(username="test.admin")


def _member(username, unit, role):
    membership = MembershipFactory(user=UserFactory(username=username), unit=unit, role=role)
    return membership.user


@pytest.fixture
def unit_editor(division):
    return _member("division.editor", division, Membership.Role.EDITOR)


@pytest.fixture
def other_unit_editor(other_division):
    return _member("other.editor", other_division, Membership.Role.EDITOR)


@pytest.fixture
def approver(directorate):
    return _member("directorate.approver", directorate, Membership.Role.APPROVER)


@pytest.fixture
def committee_member(directorate):
    return _member("committee.viewer", directorate, Membership.Role.VIEWER)


@pytest.fixture
def client_for(db):
    """client_for(user) -> a test client signed in as the user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
