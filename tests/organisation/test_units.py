import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from organisation.models import Unit
from tests.factories import (
    CouncilFactory,
    DirectorateFactory,
    DivisionFactory,
    PlanFactory,
    ServiceUnitFactory,
    year,
)

pytestmark = pytest.mark.django_db


def unsaved_unit(**values):
    """A unit that has not been saved, with saved related objects, for full_clean()."""
    values.setdefault("level", Unit.Level.DIRECTORATE)
    values.setdefault("code", "NEW")
    values.setdefault("name", "New unit")
    values.setdefault("first_year", year(2013))
    return Unit(**values)


def assert_refused(unit, message):
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert message in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_unit_code_is_unique_per_council_and_first_year(directorate):
    duplicate = unsaved_unit(council=directorate.council, code=directorate.code, first_year=directorate.first_year)
    assert_refused(duplicate, "The council already has a unit with this code starting in this year.")


def test_the_same_code_may_start_again_in_a_later_year_or_in_another_council(directorate):
    unsaved_unit(council=directorate.council, code=directorate.code, first_year=year(2014)).full_clean()
    unsaved_unit(council=CouncilFactory(), code=directorate.code, first_year=directorate.first_year).full_clean()


def test_last_year_cannot_be_before_the_first_year(council):
    unit = unsaved_unit(council=council, first_year=year(2013), last_year=year(2012))
    assert_refused(unit, "The last year cannot be before the first year.")


def test_last_year_may_equal_the_first_year(council):
    unsaved_unit(council=council, first_year=year(2013), last_year=year(2013)).full_clean()


def test_a_directorate_has_no_parent(directorate):
    unit = unsaved_unit(council=directorate.council, level=Unit.Level.DIRECTORATE, parent=directorate)
    assert_refused(unit, "A directorate has no parent; a division or service unit must have one.")


@pytest.mark.parametrize("level", [Unit.Level.DIVISION, Unit.Level.SERVICE_UNIT])
def test_a_division_or_service_unit_must_have_a_parent(council, level):
    unit = unsaved_unit(council=council, level=level, parent=None)
    assert_refused(unit, "A directorate has no parent; a division or service unit must have one.")


def test_clean_refuses_a_division_whose_parent_is_a_division(division):
    unit = unsaved_unit(council=division.council, level=Unit.Level.DIVISION, parent=division)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["parent"] == ["A division belongs to a directorate."]


def test_clean_accepts_a_service_unit_directly_under_a_directorate(directorate):
    """KASS's 2008/9 business units (Adult Mental Health Services) had no division above them."""
    unit_under_directorate = unsaved_unit(
        council=directorate.council, level=Unit.Level.SERVICE_UNIT, parent=directorate
    )
    unit_under_directorate.full_clean()


def test_clean_refuses_a_service_unit_under_a_service_unit(division):
    service_unit = ServiceUnitFactory(parent=division)
    unit = unsaved_unit(council=division.council, level=Unit.Level.SERVICE_UNIT, parent=service_unit)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["parent"] == ["A service unit belongs to a division or directorate."]


def test_clean_refuses_a_parent_of_another_council(directorate):
    unit = unsaved_unit(council=CouncilFactory(), level=Unit.Level.DIVISION, parent=directorate)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert error.value.message_dict["parent"] == ["The parent unit belongs to another council."]


def test_a_well_formed_hierarchy_is_valid():
    service_unit = ServiceUnitFactory()
    for unit in (service_unit, service_unit.parent, service_unit.parent.parent):
        unit.full_clean()
    assert service_unit.directorate == service_unit.parent.parent


def test_in_year_gives_the_units_as_they_stood_that_year(council):
    closed = DirectorateFactory(council=council, code="KASS", first_year=year(2008), last_year=year(2012))
    opened = DirectorateFactory(council=council, code="FSC", first_year=year(2013))
    one_year = DirectorateFactory(council=council, code="ONE", first_year=year(2012), last_year=year(2012))

    def codes(start_year):
        return set(Unit.objects.in_year(start_year).values_list("code", flat=True))

    assert codes(2007) == set()
    assert codes(2008) == {"KASS"}
    assert codes(2012) == {"KASS", "ONE"}
    assert codes(2013) == {"FSC"}
    assert codes(2020) == {"FSC"}
    assert closed.exists_in(2012)
    assert not closed.exists_in(2013)
    assert opened.exists_in(2013)
    assert not opened.exists_in(2012)
    assert one_year.exists_in(2012)


def test_a_plan_of_a_closed_unit_still_renders_after_a_new_unit_takes_its_code(council, client_for, admin_user):
    old_directorate = DirectorateFactory(
        council=council, code="KASS", name="Kent Adult Social Services", first_year=year(2010), last_year=year(2012)
    )
    old_unit = DivisionFactory(
        parent=old_directorate, code="LDMH", name="Old LD and MH", first_year=year(2010), last_year=year(2012)
    )
    old_plan = PlanFactory(unit=old_unit, year=year(2012), title="Plan of the old division")
    new_directorate = DirectorateFactory(council=council, code="FSC", name="Families & Social Care")
    new_unit = DivisionFactory(parent=new_directorate, code="LDMH", name="Learning Disability/Mental Health")
    PlanFactory(unit=new_unit, year=year(2013), title="Plan of the new division")

    old_plan.full_clean()
    response = client_for(admin_user).get(reverse("plans:detail", args=[old_plan.pk]))

    assert response.status_code == 200
    assert response.context["plan"].unit == old_unit
    content = response.content.decode()
    assert "Old LD and MH: Plan of the old division" in content
    assert "Kent Adult Social Services · 2012-13" in content
    assert "Learning Disability/Mental Health" not in content
