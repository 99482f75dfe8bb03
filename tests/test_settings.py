"""Deployment settings: checked in a fresh process, since settings are read once at start-up."""

import os
import secrets
import string
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

MANAGE = str(settings.BASE_DIR / "manage.py")
# Left out of the child's environment: the deployment settings under test, and what the test run itself
# sets (tests/e2e/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly reports).
NOT_INHERITED = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"]


def manage(*args, **env):
    """Run manage.py in a new process with the deployment variables set to exactly `env`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in NOT_INHERITED and not name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def random_secret_key():
    alphabet = string.ascii_letters + string.digits + string.punctuation.replace("'", "").replace('"', "")
    return "".join(secrets.choice(alphabet) for _ in range(50))


def test_check_deploy_reports_no_issues_with_debug_off_and_real_values():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="plans.example.org",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_check_deploy_warns_when_workers_would_not_share_a_cache():
    result = manage(
        "check", "--deploy", DEBUG="false", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS="plans.example.org"
    )
    assert "common.W001" in result.stdout + result.stderr


def test_settings_refuse_a_cache_that_is_not_redis():
    result = manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// address, not 'memcached://127.0.0.1:11211'." in result.stderr


def test_check_deploy_does_warn_about_a_development_set_up():
    """The check above can fail: with DEBUG on, --deploy reports it."""
    result = manage("check", "--deploy", DEBUG="true")
    assert "WARNINGS" in result.stdout + result.stderr
    assert "security.W018" in result.stdout + result.stderr  # DEBUG is on


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="plans.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_settings_refuse_to_load_without_allowed_hosts_when_debug_is_off():
    result = manage("check", DEBUG="false", SECRET_KEY=random_secret_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_settings_refuse_a_debug_value_that_is_not_a_boolean():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'." in result.stderr


@pytest.mark.django_db
def test_no_model_changes_are_missing_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits with status 1 if any are missing
    assert "No changes detected" in out.getvalue()
