from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from surveys import actions
from surveys.models import Status
from tests.auth import verified_login
from tests.factories import DepartmentFactory, EmployeeFactory, WorkSiteFactory
from tests.surveys.conftest import question
from tests.surveys.helpers import add_responses
from workplace.roles import Role

pytestmark = pytest.mark.django_db


def answers(survey, frequency="Elk nummer", score=8, idea=None, minutes=None):
    result = {
        question(survey, "leesfrequentie").key: {"choice": frequency},
        question(survey, "aanbevelen").key: score,
        question(survey, "lengte").key: 4,
        question(survey, "rubrieken").key: {"Nieuws uit de diensten": "altijd"},
    }
    if idea:
        result[question(survey, "aantrekkelijker").key] = idea
    if minutes is not None:
        result[question(survey, "leestijd").key] = minutes
    return result


@pytest.fixture
def closed(gentco):
    gentco.status = Status.CLOSED
    gentco.save()
    return gentco


def results_url(survey, per=""):
    url = reverse("surveys:results", args=[survey.pk])
    return f"{url}?per={per}" if per else url


def test_only_the_owners_see_the_results(client, hr, alice, closed):
    add_responses(closed, 6, answers=answers(closed))
    verified_login(client, hr)
    assert client.get(results_url(closed)).status_code == 200
    assert client.get(reverse("surveys:export", args=[closed.pk])).status_code == 200
    other_hr = EmployeeFactory(roles=[Role.HR])
    verified_login(client, other_hr)
    assert client.get(results_url(closed)).status_code == 404
    assert client.get(reverse("surveys:export", args=[closed.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(results_url(closed)).status_code == 403
    assert client.get(reverse("surveys:export", args=[closed.pk])).status_code == 403


def test_it_keeps_anonymous_answers_back_while_the_survey_is_open(client, hr, gentco):
    add_responses(gentco, 8, answers=answers(gentco))
    verified_login(client, hr)
    page = client.get(results_url(gentco)).content.decode()
    assert "de antwoorden verschijnen pas na de sluiting" in page
    assert "Hoe vaak lees je gent&amp;co?" not in page
    actions.close(gentco)
    page = client.get(results_url(gentco)).content.decode()
    assert "Hoe vaak lees je gent&amp;co?" in page


def test_it_shows_nothing_below_the_threshold(client, hr, closed):
    add_responses(closed, 4, answers=answers(closed))
    verified_login(client, hr)
    page = client.get(results_url(closed)).content.decode()
    assert "de resultaten verschijnen vanaf 5 antwoorden" in page
    assert '<svg class="chart"' not in page


def test_it_draws_charts_for_every_kind_of_question(client, hr, closed):
    add_responses(closed, 5, answers=answers(closed, score=10, minutes=20))
    add_responses(closed, 5, answers=answers(closed, frequency="Soms", score=3, minutes=10))
    verified_login(client, hr)
    page = client.get(results_url(closed)).content.decode()
    assert page.count('<svg class="chart"') >= 4
    assert "NPS (promotors min criticasters): 0" in page
    assert "Promotors (9-10)" in page
    assert "Helemaal eens" in page
    assert "Gemiddeld 15,0, mediaan 15,0, van 10 tot 20." in page
    assert "style=" not in page


def test_it_shows_groups_of_five_and_merges_smaller_ones_into_other(
    client, hr, organisation, closed
):
    # A department of two: merged into "other" together with the three without a department.
    small = DepartmentFactory(code="OCMW", name="Dienst Onthaal")
    add_responses(closed, 6, unit=organisation["buildings"], answers=answers(closed))
    add_responses(closed, 5, unit=organisation["civil"], answers=answers(closed))
    add_responses(closed, 2, unit=small, answers=answers(closed))
    add_responses(closed, 3, unit=None, answers=answers(closed))
    verified_login(client, hr)
    page = client.get(results_url(closed, "service")).content.decode()
    assert "Dienst Gebouwen" in page
    assert "Burgerzaken" in page
    assert "Dienst Onthaal" not in page
    assert "Overige" in page


def test_it_leaves_out_a_split_that_would_reveal_a_small_group_by_subtraction(
    client, hr, organisation, closed
):
    # Facility = Gebouwen (6) + a service of 2; Burgerzaken has 6.
    other_service = DepartmentFactory(
        code="FM-LOG", name="Dienst Logistiek", parent=organisation["facility"]
    )
    add_responses(closed, 6, unit=organisation["buildings"], answers=answers(closed))
    add_responses(closed, 2, unit=other_service, answers=answers(closed))
    add_responses(closed, 6, unit=organisation["civil"], answers=answers(closed))
    verified_login(client, hr)
    by_department = client.get(results_url(closed, "department")).content.decode()
    by_service = client.get(results_url(closed, "service")).content.decode()
    # Facility Management (8) minus Dienst Gebouwen (6) would be Logistiek's two answers.
    assert not ("Facility Management" in by_department and "Dienst Gebouwen" in by_service)


def test_it_splits_by_site_and_by_field_or_office(client, hr, closed):
    depot = WorkSiteFactory(name="Depot Driepikkel")
    add_responses(closed, 7, site=depot, field=True, answers=answers(closed))
    add_responses(closed, 7, field=False, answers=answers(closed))
    verified_login(client, hr)
    assert "Depot Driepikkel" in client.get(results_url(closed, "site")).content.decode()
    page = client.get(results_url(closed, "kind")).content.decode()
    assert "Terreinmedewerkers" in page
    assert "Kantoormedewerkers" in page


def test_it_lists_free_text_without_the_label_of_a_small_group(client, hr, organisation, closed):
    tiny = DepartmentFactory(code="OCMW", name="Woonzorgcentrum Zonnebloem")
    few = DepartmentFactory(code="SR", name="Stadsreiniging")
    add_responses(closed, 6, unit=organisation["buildings"], answers=answers(closed))
    add_responses(
        closed, 5, unit=organisation["civil"], answers=answers(closed, idea="Grotere letters")
    )
    add_responses(closed, 1, unit=tiny, answers=answers(closed, idea="Meer over ons depot"))
    add_responses(closed, 4, unit=few, answers=answers(closed, idea="Vaker verschijnen"))
    verified_login(client, hr)
    page = client.get(results_url(closed, "service")).content.decode()
    assert "Burgerzaken:</span> Grotere letters" in page
    assert "Overige:</span> Meer over ons depot" in page
    assert "Woonzorgcentrum Zonnebloem" not in page


def test_it_drops_group_labels_of_a_question_too_few_answered(client, hr, organisation, closed):
    add_responses(closed, 6, unit=organisation["buildings"], answers=answers(closed))
    add_responses(
        closed, 5, unit=organisation["civil"], answers=answers(closed, idea="Grotere letters")
    )
    add_responses(closed, 5, answers=answers(closed, idea="Meer over ons depot"))
    add_responses(closed, 1, unit=organisation["facility"], answers=answers(closed, idea="Kort"))
    verified_login(client, hr)
    page = client.get(results_url(closed, "service")).content.decode()
    assert "<li>Kort</li>" in page or "Overige:</span> Kort" in page
    assert "Facility Management:</span>" not in page


def test_it_compares_with_the_previous_edition(client, hr, closed):
    add_responses(closed, 6, answers=answers(closed, score=9))
    new = actions.copy_survey(closed, hr)
    new.status = Status.CLOSED
    new.save()
    add_responses(new, 6, answers=answers(new, score=4))
    verified_login(client, hr)
    page = client.get(results_url(new)).content.decode()
    assert "vorige editie: 100" in page
    assert "Vergeleken met Lezersbevraging gent&amp;co (6 antwoorden)" in page


def test_it_exports_the_anonymous_answers_without_groups(client, hr, organisation, closed):
    add_responses(closed, 5, unit=organisation["buildings"], answers=answers(closed, idea="Foto's"))
    verified_login(client, hr)
    response = client.get(reverse("surveys:export", args=[closed.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["leesfrequentie", "waarom-niet"]
    assert len(rows) == 6
    assert rows[1][0] == "Elk nummer"
    assert "Foto's" in rows[1]
    assert "Dienst Gebouwen" not in response.content.decode()


def test_it_exports_nothing_below_the_threshold(client, hr, closed):
    add_responses(closed, 2, answers=answers(closed))
    verified_login(client, hr)
    response = client.get(reverse("surveys:export", args=[closed.pk]))
    assert "Er kunnen nog geen antwoorden" in response.content.decode("utf-8-sig")
    assert "Elk nummer" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("per", ["", "service"])
def test_the_results_page_needs_the_same_queries_for_many_answers(
    client, hr, organisation, closed, per
):
    from tests.surveys.test_answering import count_queries

    verified_login(client, hr)
    add_responses(closed, 6, unit=organisation["buildings"], answers=answers(closed))
    add_responses(closed, 6, unit=organisation["civil"], answers=answers(closed))
    few = count_queries(client, results_url(closed, per))
    add_responses(closed, 60, unit=organisation["buildings"], answers=answers(closed))
    add_responses(closed, 60, unit=organisation["civil"], answers=answers(closed))
    assert count_queries(client, results_url(closed, per)) == few


def test_a_survey_with_name_shows_answers_while_open_and_names_in_the_export(
    client, hr, bob, gentco
):
    from surveys.models import Response

    gentco.anonymity = "named"
    gentco.save()
    Response.objects.create(
        survey=gentco, week="2026-11-23", respondent=bob, answers=answers(gentco)
    )
    verified_login(client, hr)
    page = client.get(results_url(gentco)).content.decode()
    assert "Hoe vaak lees je gent&amp;co?" in page
    export = client.get(reverse("surveys:export", args=[gentco.pk])).content.decode("utf-8-sig")
    assert "Bob Peeters" in export


def test_chart_labels_are_escaped():
    from surveys.charts import layout, stack
    from surveys.templatetags.survey_charts import chart

    bars = [stack("<script>", [("<b>ja</b>", 3), ("nee", 1)], 4)]
    svg = chart(bars, layout(bars), True, 'Vraag "1"')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;ja&lt;/b&gt;" in svg
    assert 'aria-label="Vraag &quot;1&quot;"' in svg
    assert "style=" not in svg


def test_reading_the_results_is_in_the_audit_log(client, hr, closed):
    from workplace.models import AuditAction, AuditEvent

    add_responses(closed, 6, answers=answers(closed))
    verified_login(client, hr)
    client.get(results_url(closed, per="site"))
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_RESULTS_VIEWED)
    assert (event.actor, event.target_id, event.detail) == (hr, str(closed.pk), {"split": "site"})
