"""Signing in: throttled after repeated failures (django-axes); every page behind it; a strict CSP."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, PlanFactory


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_failures_pause_sign_in_for_that_account(throttled, unit_editor):
    client = Client()
    for _ in range(2):
        assert _sign_in(client, "division.editor", "wrong").status_code == 200
    assert _sign_in(client, "division.editor", "wrong").status_code == 429  # the third failure locks
    locked = _sign_in(client, "division.editor", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_before_the_limit_resets_the_count(throttled, unit_editor):
    client = Client()
    for _ in range(2):
        _sign_in(client, "division.editor", "wrong")
    assert _sign_in(client, "division.editor", TEST_PASSWORD).status_code == 302
    for _ in range(2):
        assert _sign_in(Client(), "division.editor", "wrong").status_code == 200


def test_wrong_password_gets_a_clear_message(unit_editor):
    page = _sign_in(Client(), "division.editor", "wrong").content.decode()
    assert "There is a problem" in page
    assert "Please enter a correct username and password" in page


def test_sign_in_page_is_the_only_page_open_to_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", ["login", "plans:list"])
def test_pages_carry_a_strict_content_security_policy(client_for, unit_editor, name):
    response = client_for(unit_editor).get(reverse(name))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_no_page_has_inline_script_or_style(client_for, unit_editor, division):
    plan = PlanFactory(unit=division)
    client = client_for(unit_editor)
    for url in [
        reverse("login"),
        reverse("plans:list"),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:history", args=[plan.pk]),
    ]:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"\sstyle=\"", page), url
        assert not re.search(r"\son[a-z]+=\"", page), url
