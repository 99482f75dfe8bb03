"""manage.py import_round_returns: the round page's import, from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from exchange import round_sheets
from monitoring.models import ActionReturn
from plans.models import Action
from tests.exchange.helpers import row_counts
from tests.exchange.test_round_export import edited, plans, round_  # noqa: F401  (fixtures)


def run(*args) -> str:
    out = StringIO()
    call_command("import_round_returns", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def workbook_file(round_, admin_user, tmp_path):  # noqa: F811
    def write(changes: dict):
        path = tmp_path / "returns.xlsx"
        path.write_bytes(edited(round_sheets.round_workbook(admin_user, round_), "Action returns", changes))
        return path

    return write


def _second_action(plans):  # noqa: F811
    plan, _ = plans
    return Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number")[1]


def test_returns_edited_in_the_workbook_are_imported(round_, plans, admin_user, workbook_file):  # noqa: F811
    path = workbook_file({(3, "Status"): "Completed", (3, "Progress commentary"): "Lease signed"})
    output = run(str(path), "--round", str(round_.pk), "--user", admin_user.username)
    assert "Imported 1 return(s)" in output
    saved = ActionReturn.objects.get(round=round_, action=_second_action(plans))
    assert (saved.status, saved.commentary) == ("completed", "Lease signed")
    # The same file again changes nothing.
    assert "Imported 0 return(s)" in run(str(path), "--round", str(round_.pk), "--user", admin_user.username)


def test_a_dry_run_writes_nothing(round_, plans, admin_user, workbook_file):  # noqa: F811
    path = workbook_file({(3, "Status"): "Completed", (3, "Progress commentary"): "Lease signed"})
    before = row_counts()
    assert "Dry run: nothing imported." in run(
        str(path), "--round", str(round_.pk), "--user", "test.admin", "--dry-run"
    )
    assert row_counts() == before
    assert ActionReturn.objects.get(round=round_, action=_second_action(plans)).status == "delayed"


def test_a_delay_without_a_reason_refuses_the_whole_file(round_, plans, admin_user, workbook_file):  # noqa: F811
    path = workbook_file({(3, "Status"): "Completed", (5, "Status"): "Delayed", (5, "Progress commentary"): None})
    before = row_counts()
    with pytest.raises(CommandError, match="nothing imported"):
        run(str(path), "--round", str(round_.pk), "--user", admin_user.username)
    assert row_counts() == before


def test_an_unreadable_cell_is_named_and_nothing_is_imported(round_, admin_user, workbook_file):  # noqa: F811
    path = workbook_file({(3, "Status"): "Smashing"})
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_round_returns", str(path), "--round", str(round_.pk), "--user", "test.admin", stdout=out)
    assert "“Smashing” is not one of" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--round", "999999", "--user", "test.admin"], "There is no monitoring round 999999."),
        (["--user", "nobody"], "There is no user 'nobody'."),
    ],
)
def test_a_wrong_round_or_user_is_named(round_, admin_user, workbook_file, arguments, message):  # noqa: F811
    path = workbook_file({})
    if "--round" not in arguments:
        arguments = ["--round", str(round_.pk), *arguments]
    with pytest.raises(CommandError, match=message):
        run(str(path), *arguments)


def test_a_missing_file_is_named(round_):  # noqa: F811
    with pytest.raises(CommandError, match="There is no file"):
        run("/nonexistent/returns.xlsx", "--round", str(round_.pk), "--user", "test.admin")


def test_a_user_who_may_not_enter_returns_imports_nothing(round_, plans, committee_member, workbook_file):  # noqa: F811
    path = workbook_file({(3, "Status"): "Completed", (3, "Progress commentary"): "Lease signed"})
    before = row_counts()
    with pytest.raises(CommandError, match="nothing imported"):
        run(str(path), "--round", str(round_.pk), "--user", committee_member.username)
    assert row_counts() == before
