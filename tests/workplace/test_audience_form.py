"""The shared audience editor that KUS, streams and surveys embed."""

from __future__ import annotations

import pytest

from workplace.forms import AudienceForm

pytestmark = pytest.mark.django_db


def test_it_saves_rules_with_job_titles_once_each(organisation, bob, alice):
    form = AudienceForm(
        data={
            "departments": [organisation["facility"].pk],
            "worker_kind": "field",
            "job_titles_text": "Elektricien\nelektricien\n\nTuinier",
        }
    )
    assert form.is_valid(), form.errors
    audience = form.save()
    assert sorted(audience.job_titles.values_list("key", flat=True)) == ["elektricien", "tuinier"]
    assert set(audience.members().values_list("username", flat=True)) == {"bob"}


def test_an_audience_must_address_someone(organisation):
    form = AudienceForm(data={"worker_kind": "field"})
    assert not form.is_valid()
    assert "minstens één groep" in str(form.non_field_errors())


def test_editing_keeps_the_job_titles(organisation):
    form = AudienceForm(data={"job_titles_text": "Tuinier"})
    audience = form.save() if form.is_valid() else None
    assert AudienceForm(instance=audience).fields["job_titles_text"].initial == "Tuinier"


def test_named_people_are_typed_by_username_or_personnel_number(organisation, alice, bob, carol):
    form = AudienceForm(
        data={"employees": f"alice, {bob.personnel_number}", "excluded_employees": "carol"}
    )
    assert form.is_valid(), form.errors
    audience = form.save()
    assert set(audience.employees.values_list("username", flat=True)) == {"alice", "bob"}
    assert AudienceForm(instance=audience)["employees"].value() == "alice, bob"


def test_an_unknown_colleague_is_named_in_the_error(organisation, alice):
    form = AudienceForm(data={"employees": "alice, nobody42"})
    assert not form.is_valid()
    assert "nobody42" in str(form.errors["employees"])


def test_the_editor_does_not_list_every_employee(organisation, alice, bob, carol):
    html = str(AudienceForm())
    assert "Claes" not in html and "Peeters" not in html
