"""Demo content: the gent&co reader survey, open now, and last year's closed edition."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from surveys.actions import copy_audience, reporting_unit
from surveys.models import (
    OTHER,
    Anonymity,
    Kind,
    Participation,
    Question,
    Response,
    Section,
    Status,
    Survey,
    week_of,
)
from workplace.models import Audience, Employee

TITLE = "Lezersbevraging gent&co"
FREQUENCY = ["Elk nummer", "Meestal", "Soms", "Nooit"]
WHY_NOT = [
    "Ik krijg het niet in handen",
    "Ik heb er geen tijd voor",
    "De onderwerpen spreken me niet aan",
    "Ik lees liever online",
    "De artikels zijn te lang",
]
SECTIONS_OF_MAGAZINE = [
    "Nieuws uit de diensten",
    "Collega in de kijker",
    "Personeelsvoordelen",
    "HR-info en loopbaan",
    "Puzzel en wedstrijd",
    "Column van de algemeen directeur",
]
OFTEN = ["altijd", "soms", "nooit"]
FORMAT = ["Op papier", "Online op Werkplek", "Allebei"]
READERS = FREQUENCY[:3]

STRUCTURE: list[dict[str, Any]] = [
    {
        "title": "Jij en gent&co",
        "intro": (
            "gent&co is het personeelsblad van Stad en OCMW Gent. We horen graag hoe jij het leest."
        ),
        "questions": [
            dict(
                code="leesfrequentie",
                kind=Kind.SINGLE,
                text="Hoe vaak lees je gent&co?",
                choices=FREQUENCY,
            ),
        ],
    },
    {
        "title": "Waarom niet?",
        "intro": "",
        "questions": [
            dict(
                code="waarom-niet",
                kind=Kind.MULTIPLE,
                allow_other=True,
                text="Waarom lees je gent&co niet?",
                help_text="Duid aan wat voor jou klopt.",
                choices=WHY_NOT,
                condition=("leesfrequentie", ["Nooit"]),
            ),
        ],
    },
    {
        "title": "Wat je leest",
        "intro": "",
        "questions": [
            dict(
                code="rubrieken",
                kind=Kind.MATRIX,
                text="Welke rubrieken lees je?",
                rows=SECTIONS_OF_MAGAZINE,
                choices=OFTEN,
                condition=("leesfrequentie", READERS),
            ),
            dict(
                code="vorm",
                kind=Kind.SINGLE,
                allow_other=True,
                text="Hoe lees je gent&co het liefst?",
                choices=FORMAT,
                condition=("leesfrequentie", READERS),
            ),
            dict(
                code="lengte",
                kind=Kind.LIKERT,
                text="De artikels hebben de juiste lengte.",
                condition=("leesfrequentie", READERS),
            ),
            dict(
                code="opmaak",
                kind=Kind.LIKERT,
                text="gent&co ziet er aantrekkelijk uit.",
                condition=("leesfrequentie", READERS),
            ),
        ],
    },
    {
        "title": "Je mening",
        "intro": "Nog drie korte vragen. De laatste twee mag je overslaan.",
        "questions": [
            dict(
                code="aanbevelen",
                kind=Kind.NPS,
                text="Hoe waarschijnlijk is het dat je gent&co aanraadt aan een collega?",
                help_text="0 = helemaal niet, 10 = zeker wel",
            ),
            dict(
                code="leestijd",
                kind=Kind.NUMBER,
                required=False,
                min_value=0,
                max_value=180,
                text="Hoeveel minuten lees je ongeveer in één nummer?",
            ),
            dict(
                code="meer-over",
                kind=Kind.SHORT_TEXT,
                required=False,
                text="Over welk onderwerp wil je meer lezen?",
            ),
            dict(
                code="aantrekkelijker",
                kind=Kind.LONG_TEXT,
                required=False,
                text="Wat zou gent&co aantrekkelijker maken?",
            ),
        ],
    },
]

TOPICS = [
    "Nieuwe collega's",
    "Projecten in de wijken",
    "Veiligheid op het werk",
    "Opleidingen",
    "Verhalen van de terreinploegen",
    "Duurzaamheid",
    "Personeelsvoordelen",
]
IDEAS = [
    "Meer foto's van collega's op het terrein.",
    "Kortere artikels, ik lees het tijdens de pauze.",
    "Een versie die je op je gsm kan lezen.",
    "Minder over beleid, meer over de mensen.",
    "Het blad komt niet altijd tot in ons depot.",
    "Een rubriek met vragen van collega's aan HR.",
    "Grotere letters alsjeblieft.",
    "Meer nieuws uit het OCMW.",
    "Vaker verschijnen, maar dunner.",
]


def build(title: str, owner: Employee, audience: Audience) -> Survey:
    survey = Survey.objects.create(
        title=title,
        intro=(
            "Hoe vind jij gent&co? Deze bevraging duurt ongeveer drie minuten. "
            "Ze is anoniem: je antwoorden worden los van je naam bewaard."
        ),
        audience=audience,
        anonymity=Anonymity.ANONYMOUS,
    )
    survey.owners.add(owner)
    by_code: dict[str, Question] = {}
    for position, spec in enumerate(STRUCTURE, start=1):
        section = Section.objects.create(
            survey=survey, position=position, title=spec["title"], intro=spec["intro"]
        )
        for number, question_spec in enumerate(spec["questions"], start=1):
            fields = dict(question_spec)
            condition = fields.pop("condition", None)
            question = Question(section=section, position=number, **fields)
            if condition:
                question.condition_question = by_code[condition[0]]
                question.condition_values = condition[1]
            question.save()
            by_code[question.code] = question
    return survey


def simulated_answers(rng: random.Random, employee: Employee, questions: dict[str, Question]):
    field = employee.is_field_worker
    frequency = rng.choices(FREQUENCY, weights=[2, 3, 4, 3] if field else [4, 4, 2, 1])[0]
    answers: dict[str, Any] = {questions["leesfrequentie"].key: {"choice": frequency}}
    if frequency == "Nooit":
        reasons = rng.sample(WHY_NOT, rng.randint(1, 2))
        if field and "Ik krijg het niet in handen" not in reasons and rng.random() < 0.5:
            reasons.append("Ik krijg het niet in handen")
        value: dict[str, Any] = {"choices": reasons}
        if rng.random() < 0.1:
            value["other"] = "Ik wist niet dat het bestond"
        answers[questions["waarom-niet"].key] = value
    else:
        answers[questions["rubrieken"].key] = {
            row: rng.choices(OFTEN, weights=weights)[0]
            for row, weights in zip(
                SECTIONS_OF_MAGAZINE,
                [[5, 4, 1], [6, 3, 1], [4, 4, 2], [3, 5, 2], [2, 3, 5], [1, 4, 5]],
                strict=True,
            )
        }
        vorm = rng.choices([*FORMAT, OTHER], weights=[6, 2, 3, 0.3] if field else [3, 5, 3, 0.3])[0]
        answers[questions["vorm"].key] = (
            {"choice": OTHER, "other": "Voorgelezen in de ploegvergadering"}
            if vorm == OTHER
            else {"choice": vorm}
        )
        answers[questions["lengte"].key] = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 6, 2])[0]
        answers[questions["opmaak"].key] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 7, 3])[0]
    answers[questions["aanbevelen"].key] = rng.choices(
        range(11), weights=[1, 1, 1, 2, 2, 4, 6, 9, 9, 5, 3]
    )[0]
    if rng.random() < 0.7:
        answers[questions["leestijd"].key] = rng.choice([5, 10, 10, 15, 15, 20, 30, 45])
    if rng.random() < 0.3:
        answers[questions["meer-over"].key] = rng.choice(TOPICS)
    if rng.random() < 0.25:
        answers[questions["aantrekkelijker"].key] = rng.choice(IDEAS)
    return answers


def seed(rng: random.Random) -> None:
    if Survey.objects.filter(title__startswith=TITLE).exists():
        return
    owner = Employee.objects.filter(username="hr").first()
    if owner is None:
        return
    now = timezone.now()
    with transaction.atomic():
        audience = Audience.objects.create(all_staff=True)
        previous = build(f"{TITLE} 2025", owner, audience)
        previous.opens_at = now - timedelta(days=380)
        previous.closes_at = now - timedelta(days=359)
        previous.status = Status.CLOSED
        previous.save(update_fields=["opens_at", "closes_at", "status"])
        questions = {q.code: q for q in Question.objects.filter(section__survey=previous)}
        people = list(
            Employee.objects.filter(is_active=True)
            .exclude(username__in=["hr", "kantoor", "terrein", "communicatie", "redactie"])
            .select_related("department")
        )
        respondents = [p for p in people if rng.random() < (0.45 if p.is_field_worker else 0.7)]
        units = {}
        responses, participations = [], []
        for person in respondents:
            if person.department_id not in units:
                units[person.department_id] = reporting_unit(person)
            responses.append(
                Response(
                    survey=previous,
                    week=week_of((previous.opens_at + timedelta(days=rng.randint(0, 20))).date()),
                    unit=units[person.department_id],
                    site_id=person.site_id,
                    is_field_worker=person.is_field_worker,
                    answers=simulated_answers(rng, person, questions),
                )
            )
            participations.append(Participation(survey=previous, employee=person, submitted=True))
        # Shuffled apart: the two tables share no order either.
        rng.shuffle(responses)
        Response.objects.bulk_create(responses)
        Participation.objects.bulk_create(participations)

        current = build(f"{TITLE} 2026", owner, copy_audience(audience))
        current.previous_edition = previous
        current.opens_at = now - timedelta(days=1)
        current.closes_at = now + timedelta(days=20)
        current.status = Status.OPEN
        current.save(update_fields=["previous_edition", "opens_at", "closes_at", "status"])
