"""Tables a template defines by its columns: a new plan shape is data, not code."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from plans import services
from plans.custom_tables import clean_value, display_value
from plans.models import Plan, TableColumn, TableKind, TableRow, TemplateSection, TemplateSectionTable
from tests.factories import PlanFactory, PlanTemplateFactory

Type = TableColumn.DataType


def column(data_type, **kwargs):
    return TableColumn(key="c", heading="Target date", data_type=data_type, **kwargs)


@pytest.mark.parametrize(
    ("data_type", "raw", "stored", "shown"),
    [
        (Type.TEXT, "  Mark Walker ", "Mark Walker", "Mark Walker"),
        (Type.LONG_TEXT, "Line one\nLine two", "Line one\nLine two", "Line one\nLine two"),
        (Type.NUMBER, "3.8", "3.8", "3.8"),
        (Type.NUMBER, "12.10", "12.10", "12.10"),
        (Type.NUMBER, "1,234", "1234", "1,234"),
        (Type.NUMBER, "-2912.50", "-2912.50", "-2,912.50"),
        (Type.MONEY, "£5,776.1", "5776.1", "5,776.1"),
        (Type.MONEY, "(1217.3)", "-1217.3", "-1,217.3"),
        (Type.MONEY, "0", "0.0", "0.0"),
        (Type.MONTH, "Sept 2013", "2013-09", "September 2013"),
        (Type.MONTH, datetime.date(2014, 3, 1), "2014-03", "March 2014"),
        (Type.DATE, "31/03/2014", "2014-03-31", "31/03/2014"),
        (Type.YES_NO, "Yes", True, "Yes"),
        (Type.YES_NO, "no", False, "No"),
        (Type.TEXT, "", None, ""),
        (Type.MONEY, "   ", None, ""),
    ],
)
def test_a_cell_is_kept_in_canonical_form_and_shown_as_printed(data_type, raw, stored, shown):
    col = column(data_type)
    assert clean_value(col, raw) == stored
    assert display_value(col, stored) == shown


@pytest.mark.parametrize(
    ("data_type", "raw", "message"),
    [
        (Type.NUMBER, "three", "“three” is not a number."),
        (Type.NUMBER, "1e15", "“1e15” is not a number this table can hold."),
        (Type.MONEY, "12.34", "“12.34” has more than 1 decimal place."),
        (Type.MONTH, "Smarch 2013", "“Smarch 2013” is not a month; write it like April 2013."),
        (Type.DATE, "2014-31-03", "“2014-31-03” is not a date; write it like 31/03/2014."),
        (Type.YES_NO, "maybe", "Answer yes or no for target date."),
    ],
)
def test_a_bad_cell_is_refused_with_a_message(data_type, raw, message):
    with pytest.raises(
        ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.") + "$"
    ):
        clean_value(column(data_type), raw)


def test_required_and_choice_columns():
    assert clean_value(column(Type.CHOICE, choices="HIGH\nMEDIUM\nLOW"), "LOW") == "LOW"
    with pytest.raises(ValueError, match=re.escape("must be one of: HIGH, MEDIUM, LOW")):
        clean_value(column(Type.CHOICE, choices="HIGH\nMEDIUM\nLOW"), "VERY HIGH")
    with pytest.raises(ValueError, match=re.escape("Enter target date.")):
        clean_value(column(Type.TEXT, required=True), " ")


@pytest.fixture
def template(db):
    """A new plan shape defined entirely as data: one narrative section and one custom table."""
    template = PlanTemplateFactory(sections=[("1", "Projects and key actions", [])])
    section = TemplateSection.objects.get(template=template, code="1")
    table = TemplateSectionTable.objects.create(
        section=section, kind=TableKind.CUSTOM, slug="projects", title="Projects and key actions"
    )
    for order, (key, heading, data_type, extra) in enumerate(
        [
            ("project", "Project", Type.TEXT, {"required": True}),
            ("manager", "A/c manager", Type.TEXT, {}),
            ("target_date", "Target date", Type.MONTH, {}),
            ("budget", "Budget £'000", Type.MONEY, {}),
            ("statutory", "Statutory?", Type.YES_NO, {}),
            ("impact", "Impact", Type.CHOICE, {"choices": "HIGH\nMEDIUM\nLOW\nNONE\nUNKNOWN"}),
        ],
        start=1,
    ):
        TableColumn.objects.create(table=table, order=order, key=key, heading=heading, data_type=data_type, **extra)
    return template


@pytest.fixture
def plan(template, division):
    return PlanFactory(unit=division, template=template, status=Plan.Status.DRAFT)


def _table(plan):
    return TemplateSectionTable.objects.get(section__template=plan.template, kind=TableKind.CUSTOM)


def _section_url(plan):
    """The page of the section holding the custom table."""
    return reverse("plans:section", args=[plan.pk, _table(plan).section.code])


def test_rows_are_validated_against_the_columns(plan):
    row = TableRow(plan=plan, table=_table(plan), number=1, values={"project": "Hydrotherapy", "budget": "1.25"})
    with pytest.raises(ValidationError, match=re.escape("budget: “1.25” has more than 1 decimal place.")):
        row.full_clean()
    row.values = {"project": "Hydrotherapy", "colour": "blue"}
    with pytest.raises(ValidationError, match=re.escape("Unknown columns: colour.")):
        row.full_clean()


def test_a_custom_table_needs_a_name_and_built_in_tables_appear_once(template):
    section = TemplateSection.objects.get(template=template, code="1")
    with pytest.raises(ValidationError, match=re.escape("A custom table needs a short name and a heading.")):
        TemplateSectionTable(section=section, kind=TableKind.CUSTOM, order=2).full_clean()
    TemplateSectionTable.objects.create(section=section, kind=TableKind.CUSTOM, slug="staffing", title="Staffing")
    TemplateSectionTable.objects.create(section=section, kind=TableKind.RISKS)
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateSectionTable.objects.create(section=section, kind=TableKind.RISKS)


def test_editor_fills_the_table_and_it_shows_on_the_page_and_in_print(plan, client_for, unit_editor):
    client = client_for(unit_editor)
    table = _table(plan)
    add = reverse("plans:table_row_add", args=[plan.pk, table.pk])
    section_page = client.get(reverse("plans:edit_section", args=[plan.pk, "1"])).content.decode()
    assert "Add a row" in section_page

    response = client.post(
        add,
        {
            "col_project": "Community Hydrotherapy Project",
            "col_manager": "Paula Watson",
            "col_target_date": "March 2014",
            "col_budget": "(12.5)",
            "col_statutory": "no",
            "col_impact": "HIGH",
        },
    )
    assert response.status_code == 302
    row = TableRow.objects.get(plan=plan)
    assert row.values == {
        "project": "Community Hydrotherapy Project",
        "manager": "Paula Watson",
        "target_date": "2014-03",
        "budget": "-12.5",
        "statutory": False,
        "impact": "HIGH",
    }
    for url in (_section_url(plan), reverse("documents:plan_print", args=[plan.pk])):
        page = client.get(url).content.decode()
        assert "Projects and key actions" in page
        assert "Community Hydrotherapy Project" in page
        assert "March 2014" in page
        assert "-12.5" in page


def test_bad_cells_get_an_error_summary_and_nothing_is_saved(plan, client_for, unit_editor):
    response = client_for(unit_editor).post(
        reverse("plans:table_row_add", args=[plan.pk, _table(plan).pk]),
        {"col_project": "", "col_target_date": "Smarch 2014", "col_budget": "lots", "col_impact": "HUGE"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This field is required." in page or "Enter project." in page
    assert "“Smarch 2014” is not a month" in page
    assert "“lots” is not a number." in page
    assert not TableRow.objects.exists()


def test_rows_are_renumbered_when_removed_and_moved(plan, client_for, unit_editor):
    table = _table(plan)
    for number, name in enumerate(["A", "B", "C"], start=1):
        TableRow.objects.create(plan=plan, table=table, number=number, values={"project": name})
    client = client_for(unit_editor)
    b = TableRow.objects.get(values__project="B")
    client.post(reverse("plans:row_remove", args=[plan.pk, "table-row", b.pk]))
    c = TableRow.objects.get(values__project="C")
    client.post(reverse("plans:row_move", args=[plan.pk, "table-row", c.pk, "up"]))
    assert [(r.number, r.values["project"]) for r in TableRow.objects.order_by("number")] == [(1, "C"), (2, "A")]


def test_editing_a_row_refuses_a_stale_save_and_keeps_the_typing(plan, client_for, unit_editor, admin_user):
    row = TableRow.objects.create(plan=plan, table=_table(plan), number=1, values={"project": "Original"})
    url = reverse("plans:table_row_edit", args=[plan.pk, row.pk])
    mine, theirs = client_for(unit_editor), client_for(admin_user)
    opened = mine.get(url).context["form"].initial["version"]
    theirs.post(url, {"col_project": "Their change", "version": theirs.get(url).context["form"].initial["version"]})
    response = mine.post(url, {"col_project": "My change", "version": opened})
    assert "changed this while you were editing it" in response.content.decode()
    assert "My change" in response.content.decode()
    row.refresh_from_db()
    assert row.values["project"] == "Their change"


def test_table_rows_of_another_plan_or_template_cannot_be_reached(plan, client_for, unit_editor, division, template):
    other = PlanFactory(unit=division, template=template)
    row = TableRow.objects.create(plan=other, table=_table(other), number=1, values={"project": "Other"})
    client = client_for(unit_editor)
    assert client.get(reverse("plans:table_row_edit", args=[plan.pk, row.pk])).status_code == 404
    foreign_table = TemplateSectionTable.objects.create(
        section=TemplateSection.objects.create(template=PlanTemplateFactory(sections=[]), order=1, code="X", title="X"),
        kind=TableKind.CUSTOM,
        slug="x",
        title="X",
    )
    assert client.get(reverse("plans:table_row_add", args=[plan.pk, foreign_table.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"), [("approver", 403), ("other_unit_editor", 404), ("committee_member", 404)]
)
def test_table_row_pages_refuse_users_without_the_right(request, plan, client_for, role, expected):
    row = TableRow.objects.create(plan=plan, table=_table(plan), number=1, values={"project": "Kept"})
    client = client_for(request.getfixturevalue(role))
    assert (
        client.post(reverse("plans:table_row_add", args=[plan.pk, _table(plan).pk]), {"col_project": "x"}).status_code
        == expected
    )
    assert (
        client.post(reverse("plans:table_row_edit", args=[plan.pk, row.pk]), {"col_project": "x"}).status_code
        == expected
    )
    assert list(TableRow.objects.values_list("values", flat=True)) == [{"project": "Kept"}]


def test_a_new_version_copies_the_custom_rows(plan, unit_editor):
    TableRow.objects.create(plan=plan, table=_table(plan), number=1, values={"project": "Kept"})
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.PUBLISHED)
    plan = Plan.objects.with_unit().get(pk=plan.pk)
    new = services.plan_new_version(plan=plan, user=unit_editor, version_label="v2")
    assert list(new.table_rows.values_list("number", "values")) == [(1, {"project": "Kept"})]


def test_plan_page_query_count_does_not_grow_with_rows(plan, client_for, unit_editor, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(unit_editor)
    table = _table(plan)
    TableRow.objects.create(plan=plan, table=table, number=1, values={"project": "One"})
    url = _section_url(plan)
    client.get(url)
    cache.clear()  # the section's page is built afresh (common/cache.py), as after any change
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(2, 12):
        TableRow.objects.create(plan=plan, table=table, number=number, values={"project": f"Row {number}"})
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
