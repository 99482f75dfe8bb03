"""Cached reads for the pages many people read at once: plan documents, dashboards, finding counts.

Every cached entry holds the *content generation* it was built in, and is used only while that is still
the current one: a random token kept in the shared cache that is replaced whenever any council data
changes:

- a model of one of CONTENT_APPS is saved or deleted, or a many-to-many link of one changes (signals,
  so the admin, the editing pages, imports and management commands are all covered);
- a write request (POST, PUT, PATCH, DELETE) finishes, whatever it did (ContentGenerationMiddleware):
  this also covers bulk updates, which send no signal;
- the transaction that made the change commits (so a reader who rendered the old data while the
  change was uncommitted cannot keep it under the new token);
- `migrate` runs (data migrations; and a new release, whose templates may render pages differently,
  is deployed with it).

A change anywhere makes every cached entry stale. That is coarse, but it cannot show an out-of-date
page, and councils read far more than they write (committee members read the same dashboards and
plans, while officers edit their own plans now and then). If the token is evicted, a new random one
is made: entries made under an old token are never read again.

Only content that is the same for every reader who may see it is cached; the views check permission
before they read the cache. The cache is shared by all app servers (Redis in production,
settings.CACHES); entries expire after CACHE_SECONDS in any case.
"""

import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "kent-plans:content-generation"

# What the cached pages show is read from these apps ("auth" for the names of users in events). Not
# accounts (memberships decide who may read a page, checked before the cache is read) nor documents
# (a PDF being built changes no page).
CONTENT_APPS = frozenset(
    {"common", "organisation", "plans", "budgets", "performance", "monitoring", "dashboards", "auth"}
)


def generation() -> str:
    """The current content generation (made if the cache has none)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def bump_generation() -> None:
    """Make every cached entry stale, now and again when the current transaction commits."""
    _new_generation()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the change is committed already
    # Once at commit however many rows the transaction saves (an import saves thousands). Django keeps
    # the callbacks with the savepoints they belong to, so one is registered per savepoint.
    level = set(connection.savepoint_ids)
    pending = connection.run_on_commit
    if not any(callback is _new_generation and ids == level for ids, callback, _robust in pending):
        transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


# When an entry is missing, one process builds it and the others that need it meanwhile wait for its
# result (checking every POLL_SECONDS), up to WAIT_SECONDS, rather than all building the same page at
# once: after a change, every server process reading a busy page would otherwise rebuild it together.
# The mark a builder leaves lapses after BUILDING_SECONDS should its process die.
POLL_SECONDS = 0.02
WAIT_SECONDS = 5.0
BUILDING_SECONDS = 30


def cached(name: str, *parts, build):
    """The value cached under name and parts if it was built in this content generation; otherwise
    build(), cached in its place, or, while another process is building it, that process's result."""
    current = generation()
    key = f"kent-plans:{name}:" + ":".join(str(part) for part in parts)
    entry = cache.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    building = f"{key}:building:{current}"
    builder = cache.add(building, True, timeout=BUILDING_SECONDS)
    if not builder:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None and entry[0] == current:
                return entry[1]
            if cache.get(building) is None:
                break  # the other build ended without a result (an error): build it here
    try:
        value = build()
        cache.set(key, (current, value), timeout=settings.CACHE_SECONDS)
        return value
    finally:
        if builder:
            cache.delete(building)


def cached_many(name: str, ids, *, build) -> dict:
    """{id: value} for the ids: those cached under name in this content generation, and build(missing
    ids) -> {id: value} for the rest, cached in their place.

    Each entry holds the generation it was built in, under a key of its own that a new generation
    overwrites: however many changes are made, the cache holds one entry per page (a key per generation
    would keep a stale copy of every page read after each change until it expired)."""
    current = generation()
    prefix = f"kent-plans:{name}:"
    found = cache.get_many([prefix + str(pk) for pk in ids])
    values = {}
    for pk in ids:
        entry = found.get(prefix + str(pk))
        if entry is not None and entry[0] == current:
            values[pk] = entry[1]
    missing = [pk for pk in ids if pk not in values]
    if missing:
        built = build(missing)
        cache.set_many(
            {prefix + str(pk): (current, value) for pk, value in built.items()}, timeout=settings.CACHE_SECONDS
        )
        values.update(built)
    return values


def _saved(sender, update_fields=None, **kwargs):
    # Signing in saves the user's last_login only: nothing shown changes.
    if not (update_fields is not None and set(update_fields) == {"last_login"}):
        bump_generation()


def _deleted(sender, **kwargs):
    bump_generation()


def _links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_generation()


def _migrated(**kwargs):
    # A data migration changes rows without a request; a new release may render pages differently.
    bump_generation()


def connect_signals() -> None:
    """Listen to the models of CONTENT_APPS only: a listener on every model would stop Django deleting
    other rows (sessions, login attempts) in bulk without loading them. And to migrate, which every
    deployment runs."""
    post_migrate.connect(_migrated, dispatch_uid="kent-plans-content-migrated")
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"kent-plans-content-{model._meta.label_lower}"
            post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-saved")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-deleted")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _links_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
                )


class ContentGenerationMiddleware:
    """Any write request makes the cache stale when it finishes (bulk updates send no signal)."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE:
            _new_generation()
        return response
