"""Every address of the project, found by walking its URL patterns: for tests that must cover every page,
including pages added later, without a list kept by hand."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# Values for the path converters. No object need exist: the tests that use them are answered (sign in,
# CSRF) before a view looks one up.
CONVERTER_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "00000000-0000-0000-0000-000000000001"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<pattern>[^()]*)\)")


def _first(pattern):
    first = pattern.split("|")[0]
    return first if re.fullmatch(r"[\w-]+", first) else "1"


def walk(patterns, prefix="", namespace=""):
    """(URL name with its namespaces, route) of each pattern under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.lookup_str}", prefix + str(pattern.pattern)


def address(route, values=None):
    """The route as a path, each parameter given its value in `values` (by name), else its converter's."""
    values = values or {}
    # A regular expression (the admin's app and history pages, its catch-all): each group its first
    # alternative, or 1.
    route = GROUP.sub(lambda m: (m.group("name") and values.get(m.group("name"))) or _first(m.group("pattern")), route)
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    path = PARAMETER.sub(lambda m: values.get(m.group("name"), CONVERTER_VALUES[m.group("converter") or "str"]), route)
    return "/" + path


def parameters(route) -> list[str]:
    return [m.group("name") for m in PARAMETER.finditer(route)]


def addresses() -> list[tuple[str, str]]:
    """(URL name, route) of every URL pattern, sorted; a pattern without a name is named by its view."""
    return sorted(set(walk(get_resolver().url_patterns)))
