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
