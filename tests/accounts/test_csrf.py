"""No address of the project takes a POST without the CSRF token (issue 10: CSRF on every form): every URL
pattern, found by walking them rather than listed by hand, as a signed-in administrator. Each form's token
is then what lets the journeys' forms through (tests/e2e)."""

import pytest
from django.test import Client
from django.urls import resolve

from tests.url_walk import address, addresses

pytestmark = pytest.mark.django_db


def test_a_post_without_the_csrf_token_is_refused_by_every_page(admin_user):
    # One test for every address (each problem listed), rather than one each: 337 test set-ups cost minutes.
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    problems = []
    for name, route in addresses():
        path = address(route)
        if getattr(resolve(path).func, "csrf_exempt", False):
            problems.append(f"{path} ({name}) is exempt from CSRF")
        response = client.post(path, {"title": "Posted from another site"})
        if response.status_code != 403:
            problems.append(f"POST {path} ({name}) without a token answered {response.status_code}")
    assert problems == []
