"""The content generation (common/cache.py): whatever changes council data makes every cached page stale."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.cache import GENERATION_KEY, cached, generation
from plans.models import Action, Plan, Theme
from tests.factories import PlanFactory, UserFactory, fill_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(division):
    return fill_plan(PlanFactory(unit=division, status=Plan.Status.PUBLISHED), priorities=1, actions=1)


def test_a_saved_row_makes_a_new_generation(plan):
    before = generation()
    action = Action.objects.filter(priority__plan=plan).first()
    action.text = "Changed"
    action.save()
    assert generation() != before


def test_a_deleted_row_makes_a_new_generation(plan):
    before = generation()
    Action.objects.filter(priority__plan=plan).first().delete()
    assert generation() != before


def test_a_changed_link_makes_a_new_generation(plan):
    theme = Theme.objects.create(slug="new-theme", name="New theme")
    before = generation()
    plan.priorities.first().themes.add(theme)
    assert generation() != before


def test_the_new_generation_is_made_again_when_the_transaction_commits(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        plan.title = "Renamed"
        plan.save()
    during = generation()
    for callback in callbacks:
        callback()
    assert generation() != during


def test_a_transaction_saving_many_rows_makes_one_new_generation_when_it_commits(
    plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for action in Action.objects.filter(priority__plan=plan):
            action.text = "Changed"
            action.save()
    assert Action.objects.filter(priority__plan=plan).count() > 1
    assert len([callback for callback in callbacks if callback.__name__ == "_new_generation"]) == 1


def test_migrate_makes_a_new_generation(db):
    """Every deployment runs migrate: pages cached by the release before are not shown by the new one."""
    before = generation()
    call_command("migrate", verbosity=0)
    assert generation() != before


def test_signing_in_changes_nothing_cached(db):
    user = UserFactory()
    before = generation()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert generation() == before


def test_rows_of_other_apps_change_nothing_cached(db):
    before = generation()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    assert generation() == before


def test_a_write_request_makes_a_new_generation_and_a_read_does_not(client_for, committee_member):
    client = client_for(committee_member)
    before = generation()
    client.get(reverse("plans:list"))
    assert generation() == before
    client.post(reverse("plans:list"))  # not allowed, but a write request all the same
    assert generation() != before


def test_a_value_is_built_once_per_generation(plan):
    built = []

    def build():
        built.append(1)
        return len(built)

    assert cached("test", plan.pk, build=build) == 1
    assert cached("test", plan.pk, build=build) == 1
    plan.save()
    assert cached("test", plan.pk, build=build) == 2


def test_an_evicted_generation_is_never_reused(plan):
    assert cached("test", plan.pk, build=lambda: "old") == "old"
    cache.delete(GENERATION_KEY)
    assert cached("test", plan.pk, build=lambda: "new") == "new"


# The pages: read, change, read again (the dashboards: tests/dashboards/test_fsc_midyear.py).


def test_the_plan_page_shows_an_action_changed_after_it_was_cached(plan, client_for, committee_member):
    client = client_for(committee_member)
    url = reverse("plans:section", args=[plan.pk, "C"])  # the priorities and their actions
    action = Action.objects.filter(priority__plan=plan).first()
    assert action.text in client.get(url).text
    again = client.get(url).text  # the body from the cache: still markup, not escaped text
    assert '<section aria-labelledby="section-' in again
    assert "&lt;section" not in again
    action.text = "A text typed after the page was cached"
    action.save()
    assert "A text typed after the page was cached" in client.get(url).text


def test_the_plan_page_of_an_editor_and_of_an_approver_are_cached_apart(division, client_for, unit_editor, approver):
    """The editor of a draft sees links to change it, the approver reading the same draft does not."""
    draft = fill_plan(PlanFactory(unit=division, status=Plan.Status.DRAFT), priorities=1, actions=1)
    url = reverse("plans:section", args=[draft.pk, "D"])  # financial and human resources
    change_link = reverse("budgets:human_resources", args=[draft.pk])
    assert change_link in client_for(unit_editor).get(url).text
    approver_page = client_for(approver).get(url)
    assert approver_page.status_code == 200
    assert change_link not in approver_page.text


def test_the_cache_holds_one_entry_per_page_however_many_changes(plan):
    """An entry of an old generation is overwritten, not left beside the new one until it expires."""
    for text in ("one", "two", "three"):
        plan.title = text
        plan.save()
        assert cached("test", plan.pk, build=lambda: plan.title) == text
    assert len([key for key in cache._cache if "kent-plans:test:" in key]) == 1


# --- One build at a time ------------------------------------------------------------------------


def _another_process_is_building(name, key):
    """What a process building the entry leaves in the shared cache while it builds."""
    assert cache.add(f"kent-plans:{name}:{key}:building:{generation()}", True)


def test_a_reader_waits_for_the_entry_another_process_is_building_rather_than_build_it_too(db, monkeypatch):
    _another_process_is_building("test", "1")
    current = generation()

    def other_process_finishes(seconds):
        cache.set("kent-plans:test:1", (current, "built elsewhere"))

    monkeypatch.setattr("common.cache.time.sleep", other_process_finishes)
    builds = []
    assert cached("test", 1, build=lambda: builds.append(1) or "built here") == "built elsewhere"
    assert builds == []


def test_a_reader_builds_the_entry_itself_when_the_other_build_ends_without_one(db, monkeypatch):
    _another_process_is_building("test", "1")

    def other_process_fails(seconds):
        cache.delete(f"kent-plans:test:1:building:{generation()}")

    monkeypatch.setattr("common.cache.time.sleep", other_process_fails)
    assert cached("test", 1, build=lambda: "built here") == "built here"
    assert cached("test", 1, build=lambda: "not built again") == "built here"


def test_a_reader_waits_no_longer_than_the_limit_then_builds_the_entry_itself(db, monkeypatch):
    _another_process_is_building("test", "1")
    monkeypatch.setattr("common.cache.WAIT_SECONDS", 0.05)
    assert cached("test", 1, build=lambda: "built here") == "built here"
    # The other process's mark is its own: this reader leaves it in place.
    assert cache.get(f"kent-plans:test:1:building:{generation()}") is True


def test_a_build_that_fails_leaves_no_mark_for_others_to_wait_on(db):
    def failing():
        raise ValueError("no such page")

    with pytest.raises(ValueError, match="no such page"):
        cached("test", 1, build=failing)
    assert cache.get(f"kent-plans:test:1:building:{generation()}") is None
    assert cached("test", 1, build=lambda: "built") == "built"


def test_a_build_of_an_older_generation_does_not_hold_up_the_current_one(db, monkeypatch):
    _another_process_is_building("test", "1")  # under the generation about to be replaced
    cache.set(GENERATION_KEY, "a-newer-generation")
    monkeypatch.setattr("common.cache.time.sleep", lambda seconds: pytest.fail("waited on an older build"))
    assert cached("test", 1, build=lambda: "built now") == "built now"
