"""Keyboard alone and 400% zoom (WCAG 2.1.1, 2.4.7, 1.4.10), in Chromium on the demo data.

- The editor's and the committee member's journeys are done with Tab, Shift+Tab, arrow keys, Space and
  Enter only: no click. Every element the keyboard reaches on the way must show where the focus is.
- At 400% zoom a 1280 px wide window is 320 CSS px wide: the plan page, the dashboard and the round page
  must reflow into it without scrolling the page sideways. A wide table may scroll inside its own region,
  which must then be reachable by keyboard (tabindex) and named (role="region" with a label).
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from exchange.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from exchange.seeds import load_all
from monitoring import services
from monitoring.demo import open_demo_round
from monitoring.models import ActionReturn, Round
from plans.models import Action, Plan
from tests.e2e.keyboard import Keyboard, sign_in_by_keyboard


@pytest.fixture
def demo(transactional_db):
    load_all()
    create_demo_accounts()
    open_demo_round()
    # The open round, whatever the demo calls it.
    return Round.objects.get(directorate__code="FSC", status=Round.Status.OPEN)


def test_editor_enters_a_return_and_saves_it_by_keyboard_alone(demo, page, live_server):
    keys = Keyboard(page)
    action = Action.objects.get(
        priority__plan__unit__code="LDMH",
        priority__plan__status="published",
        priority__number=1,
        number=1,
        sub_number=0,
    )
    sign_in_by_keyboard(page, live_server, keys, "ldmh.editor")
    assert page.url.endswith(f"/monitoring/{demo.pk}/")  # an editor with an open round lands on it

    keys.tab_to(lambda f: f["tag"] == "a" and f["text"].startswith("Enter returns for LDMH"))
    keys.follow("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returns:")

    # The status radios of action 1: Tab reaches the group, the arrow keys choose within it.
    keys.tab_to(lambda f: f["type"] == "radio" and f["name"] == f"action-{action.pk}-status")
    for _ in range(4):
        if page.evaluate("document.activeElement.value") == "on_course":
            break
        keys.press("ArrowDown")
    keys.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    keys.tab_to(lambda f: f["label"] == "Progress commentary on action 1")
    keys.type("Pathfinder begun in Dover, by keyboard.")
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Save returns")
    keys.follow("Enter")
    expect(page.get_by_text("LDMH: 1 return saved.")).to_be_visible()

    ret = ActionReturn.objects.get(round=demo, action=action)
    assert (ret.status, ret.commentary, ret.entered_by.username) == (
        "on_course",
        "Pathfinder begun in Dover, by keyboard.",
        "ldmh.editor",
    )
    assert keys.hidden_focus == [], f"Focus not visible on: {keys.hidden_focus}"


def test_committee_member_opens_the_dashboard_and_drills_down_by_keyboard_alone(demo, page, live_server):
    first = Action.objects.get(
        priority__plan__unit__code="LDMH",
        priority__plan__status="published",
        priority__number=1,
        number=1,
        sub_number=0,
    )
    services.return_save(
        round_=demo,
        plan=first.priority.plan,
        user=get_user_model().objects.get(username="ldmh.editor"),
        actions={
            first.pk: {
                "version": 0,
                "status": "completed",
                "commentary": "Pathfinder completed.",
                "withdrawn": "",
                "withdrawn_note": "",
                "merged_into": None,
            }
        },
    )
    keys = Keyboard(page)
    sign_in_by_keyboard(page, live_server, keys, "committee.member")
    assert page.url.endswith(f"/dashboards/rounds/{demo.pk}/")  # where a committee member lands

    keys.tab_to(lambda f: f["tag"] == "a" and f["text"].startswith("LDMH"))
    keys.follow("Enter")
    assert page.get_by_role("heading", level=1).inner_text().startswith("LDMH")
    expect(page.get_by_text("Pathfinder completed.")).to_be_visible()

    # Filter the drill-down by keyboard: the status select takes the typed option, Enter on the button.
    keys.tab_to(lambda f: f["tag"] == "select" and f["label"] == "Status")
    keys.type("Completed")
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Apply filters")
    keys.follow("Enter")
    assert "status=completed" in page.url
    assert page.locator("section[id^=priority-]").count() == 1
    assert keys.hidden_focus == [], f"Focus not visible on: {keys.hidden_focus}"


# --- 400% zoom: 320 CSS pixels wide ---------------------------------------------------------------

REFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrollers = [];
  const overflowing = [];
  for (const e of document.querySelectorAll('body *')) {
    const style = getComputedStyle(e);
    if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1) {
      scrollers.push({
        html: e.outerHTML.slice(0, 120),
        focusable: e.tabIndex >= 0,
        named: e.getAttribute('role') === 'region'
          && !!(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')),
      });
    }
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !e.closest('[data-h3-skip]')) {
      let inside = false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) { inside = true; break; }
      }
      if (!inside) overflowing.push(e.outerHTML.slice(0, 120));
    }
  }
  return {pageScrolls: document.documentElement.scrollWidth > width + 1,
          scrollWidth: document.documentElement.scrollWidth, width: width,
          overflowing: overflowing.slice(0, 8), scrollers: scrollers};
}"""


@pytest.fixture
def narrow_page(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").press("Enter")


@pytest.mark.parametrize(
    ("name", "username"),
    [
        ("plan", "committee.member"),
        ("plan section", "committee.member"),
        ("dashboard", "committee.member"),
        ("round", "ldmh.editor"),
    ],
)
def test_pages_reflow_at_400_percent_zoom(demo, narrow_page, live_server, name, username):
    plan = Plan.objects.get(unit__code="LDMH", status="published", year_id=2013)
    path = {
        "plan": f"/plans/{plan.pk}/",
        "plan section": f"/plans/{plan.pk}/sections/C/",  # the priorities' wide tables of actions
        "dashboard": f"/dashboards/rounds/{demo.pk}/",
        "round": f"/monitoring/{demo.pk}/",
    }[name]
    _sign_in(narrow_page, live_server, username)
    narrow_page.goto(f"{live_server.url}{path}")
    result = narrow_page.evaluate(REFLOW)
    assert not result["pageScrolls"], f"{name}: the page scrolls sideways at 320 px: {result}"
    assert result["overflowing"] == [], f"{name}: content wider than 320 px outside a scrolling region: {result}"
    for scroller in result["scrollers"]:
        assert scroller["focusable"], f"{name}: a region that scrolls sideways must take the focus: {scroller}"
        assert scroller["named"], f"{name}: a region that scrolls sideways must have a name: {scroller}"


# --- Nothing by colour alone ------------------------------------------------------------------------

COLOURED_WITHOUT_WORDS = """() => Array.from(document.querySelectorAll('[class*="govuk-tag--"], [class*="app-rag"]'))
  .filter((e) => !e.textContent.trim())
  .map((e) => e.outerHTML.slice(0, 120))"""


def test_rag_and_status_tags_always_carry_words(demo, page, sign_in, live_server):
    first = Action.objects.get(
        priority__plan__unit__code="LDMH",
        priority__plan__status="published",
        priority__number=1,
        number=1,
        sub_number=0,
    )
    services.return_save(
        round_=demo,
        plan=first.priority.plan,
        user=get_user_model().objects.get(username="ldmh.editor"),
        actions={
            first.pk: {
                "version": 0,
                "status": "delayed",
                "commentary": "Held up.",
                "withdrawn": "",
                "withdrawn_note": "",
                "merged_into": None,
            }
        },
    )
    sign_in("committee.member", DEMO_PASSWORD)
    plan = Plan.objects.get(unit__code="LDMH", status="published", year_id=2013)
    for path in (f"/dashboards/rounds/{demo.pk}/", f"/dashboards/rounds/{demo.pk}/divisions/{plan.unit_id}/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator('[class*="govuk-tag--"]').count() > 0, f"no coloured tag on {path}"
        assert page.evaluate(COLOURED_WITHOUT_WORDS) == [], f"a coloured tag without words on {path}"
