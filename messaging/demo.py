"""Demo conversations for ``manage.py seed_demo`` (Dutch, with some history)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from messaging.models import Conversation, ConversationKind, MemberRole, Membership, Message
from workplace.models import Employee

DIRECT = [
    (
        "kantoor",
        "terrein",
        [
            ("kantoor", "Dag! Kun je vandaag nog langs de Bourgoyen voor die lekkende kraan?"),
            ("terrein", "Ja, rond 14 uur. Heb je het ticketnummer?"),
            ("kantoor", "Het is 2026-4711. Laat maar weten als je onderdelen nodig hebt."),
            ("terrein", "Top, ik stuur een foto als het gemaakt is 👍"),
        ],
    ),
    (
        "hr",
        "kantoor",
        [
            ("hr", "Hoi, je aanvraag voor de opleiding **Excel gevorderd** is goedgekeurd."),
            ("kantoor", "Super, dank je! Wanneer start die?"),
            ("hr", "Dinsdag 8 december om 9 uur in het AC, lokaal 2.14."),
        ],
    ),
    (
        "communicatie",
        "redactie",
        [
            (
                "communicatie",
                "Kan het artikel over de nieuwe depots nog mee in de volgende gent&co?",
            ),
            ("redactie", "Als de foto's er vrijdag zijn, dan wel."),
        ],
    ),
]

GROUPS = [
    (
        "Ploeg Onderhoud Noord",
        "terrein",
        "FM-ON",
        [
            "Goeiemorgen ploeg! Vandaag eerst naar het Stadhuis, daarna de scholen.",
            "Wie heeft de sleutel van bestelwagen 3?",
            "Die hangt in het kastje bij de ploegbaas.",
            "Opgelet: de lift in het AC is buiten dienst, gebruik de trap.",
            "Vergeet de veiligheidsschoenen niet op de werf vandaag.",
        ],
    ),
    (
        "Redactie intranet",
        "redactie",
        "COM-IC",
        [
            "Nieuwe circulaire over thuiswerk staat klaar om na te lezen.",
            "Ik kijk er vanmiddag naar.",
            "Graag tegen donderdag, dan kan ze vrijdag online.",
        ],
    ),
]


def _user(username: str) -> Employee | None:
    return Employee.objects.filter(username=username).first()


def _history(chat: Conversation, lines: list[tuple[Employee, str]], rng: random.Random) -> None:
    if chat.messages.exists():
        return  # idempotent: the same run twice leaves the same rows
    moment = timezone.now() - timedelta(days=2)
    last = None
    for index, (sender, body) in enumerate(lines):
        moment += timedelta(minutes=rng.randint(2, 90))
        last = Message.objects.create(
            conversation=chat,
            sender=sender,
            client_id=f"demo-{chat.pk}-{index}",
            body=body,
            created=moment,
        )
    if last:
        Conversation.objects.filter(pk=chat.pk).update(
            last_message_id=last.pk, last_activity=last.created
        )
        # Everyone has read all but the last message: a little unread to see.
        chat.memberships.update(last_read_id=last.pk - 1)
        chat.memberships.filter(user=last.sender).update(last_read_id=last.pk)


def seed_conversations(rng: random.Random) -> None:
    with transaction.atomic():
        for first, second, lines in DIRECT:
            a, b = _user(first), _user(second)
            if not (a and b):
                continue
            low, high = sorted([a.pk, b.pk])
            chat, _created = Conversation.objects.get_or_create(
                direct_key=f"{low}:{high}",
                defaults={"kind": ConversationKind.DIRECT, "created_by": a},
            )
            for person in (a, b):
                Membership.objects.get_or_create(
                    conversation=chat, user=person, defaults={"role": MemberRole.ADMIN}
                )
            people = {first: a, second: b}
            _history(chat, [(people[who], text) for who, text in lines], rng)
        for name, admin_name, department, lines in GROUPS:
            admin = _user(admin_name)
            if admin is None:
                continue
            chat, _created = Conversation.objects.get_or_create(
                kind=ConversationKind.GROUP, name=name, defaults={"created_by": admin}
            )
            Membership.objects.get_or_create(
                conversation=chat, user=admin, defaults={"role": MemberRole.ADMIN}
            )
            team = list(
                Employee.objects.filter(department__code=department, is_active=True)
                .exclude(pk=admin.pk)
                .order_by("pk")[:15]
            )
            for person in team:
                Membership.objects.get_or_create(conversation=chat, user=person)
            speakers = [admin, *team] if team else [admin]
            _history(chat, [(rng.choice(speakers), text) for text in lines], rng)
