"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the
live test server, and axe-core from npm checks each page against WCAG 2.2 A and AA."""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = AXE_JS.read_text(encoding="utf-8") if AXE_JS.exists() else ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs it.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests' own
    # set-up are still synchronous, so Django's async-safety guard does not apply while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    # Anything the Content Security Policy blocks is a bug in a page: collect and fail on it.
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert blocked == [], f"The Content Security Policy blocked something: {blocked}"


@pytest.fixture
def sign_in(page, live_server):
    def sign_in(username, password):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return sign_in


def axe_violations(page):
    """Runs axe-core in the page; returns the violations at WCAG 2.2 A and AA."""
    # Evaluated through the DevTools protocol, which the page's Content Security Policy (no inline
    # script) does not govern: the policy stays on for the app's own pages.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["passes"], "axe ran no checks: is the page empty?"
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible(page):
    def check():
        violations = axe_violations(page)
        assert violations == [], f"axe found WCAG 2.2 A/AA violations on {page.url}: {violations}"

    return check


@pytest.fixture
def ldmh_plan(transactional_db, settings, tmp_path):
    """The demo data and accounts, with built documents kept apart; the LDMH 2013-14 plan."""
    from exchange.demo_accounts import create_demo_accounts
    from exchange.seeds import load_all
    from plans.models import Plan

    settings.MEDIA_ROOT = tmp_path
    load_all()
    create_demo_accounts()
    return Plan.objects.get(unit__code="LDMH", year_id=2013)
