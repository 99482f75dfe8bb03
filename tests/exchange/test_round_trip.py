"""An export imported back gives the same plan: XLSX and JSON, into an empty database and as a new
version; importing the same file again changes nothing; one bad row anywhere writes nothing."""

import json

import pytest

from exchange import exporter, json_format
from exchange.importer import ImportRefused
from exchange.seeds import load_all
from plans.models import Action, Plan, SupportNeeded
from tests.exchange.helpers import apply, preview, problems_text, row_counts, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_plan(db):
    load_all()
    return exporter.export_plans().get(unit__code="LDMH", year_id=2013)


def xlsx_of(plan):
    return exporter.plan_workbook(exporter.export_plans().get(pk=plan.pk))


def json_of(plan):
    return json.dumps(json_format.plan_document(exporter.export_plans().get(pk=plan.pk))).encode()


@pytest.mark.parametrize(("kind", "export"), [("xlsx", xlsx_of), ("json", json_of)])
def test_an_export_imported_into_an_empty_database_gives_back_every_field_of_every_row(seed_plan, kind, export):
    before = snapshot(seed_plan)
    data = export(seed_plan)
    Plan.objects.all().delete()  # the organisation, template, themes and objectives stay: the plans go

    result = preview(data, name=f"plan.{kind}")
    assert problems_text(result) == []
    assert result.creating
    plan = apply(data, name=f"plan.{kind}")

    assert plan.version_label == "Final Draft v 6"
    assert plan.status == Plan.Status.DRAFT
    assert snapshot(plan) == before


@pytest.mark.parametrize(("kind", "export"), [("xlsx", xlsx_of), ("json", json_of)])
def test_an_export_imported_as_a_new_version_label_gives_the_same_content(seed_plan, kind, export):
    plan = apply(export(seed_plan), name=f"plan.{kind}", version_label="Imported v 7")

    assert plan.pk != seed_plan.pk
    assert (plan.unit_id, plan.year_id, plan.version_label) == (seed_plan.unit_id, 2013, "Imported v 7")
    assert snapshot(plan) == snapshot(seed_plan)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(seed_plan):
    data = xlsx_of(seed_plan)
    plan = apply(data, version_label="Imported v 7")
    counts = row_counts()

    second = preview(data, version_label="Imported v 7")

    assert problems_text(second) == []
    assert not second.creating
    assert second.plan == plan
    assert second.change_count == 0
    assert {sheet.title: sheet.unchanged for sheet in second.sheets}["Actions"] == 76
    apply(data, version_label="Imported v 7")
    assert row_counts() == counts  # no row and no history record written


def test_an_edited_export_changes_only_the_edited_row(seed_plan):
    plan = apply(xlsx_of(seed_plan), version_label="Imported v 7")
    action = Action.objects.get(priority__plan=plan, priority__number=1, number=1, sub_number=2)
    action.officer = "Someone else"
    action.save()
    history = Action.history.count()

    result = preview(xlsx_of(seed_plan), version_label="Imported v 7")
    [change] = [change for sheet in result.sheets for change in sheet.changes]
    assert change.label == "Action 1.2 of priority 1"
    assert change.fields == [
        ("Accountable officer", "Someone else", "KMPT & KCC Partnership Agreement/ Stephanie Clarke/ Andy Oldgrow")
    ]
    apply(xlsx_of(seed_plan), version_label="Imported v 7")
    assert Action.history.count() == history + 1


def test_a_bad_row_in_the_last_sheet_writes_nothing(seed_plan):
    document = json_format.plan_document(exporter.export_plans().get(pk=seed_plan.pk))
    document["tables"]["support_needed"][-1]["expected"] = "Smarch 2014"
    counts = row_counts()

    with pytest.raises(ImportRefused) as refused:
        apply(json.dumps(document).encode(), name="plan.json", version_label="Imported v 7")

    assert [p.as_text() for p in refused.value.preview.problems] == [
        "Support needed, row 14, column Expected: “Smarch 2014” is not a month; write it like April 2013."
    ]
    assert row_counts() == counts
    assert not SupportNeeded.objects.filter(plan__version_label="Imported v 7").exists()


def test_the_published_seed_plan_cannot_be_imported_into(seed_plan):
    result = preview(xlsx_of(seed_plan))
    assert problems_text(result) == [
        "Plan: A plan with this unit, year and version label already exists and is published: only a draft can be "
        "imported into. Give another version label to import the file as a new draft."
    ]
