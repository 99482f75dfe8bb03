"""Every address of the project, found by walking its URL patterns rather than listed by hand, sends an
anonymous visitor to sign in: a page added later is covered without a test of its own. Only the sign-in
pages answer them (issue 10: every page needs sign-in except the sign-in page)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# What a visitor may open without signing in: the app's sign-in page and the admin's own.
OPEN = {"login", "admin:login"}
# Values for the path converters; no object needs to exist, since sign-in is asked for first.
CONVERTER_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "00000000-0000-0000-0000-000000000001"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.lookup_str}", prefix + str(pattern.pattern)


def _address(route):
    if route.startswith("^"):  # a regular expression (the admin's catch-all): a literal path under it
        route = route.strip("^$").replace("(?P<url>.*)", "x").replace("\\", "")
    path = PARAMETER.sub(lambda m: CONVERTER_VALUES[m.group("converter") or "str"], route)
    return "/" + path


ADDRESSES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_pages_of_every_app():
    names = {name.split(":")[0] for name, _ in ADDRESSES}
    assert {"plans", "budgets", "documents", "monitoring", "performance", "exchange", "dashboards", "admin"} <= names
    assert len(ADDRESSES) > 100


@pytest.mark.parametrize(("name", "route"), [a for a in ADDRESSES if a[0] not in OPEN], ids=lambda value: value)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, name, route):
    address = _address(route)
    for method in (client.get, client.post):
        response = method(address)
        assert response.status_code == 302, f"{method.__name__.upper()} {address} answered {response.status_code}"
        assert response.url.split("?")[0] in ("/sign-in/", "/admin/login/"), response.url


@pytest.mark.parametrize("name", sorted(OPEN))
def test_only_the_sign_in_pages_answer_an_anonymous_visitor(client, name):
    route = dict(ADDRESSES)[name]
    assert client.get(_address(route)).status_code == 200
