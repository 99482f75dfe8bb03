"""Every address of the project, found by walking its URL patterns rather than listed by hand, sends an
anonymous visitor to sign in: a page added later is covered without a test of its own. Only the sign-in
pages answer them (issue 10: every page needs sign-in except the sign-in page)."""

import re

import pytest
from django.urls import resolve

from tests.url_walk import address, addresses

pytestmark = pytest.mark.django_db

# What a visitor may open without signing in: the app's sign-in page and the admin's own.
OPEN = {"login", "admin:login"}
ADDRESSES = addresses()


def test_the_walk_finds_the_pages_of_every_app_at_addresses_that_lead_to_them():
    names = {name.split(":")[0] for name, _ in ADDRESSES}
    assert {"plans", "budgets", "documents", "monitoring", "performance", "exchange", "dashboards", "admin"} <= names
    assert len(ADDRESSES) > 100
    # Each address is one its own pattern answers (a resolved route loses the "^" of an included regex).
    assert [route for _, route in ADDRESSES if resolve(address(route)).route != re.sub(r"(^|/)\^", r"\1", route)] == []


def test_an_anonymous_visitor_is_sent_to_sign_in_by_every_other_page(client):
    # One test for every address (each problem listed), rather than one each: 335 test set-ups cost minutes.
    problems = []
    for name, route in ADDRESSES:
        if name in OPEN:
            continue
        path = address(route)
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or response.url.split("?")[0] not in ("/sign-in/", "/admin/login/"):
                problems.append(f"{method.__name__.upper()} {path} ({name}): {response.status_code}")
    assert problems == []


@pytest.mark.parametrize("name", sorted(OPEN))
def test_only_the_sign_in_pages_answer_an_anonymous_visitor(client, name):
    route = dict(ADDRESSES)[name]
    assert client.get(address(route)).status_code == 200
