from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Participation, Response, Status
from tests.auth import verified_login
from tests.factories import PASSWORD, EmployeeFactory
from tests.surveys.conftest import field, question

pytestmark = pytest.mark.django_db


def section_url(survey, number):
    return reverse("surveys:section", args=[survey.pk, number])


def answer_reader(client, survey):
    """Bob reads every issue: screens 1 (frequency), 2 (what he reads), 3 (opinion)."""
    client.post(reverse("surveys:start", args=[survey.pk]))
    client.post(section_url(survey, 1), {field(survey, "leesfrequentie"): "0", "go": "next"})
    matrix = {field(survey, "rubrieken", f"_r{i}"): "0" for i in range(6)}
    client.post(
        section_url(survey, 2),
        {
            **matrix,
            field(survey, "vorm"): "other",
            field(survey, "vorm", "_other"): "In de ploegvergadering",
            field(survey, "lengte"): "4",
            field(survey, "opmaak"): "5",
            "go": "next",
        },
    )
    return client.post(
        section_url(survey, 3),
        {
            field(survey, "aanbevelen"): "9",
            field(survey, "leestijd"): "15",
            field(survey, "meer-over"): "Veiligheid",
            field(survey, "aantrekkelijker"): "Meer foto's van de ploegen.",
            "go": "next",
        },
    )


def test_it_stores_every_question_type_after_submit(client, bob, gentco):
    client.force_login(bob)
    response = answer_reader(client, gentco)
    assert response.url == reverse("surveys:review", args=[gentco.pk])
    review = client.get(response.url)
    assert "In de ploegvergadering" in review.content.decode()
    client.post(reverse("surveys:review", args=[gentco.pk]))
    stored = Response.objects.get(survey=gentco).answers
    assert stored[question(gentco, "leesfrequentie").key] == {"choice": "Elk nummer"}
    assert stored[question(gentco, "rubrieken").key]["Puzzel en wedstrijd"] == "altijd"
    assert stored[question(gentco, "vorm").key] == {
        "choice": "__other__",
        "other": "In de ploegvergadering",
    }
    assert stored[question(gentco, "lengte").key] == 4
    assert stored[question(gentco, "aanbevelen").key] == 9
    assert stored[question(gentco, "leestijd").key] == 15
    assert stored[question(gentco, "meer-over").key] == "Veiligheid"
    assert stored[question(gentco, "aantrekkelijker").key] == "Meer foto's van de ploegen."
    assert question(gentco, "waarom-niet").key not in stored


def test_it_stores_multiple_choice_with_other(client, bob, gentco):
    client.force_login(bob)
    client.post(reverse("surveys:start", args=[gentco.pk]))
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "3", "go": "next"})
    name = field(gentco, "waarom-niet")
    client.post(
        section_url(gentco, 2),
        {name: ["0", "3", "other"], f"{name}_other": "Nooit van gehoord", "go": "next"},
    )
    draft = Participation.objects.get(employee=bob).draft
    assert draft[question(gentco, "waarom-niet").key] == {
        "choices": ["Ik krijg het niet in handen", "Ik lees liever online"],
        "other": "Nooit van gehoord",
    }


def test_it_asks_why_not_only_to_those_who_never_read(client, bob, gentco):
    client.force_login(bob)
    client.post(reverse("surveys:start", args=[gentco.pk]))
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "3", "go": "next"})
    page = client.get(section_url(gentco, 2)).content.decode()
    assert "Waarom lees je gent&amp;co niet?" in page
    assert "Welke rubrieken lees je?" not in page

    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "1", "go": "next"})
    page = client.get(section_url(gentco, 2)).content.decode()
    assert "Waarom lees je gent&amp;co niet?" not in page
    assert "Welke rubrieken lees je?" in page


def test_it_drops_answers_to_questions_that_became_hidden(client, bob, gentco):
    client.force_login(bob)
    client.post(reverse("surveys:start", args=[gentco.pk]))
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "3", "go": "next"})
    client.post(section_url(gentco, 2), {field(gentco, "waarom-niet"): "1", "go": "next"})
    # Bob changes his mind: he does read it sometimes.
    answer_reader(client, gentco)
    client.post(reverse("surveys:review", args=[gentco.pk]))
    stored = Response.objects.get(survey=gentco).answers
    assert question(gentco, "waarom-niet").key not in stored


def test_it_resumes_after_the_session_ended(client, bob, gentco):
    client.force_login(bob)
    client.post(reverse("surveys:start", args=[gentco.pk]))
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "2", "go": "next"})
    client.post(
        section_url(gentco, 2),
        {field(gentco, "lengte"): "2", "go": "stay"},
        headers={"X-Autosave": "1"},
    )
    client.logout()

    assert client.login(username="bob", password=PASSWORD)
    start = client.get(reverse("surveys:start", args=[gentco.pk]))
    assert "Verder gaan waar je was" in start.content.decode()
    resumed = client.post(reverse("surveys:start", args=[gentco.pk]))
    assert resumed.url == section_url(gentco, 2)
    page = client.get(resumed.url).content.decode()
    assert f'name="{field(gentco, "lengte")}" value="2" checked' in page


def test_it_saves_as_you_go_with_javascript(client, bob, gentco):
    client.force_login(bob)
    response = client.post(
        section_url(gentco, 1),
        {field(gentco, "leesfrequentie"): "1"},
        headers={"X-Autosave": "1"},
    )
    assert response.json() == {"saved": True, "errors": {}}
    draft = Participation.objects.get(employee=bob).draft
    assert draft[question(gentco, "leesfrequentie").key] == {"choice": "Meestal"}


def test_it_writes_nothing_when_one_answer_is_wrong_but_keeps_what_was_typed(client, bob, gentco):
    client.force_login(bob)
    answer_reader(client, gentco)
    response = client.post(
        section_url(gentco, 3),
        {field(gentco, "aanbevelen"): "12", field(gentco, "meer-over"): "Sport", "go": "next"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een score van 0 tot 10." in page
    assert 'value="Sport"' in page
    draft = Participation.objects.get(employee=bob).draft
    assert draft[question(gentco, "meer-over").key] == "Veiligheid"
    assert draft[question(gentco, "aanbevelen").key] == 9


def test_it_requires_required_questions_before_moving_on(client, bob, gentco):
    client.force_login(bob)
    response = client.post(section_url(gentco, 1), {"go": "next"})
    assert response.status_code == 400
    assert "Deze vraag is verplicht." in response.content.decode()


def test_it_accepts_one_answer_per_person(client, bob, gentco):
    client.force_login(bob)
    answer_reader(client, gentco)
    client.post(reverse("surveys:review", args=[gentco.pk]))
    again = client.post(reverse("surveys:start", args=[gentco.pk]))
    assert again.status_code == 400
    assert "Je hebt deze enquête al beantwoord." in again.content.decode()
    second = client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0"})
    assert second.status_code == 400
    assert Response.objects.filter(survey=gentco).count() == 1


def test_it_refuses_answers_to_a_closed_survey(client, bob, gentco):
    client.force_login(bob)
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0", "go": "next"})
    assert Participation.objects.get(employee=bob).draft  # the control: open, it was kept
    gentco.status = Status.CLOSED
    gentco.save()
    response = client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "1"})
    assert response.status_code == 400
    assert "Deze enquête is afgesloten" in response.content.decode()
    submit = client.post(reverse("surveys:review", args=[gentco.pk]))
    assert submit.status_code == 400
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q999999": "1"}, "een vraag die hier niet gesteld wordt"),
        ({"q12abc": "1"}, "een veld dat niet bij deze enquête hoort"),
    ],
)
def test_it_refuses_a_forged_form_and_writes_nothing(client, bob, gentco, data, message):
    client.force_login(bob)
    data = {field(gentco, "leesfrequentie"): "0", **data}
    response = client.post(section_url(gentco, 1), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participation.objects.exists()
    # The control: the form as the page sent it is kept.
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0", "go": "next"})
    assert Participation.objects.get(employee=bob).draft


def test_it_refuses_an_answer_to_a_question_of_another_screen(client, bob, gentco):
    client.force_login(bob)
    response = client.post(
        section_url(gentco, 1),
        {field(gentco, "leesfrequentie"): "0", field(gentco, "aanbevelen"): "10"},
    )
    assert response.status_code == 400
    assert not Participation.objects.exists()
    # The control: this screen's own question alone is kept.
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0", "go": "next"})
    assert Participation.objects.get(employee=bob).draft


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("leesfrequentie", "7", "Kies een van de mogelijkheden."),
        ("leesfrequentie", "-1", "Kies een van de mogelijkheden."),
    ],
)
def test_it_refuses_a_value_out_of_range(client, bob, gentco, code, value, message):
    client.force_login(bob)
    response = client.post(section_url(gentco, 1), {field(gentco, code): value, "go": "next"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participation.objects.exists()
    # The control: a value in range is kept.
    client.post(section_url(gentco, 1), {field(gentco, code): "0", "go": "next"})
    assert Participation.objects.get(employee=bob).draft


def test_it_checks_scales_numbers_and_matrix_values(client, bob, gentco):
    client.force_login(bob)
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0", "go": "next"})
    response = client.post(
        section_url(gentco, 2),
        {
            field(gentco, "lengte"): "6",
            field(gentco, "rubrieken", "_r0"): "3",
            field(gentco, "vorm"): "other",
            "go": "next",
        },
    )
    page = response.content.decode()
    assert "Kies een punt op de schaal." in page
    assert "Kies voor elk item een punt op de schaal." in page
    assert "Beschrijf je antwoord bij \u2018andere\u2019." in page
    answer_reader(client, gentco)
    response = client.post(section_url(gentco, 3), {field(gentco, "leestijd"): "999"})
    assert "Geef een getal van 0 tot 180." in response.content.decode()


def test_it_hides_a_survey_from_people_outside_its_audience(client, carol, bob, gentco):
    gentco.audience.all_staff = False
    gentco.audience.save()
    gentco.audience.employees.add(bob)
    client.force_login(carol)
    assert client.get(reverse("surveys:start", args=[gentco.pk])).status_code == 404
    assert client.post(section_url(gentco, 1), {}).status_code == 404
    assert "gent&amp;co" not in client.get(reverse("surveys:list")).content.decode()
    client.force_login(bob)
    assert "gent&amp;co" in client.get(reverse("surveys:list")).content.decode()


def test_it_lists_open_unanswered_surveys_on_the_start_page(client, bob, gentco):
    client.force_login(bob)
    home = client.get(reverse("home")).content.decode()
    assert "Voor jou te doen" in home and "Enquête, tot" in home
    assert "Lezersbevraging gent&amp;co" in home
    answer_reader(client, gentco)
    client.post(reverse("surveys:review", args=[gentco.pk]))
    home = client.get(reverse("home")).content.decode()
    assert "Lezersbevraging gent&amp;co" not in home


def test_it_tells_respondents_when_a_survey_is_not_anonymous(client, bob, gentco):
    gentco.anonymity = "named"
    gentco.save()
    client.force_login(bob)
    page = client.get(reverse("surveys:start", args=[gentco.pk])).content.decode()
    assert "Niet anoniem." in page


def test_hr_finds_the_survey_tools_on_the_start_page(client, hr):
    verified_login(client, hr)
    home = client.get(reverse("home")).content.decode()
    assert "Enquêtes beheren" in home


def test_the_start_page_has_no_survey_panel_without_surveys(client, bob):
    client.force_login(bob)
    home = client.get(reverse("home")).content.decode()
    assert "Alles gelezen" in home and 'class="todo-row' not in home


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_open_surveys(count, owner, audience, respondent=None):
    from surveys import demo

    for index in range(count):
        survey = demo.build(f"Enquête {index}", owner, audience)
        survey.status = Status.OPEN
        survey.save()
        if respondent is not None:
            Participation.objects.create(
                survey=survey, employee=respondent, submitted=index % 2 == 0
            )


@pytest.mark.parametrize("url_name", ["surveys:list", "home"])
def test_the_survey_lists_need_the_same_queries_for_many_surveys(
    client, bob, hr, everyone, url_name
):
    client.force_login(bob)
    add_open_surveys(2, hr, everyone, bob)
    few = count_queries(client, reverse(url_name))
    add_open_surveys(10, hr, everyone, bob)
    assert count_queries(client, reverse(url_name)) == few


def test_the_manage_list_needs_the_same_queries_for_many_surveys(client, hr, everyone):
    verified_login(client, hr)
    add_open_surveys(2, hr, everyone)
    few = count_queries(client, reverse("surveys:manage"))
    add_open_surveys(10, hr, everyone)
    assert count_queries(client, reverse("surveys:manage")) == few


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("leestijd", "abc", "Geef een geheel getal."),
        ("leestijd", "-5", "Geef een getal van 0 tot 180."),
        ("meer-over", "x" * 201, "Dit antwoord is te lang."),
        ("aanbevelen", "11", "Kies een score van 0 tot 10."),
    ],
)
def test_it_refuses_bad_numbers_scores_and_texts(client, bob, gentco, code, value, message):
    client.force_login(bob)
    answer_reader(client, gentco)
    before = Participation.objects.get(employee=bob).draft
    response = client.post(section_url(gentco, 3), {field(gentco, code): value, "go": "next"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Participation.objects.get(employee=bob).draft == before


def test_an_autosave_with_a_wrong_answer_writes_nothing(client, bob, gentco):
    client.force_login(bob)
    response = client.post(
        section_url(gentco, 1), {field(gentco, "leesfrequentie"): "9"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        question(gentco, "leesfrequentie").key: "Kies een van de mogelijkheden."
    }
    assert not Participation.objects.exists()
    # The control: the autosave of a good answer is kept.
    response = client.post(
        section_url(gentco, 1), {field(gentco, "leesfrequentie"): "2"}, headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200
    assert Participation.objects.get(employee=bob).draft


def test_a_matrix_counts_as_answered_only_when_every_item_is(client, bob, gentco):
    client.force_login(bob)
    client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0", "go": "next"})
    response = client.post(
        section_url(gentco, 2),
        {
            field(gentco, "rubrieken", "_r0"): "0",
            field(gentco, "vorm"): "0",
            field(gentco, "lengte"): "3",
            field(gentco, "opmaak"): "3",
            "go": "next",
        },
    )
    assert response.status_code == 400
    assert "Deze vraag is verplicht." in response.content.decode()


def test_the_preview_saves_nothing(client, hr, gentco):
    verified_login(client, hr)
    page = client.get(reverse("surveys:preview", args=[gentco.pk, 2])).content.decode()
    assert "Waarom lees je gent&amp;co niet?" in page
    assert "data-autosave" not in page
    assert not Participation.objects.exists()
    # The control: the page a respondent answers on does save as they go.
    client.force_login(EmployeeFactory())
    assert "data-autosave" in client.get(section_url(gentco, 1)).content.decode()


def test_save_and_stop_keeps_the_answers_and_says_so(client, bob, gentco):
    client.force_login(bob)
    response = client.post(
        section_url(gentco, 1), {field(gentco, "leesfrequentie"): "2", "go": "stay"}, follow=True
    )
    page = response.content.decode()
    assert "Je antwoorden zijn bewaard. Ga verder wanneer het jou past." in page
    assert "Verder gaan waar je was" in page
    assert Participation.objects.get(employee=bob).draft


def test_a_survey_past_its_closing_time_leaves_the_lists_before_the_tick(client, bob, gentco):
    from datetime import timedelta

    import time_machine

    client.force_login(bob)
    assert "gent&amp;co" in client.get(reverse("surveys:list")).content.decode()  # the control
    with time_machine.travel(gentco.closes_at + timedelta(minutes=1)):
        client.force_login(bob)
        assert "gent&amp;co" not in client.get(reverse("surveys:list")).content.decode()
        response = client.post(section_url(gentco, 1), {field(gentco, "leesfrequentie"): "0"})
        assert response.status_code == 400
    assert not Participation.objects.exists()


def test_the_api_lists_the_open_surveys_waiting_for_me(client, bob, carol, gentco):
    from workplace.api import issue_token

    key = issue_token(bob, "gsm-app")
    response = client.get("/api/v1/surveys/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["title"] == "Lezersbevraging gent&co"
    assert item["anonymous"] is True
    assert item["started"] is False
    gentco.audience.all_staff = False
    gentco.audience.save()
    gentco.audience.employees.add(bob)
    other = client.get(
        "/api/v1/surveys/", headers={"Authorization": f"Bearer {issue_token(carol, 'x')}"}
    )
    assert other.json() == {"results": []}
    assert client.get("/api/v1/surveys/").json()["error"]["code"] == "not_authenticated"
