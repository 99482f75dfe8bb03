"""No address of the project takes a POST without the CSRF token (issue 10: CSRF on every form): every URL
pattern, found by walking them rather than listed by hand, as a signed-in administrator. Each form's token
is then what lets the journeys' forms through (tests/e2e)."""

import pytest
from django.test import Client
from django.urls import resolve

from tests.url_walk import address, addresses

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "route"), addresses(), ids=lambda value: value)
def test_a_post_without_the_csrf_token_is_refused(admin_user, name, route):
    path = address(route)
    assert not getattr(resolve(path).func, "csrf_exempt", False), f"{name} is exempt from CSRF"
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(path, {"title": "Posted from another site"})

    assert response.status_code == 403, f"POST {path} without a token answered {response.status_code}"
