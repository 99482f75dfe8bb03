"""The monitoring pages: who may see and do what, error summaries, conflicts, fixed query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from monitoring.models import ActionReturn, Round
from plans.models import Action
from tests.factories import DirectorateFactory, DivisionFactory, ServiceUnitFactory, year
from tests.monitoring.conftest import DEADLINE, entry, published_plan, row_cells

ROLES = ["admin_user", "unit_editor", "other_unit_editor", "approver", "committee_member", "anonymous"]


@pytest.fixture
def client_as(request, client_for):
    def make(role):
        return Client() if role == "anonymous" else client_for(request.getfixturevalue(role))

    return make


def form_data(html: str) -> dict:
    """What a browser would post from the page's form: every input's value, checked radios, textareas."""
    import re
    from html import unescape

    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        if 'type="radio"' in tag and " checked" not in tag:
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(text)
    return data


# Who may see and do what: (role, expected status) for each page and post.
PAGES = {
    "list": {"admin_user": 200, "unit_editor": 200, "other_unit_editor": 200, "approver": 200,
             "committee_member": 200, "anonymous": 302},
    "detail": {"admin_user": 200, "unit_editor": 200, "other_unit_editor": 200, "approver": 200,
               "committee_member": 200, "anonymous": 302},
    "return": {"admin_user": 200, "unit_editor": 200, "other_unit_editor": 404, "approver": 200,
               "committee_member": 200, "anonymous": 302},
    "open": {"admin_user": 200, "unit_editor": 403, "other_unit_editor": 403, "approver": 403,
             "committee_member": 403, "anonymous": 302},
    "close": {"admin_user": 200, "unit_editor": 403, "other_unit_editor": 403, "approver": 403,
              "committee_member": 403, "anonymous": 302},
}  # fmt: skip
POSTS = {
    "return": {"admin_user": 302, "unit_editor": 302, "other_unit_editor": 404, "approver": 403,
               "committee_member": 403, "anonymous": 302},
    "open": {"admin_user": 302, "unit_editor": 403, "other_unit_editor": 403, "approver": 403,
             "committee_member": 403, "anonymous": 302},
    "close": {"admin_user": 302, "unit_editor": 403, "other_unit_editor": 403, "approver": 403,
              "committee_member": 403, "anonymous": 302},
}  # fmt: skip


def url(name, round_, plan):
    if name == "list":
        return reverse("monitoring:list")
    if name == "open":
        return reverse("monitoring:open")
    if name == "return":
        return reverse("monitoring:return", args=[round_.pk, plan.pk])
    return reverse(f"monitoring:{name}", args=[round_.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_permissions(client_as, round_, plan, page, role):
    response = client_as(role).get(url(page, round_, plan))
    assert response.status_code == PAGES[page][role]
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(POSTS))
def test_post_permissions_and_nothing_changes_when_refused(client_as, round_, plan, page, role, directorate):
    action = Action.objects.filter(priority__plan=plan).first()
    data = {
        "return": {f"action-{action.pk}-status": "on_course", f"action-{action.pk}-version": "0"},
        "open": {"directorate": directorate.pk, "year": 2013, "kind": "year_end", "deadline": "01/05/2014"},
        "close": {"confirm": "on"},
    }[page]
    response = client_as(role).post(url(page, round_, plan), data)
    assert response.status_code == POSTS[page][role]
    allowed = POSTS[page][role] == 302 and role != "anonymous"
    round_.refresh_from_db()
    assert {
        "return": ActionReturn.objects.exists(),
        "open": Round.objects.count() == 2,
        "close": not round_.is_open,
    }[page] == allowed


@pytest.mark.parametrize("role", ROLES[:-1])
def test_another_directorates_round_is_not_found(client_as, admin_user, council, role):
    elsewhere = DirectorateFactory(council=council, code="ELSE")
    other_plan = published_plan(DivisionFactory(parent=elsewhere, code="EDIV"), priorities=1, actions=1)
    other_round = services.round_open(
        user=admin_user, directorate=elsewhere, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    client = client_as(role)
    expected = 200 if role == "admin_user" else 404
    assert client.get(reverse("monitoring:detail", args=[other_round.pk])).status_code == expected
    assert client.get(reverse("monitoring:return", args=[other_round.pk, other_plan.pk])).status_code == expected
    listed = other_round.name in client.get(reverse("monitoring:list")).content.decode()
    assert listed == (role == "admin_user")


def test_a_plan_the_round_does_not_cover_is_not_found(client_as, round_, other_division):
    draft = published_plan(other_division, priorities=1, actions=1)
    draft.status = "draft"
    draft.save()
    response = client_as("admin_user").get(reverse("monitoring:return", args=[round_.pk, draft.pk]))
    assert response.status_code == 404


# The round page


def test_round_page_shows_each_units_progress(client_as, round_, plan, actions, unit_editor, other_division):
    services.return_save(
        round_=round_, plan=plan, user=unit_editor,
        now=datetime.datetime(2013, 11, 20, tzinfo=datetime.UTC),
        actions={actions[0].pk: entry(status="completed"), actions[1].pk: entry(status="on_course")},
    )  # fmt: skip
    page = client_as("approver").get(reverse("monitoring:detail", args=[round_.pk])).content.decode()
    cells = row_cells(page, "unit-DIV")
    assert cells[2:7] == [str(len(actions)), "2", str(len(actions) - 2), "2", "0 of 4"]
    assert "No published plan for 2013-14" in " ".join(row_cells(page, "unit-OTHER"))
    assert 'Returns<span class="govuk-visually-hidden"> of DIV' in page  # the approver reads; editors enter


def test_round_page_lists_only_the_plans_the_user_may_read(client_as, round_, plan, other_division):
    published_plan(other_division, priorities=1, actions=1)
    page = client_as("other_unit_editor").get(reverse("monitoring:detail", args=[round_.pk])).content.decode()
    assert 'id="unit-OTHER"' in page
    assert 'id="unit-DIV"' not in page
    assert "Only the units whose plans you can read are listed." in page
    page = client_as("unit_editor").get(reverse("monitoring:detail", args=[round_.pk])).content.decode()
    assert 'Enter returns<span class="govuk-visually-hidden"> for DIV' in page


# The return page


def test_editor_saves_returns_from_the_page(client_as, round_, plan, actions):
    client = client_as("unit_editor")
    page_url = reverse("monitoring:return", args=[round_.pk, plan.pk])
    data = form_data(client.get(page_url).content.decode())
    data[f"action-{actions[0].pk}-status"] = "on_course"
    data[f"action-{actions[0].pk}-commentary"] = "Pathfinder begun in Dover and Thanet."
    response = client.post(page_url, data, follow=True)
    assert "DIV: 1 return saved." in response.content.decode()
    ret = ActionReturn.objects.get()
    assert (ret.action_id, ret.status, ret.commentary) == (
        actions[0].pk, "on_course", "Pathfinder begun in Dover and Thanet.",
    )  # fmt: skip


def test_bad_input_shows_a_govuk_error_summary_linked_to_the_field_and_saves_nothing(client_as, round_, plan, actions):
    client = client_as("unit_editor")
    page_url = reverse("monitoring:return", args=[round_.pk, plan.pk])
    data = form_data(client.get(page_url).content.decode())
    data[f"action-{actions[0].pk}-status"] = "completed"
    data[f"action-{actions[1].pk}-status"] = "delayed"  # without saying why
    data[f"action-{actions[2].pk}-withdrawn"] = "merged"
    data[f"action-{actions[2].pk}-merged_into"] = "9.9"  # no such action
    response = client.post(page_url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "There is a problem" in page
    # the form's own check (no such action) comes first; the service's (say why) once the form is valid
    assert f'href="#id_action-{actions[2].pk}-merged_into">There is no action 9.9 in this plan' in page
    assert not ActionReturn.objects.exists()

    data[f"action-{actions[2].pk}-merged_into"] = actions[0].label
    page = client.post(page_url, data).content.decode()
    assert f'href="#id_action-{actions[1].pk}-commentary">Priority 1, action {actions[1].label}: say why' in page
    assert 'class="govuk-textarea govuk-textarea--error"' in page
    assert not ActionReturn.objects.exists()  # the valid rows were not saved either
    # what was typed is still in the form
    status = f"action-{actions[0].pk}-status"
    assert f'id="id_{status}" name="{status}" type="radio" value="completed" checked' in page


def test_open_round_form_shows_an_error_summary(client_as):
    page = client_as("admin_user").post(reverse("monitoring:open"), {"deadline": "sometime"}).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_directorate">Choose the directorate' in page
    assert 'href="#id_kind">Choose mid-year or year-end.' in page
    assert 'href="#id_deadline">Enter the deadline like 15/11/2013.' in page
    assert Round.objects.count() == 0


def test_close_needs_confirmation(client_as, round_):
    page = client_as("admin_user").post(reverse("monitoring:close", args=[round_.pk]), {}).content.decode()
    assert 'href="#id_confirm">Confirm that the round should be closed.' in page
    round_.refresh_from_db()
    assert round_.is_open


def test_second_save_from_a_stale_page_shows_the_conflict_and_keeps_what_was_typed(client_as, round_, plan, actions):
    page_url = reverse("monitoring:return", args=[round_.pk, plan.pk])
    editor, admin = client_as("unit_editor"), client_as("admin_user")
    editor_data = form_data(editor.get(page_url).content.decode())
    admin_data = form_data(admin.get(page_url).content.decode())
    key = f"action-{actions[0].pk}"

    admin_data[f"{key}-status"] = "completed"
    admin_data[f"{key}-commentary"] = "Completed in September."
    assert admin.post(page_url, admin_data).status_code == 302

    editor_data[f"{key}-status"] = "on_course"
    editor_data[f"{key}-commentary"] = "My careful paragraph of progress."
    response = editor.post(page_url, editor_data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "test.admin changed priority 1, action 1 since you opened it" in page
    assert "test.admin changed this since you opened it" in page
    assert "Completed in September." in page  # theirs, beside ...
    assert "My careful paragraph of progress.</textarea>" in page  # ... yours, still in the form
    assert ActionReturn.objects.get().commentary == "Completed in September."

    # Saving again from the page (which now carries the current version) replaces theirs.
    assert editor.post(page_url, form_data(page)).status_code == 302
    assert ActionReturn.objects.get().commentary == "My careful paragraph of progress."


def test_after_closing_the_return_page_is_read_only(client_as, round_, plan, admin_user):
    services.round_close(round_=round_, user=admin_user)
    page = client_as("unit_editor").get(reverse("monitoring:return", args=[round_.pk, plan.pk])).content.decode()
    assert '<form method="post" novalidate>' not in page
    assert "The round is closed" in page


# Query counts


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(round_, plan, user):
    """More plans, priorities, actions and returns in the same round."""
    division = plan.unit
    for code in ("BIG1", "BIG2"):
        bigger = published_plan(DivisionFactory(parent=division.parent, code=code), priorities=3, actions=3)
        services.return_save(
            round_=round_, plan=bigger, user=user,
            actions={a.pk: entry(status="on_course") for a in Action.objects.filter(priority__plan=bigger)},
        )  # fmt: skip
    published_plan(ServiceUnitFactory(parent=division), priorities=2, actions=2)


@pytest.mark.parametrize("role", ["admin_user", "approver", "unit_editor"])
def test_round_page_query_count_does_not_grow_with_the_data(request, client_as, round_, plan, admin_user, role):
    client = client_as(role)
    path = reverse("monitoring:detail", args=[round_.pk])
    small = _queries(client, path)
    _grow(round_, plan, admin_user)
    client = client_as(role)
    large = _queries(client, path)
    assert large == small, (small, large)
    request.node.user_properties.append(("round page queries", small))


@pytest.mark.parametrize("role", ["unit_editor", "approver"])
def test_return_page_query_count_does_not_grow_with_the_plan(client_as, round_, division, admin_user, role):
    small_plan = published_plan(division, priorities=1, actions=1)
    large_plan = published_plan(ServiceUnitFactory(parent=division), priorities=6, actions=5, sub_actions=3)
    for p in (small_plan, large_plan):
        services.return_save(
            round_=round_, plan=p, user=admin_user,
            actions={a.pk: entry(status="on_course") for a in Action.objects.filter(priority__plan=p)},
        )  # fmt: skip
    client = client_as(role)
    small = _queries(client, reverse("monitoring:return", args=[round_.pk, small_plan.pk]))
    large = _queries(client, reverse("monitoring:return", args=[round_.pk, large_plan.pk]))
    assert large == small, (small, large)


@pytest.mark.parametrize(
    ("role", "expected", "link"),
    [
        ("admin_user", 200, "Enter returns: Mid-year 2013-14"),
        ("unit_editor", 200, "Enter returns: Mid-year 2013-14"),
        ("approver", 200, ">Mid-year 2013-14</a>"),
        ("committee_member", 200, ">Mid-year 2013-14</a>"),
        ("other_unit_editor", 404, None),
        ("anonymous", 302, None),
    ],
)
def test_the_plan_page_links_to_the_rounds_the_plan_reports_in(client_as, round_, plan, role, expected, link):
    client = client_as(role)
    response = client.get(reverse("monitoring:plan_rounds", args=[plan.pk]))
    assert response.status_code == expected
    if link:
        assert link in response.content.decode()
        assert reverse("monitoring:plan_rounds", args=[plan.pk]) in client.get(f"/plans/{plan.pk}/").content.decode()
