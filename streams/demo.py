"""A living organisation for ``seed_demo``: spaces, months of posts, comments,
reactions, follows and mentions, in Dutch.

Written with bulk inserts (no events, no notifications per row), so the whole
seeder stays well under 30 seconds. Idempotent: a second run leaves it alone.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from notifications.models import Notification, NotificationKind
from streams import text
from streams.models import (
    Activity,
    AudienceKind,
    Comment,
    Follow,
    FollowKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    Post,
    Reaction,
    ReactionKind,
    Space,
    SpaceKind,
    Topic,
    Verb,
)
from workplace.models import Department, Employee

DASH = "\u2013"  # an en dash, as the communication team writes it
DAYS = 180
POSTS = 2400
ANNOUNCEMENTS = 30

SPACES = [
    (
        f"Gentse Feesten 2026 {DASH} opbouw",
        SpaceKind.CLOSED,
        "Planning en afspraken voor de opbouw van podia, nadars en signalisatie.",
        45,
    ),
    (
        "Fietsherstelplaats",
        SpaceKind.OPEN,
        "Dienstfietsen laten herstellen, tips en wisselstukken.",
        60,
    ),
    (
        "Moestuin Bourgoyen",
        SpaceKind.OPEN,
        "Samen tuinieren naast het depot van de Groendienst.",
        25,
    ),
    (
        "Loopgroep Stad Gent",
        SpaceKind.OPEN,
        "Na het werk samen lopen: Blaarmeersen, Watersportbaan, Citadelpark.",
        40,
    ),
    (
        f"Digitale werkplek {DASH} testers",
        SpaceKind.CLOSED,
        "Wie Werkplek als eerste test, meldt hier wat beter kan.",
        20,
    ),
    (
        "Zonnepanelen op stadsgebouwen",
        SpaceKind.OPEN,
        "Opvolging van de werven en de opbrengst per gebouw.",
        30,
    ),
]
SPACE_MEMBERS = {
    "Fietsherstelplaats": ["terrein", "kantoor"],
    "Loopgroep Stad Gent": ["kantoor", "hr"],
    f"Gentse Feesten 2026 {DASH} opbouw": ["admin", "terrein"],
    f"Digitale werkplek {DASH} testers": ["communicatie", "admin", "kantoor"],
}
SPACE_MANAGERS = {
    f"Digitale werkplek {DASH} testers": "communicatie",
    "Fietsherstelplaats": "terrein",
}

TOPICS = {
    "gentsefeesten": [
        "De nadars voor de Korenmarkt staan klaar",
        "Wie helpt zaterdag bij de opbouw van het podium op het Sint-Baafsplein?",
        "Signalisatieplan voor de Vrijdagmarkt is aangepast",
    ],
    "fiets": [
        "Mijn dienstfiets heeft een lekke band, wie kan helpen?",
        "Nieuwe fietsenstalling aan het AC is open",
        "Tip: de fietsherstelplaats heeft nieuwe remblokjes",
    ],
    "veiligheid": [
        "Denk aan je veiligheidsschoenen op de werf",
        "Nieuwe valbeveiliging voor werken op hoogte",
        "Gebruik de ladder niet bij windkracht 6",
    ],
    "welzijn": [
        "Vergeet niet te pauzeren bij de hitte vandaag",
        "Gratis griepprik volgende week in het AC",
        "De stoelmassage is terug op donderdag",
    ],
    "duurzaamheid": [
        "De zonnepanelen op de stelplaats leverden deze maand 12 MWh",
        "Vanaf maandag sorteren we ook zachte plastics",
        "Minder papier: de loonfiches komen digitaal",
    ],
    "opleiding": [
        "Nog plaatsen vrij voor de EHBO-opleiding",
        "Opleiding heftruck op 14 december",
        "Wie volgde al de cursus eenvoudig schrijven?",
    ],
    "groendienst": [
        "De bomen in het Citadelpark worden gesnoeid",
        "Nieuwe bloembakken voor de Veldstraat",
        "Het kweekcentrum zoekt helpende handen",
    ],
    "verlof": [
        "Denk eraan je verlof voor de eindejaarsperiode aan te vragen",
        "Wie werkt tussen kerst en nieuw?",
        "Overzicht brugdagen 2027 staat online",
    ],
}
OPENERS = [
    "",
    "Goeiemorgen collega's! ",
    "Even laten weten: ",
    "Vraagje: ",
    "Goed nieuws: ",
    "Ter info: ",
]
CLOSERS = [
    "",
    " Bedankt!",
    " Laat maar weten.",
    " 👍",
    " Meer info bij je ploegbaas.",
    " Fijne dag nog!",
]
COMMENTS = [
    "Top, bedankt!",
    "Goed om te weten.",
    "Ik help graag mee.",
    "Waar kan ik me inschrijven?",
    "Dat is al geregeld bij ons.",
    "Mooi werk, ploeg!",
    "Kan dit ook op zaterdag?",
    "Ik stuur het door naar mijn team.",
    "Eindelijk!",
    "Wie is de contactpersoon?",
]
ANNOUNCEMENT_TEXTS = [
    "**Nieuwe werkplek-app** — vanaf vandaag lees je het nieuws ook op je gsm.",
    "De eindejaarsreceptie vindt plaats op 19 december in het Stadhuis.",
    "Vanaf 1 januari verandert de regeling voor woon-werkverkeer. Lees de circulaire.",
    "Onze stad kreeg het label *Fietsvriendelijke werkgever*. Proficiat aan iedereen!",
    "Tijdens de Gentse Feesten gelden aangepaste uurroosters voor de veegploegen.",
]


def _post_text(rng: random.Random, people: list[Employee]) -> str:
    topic = rng.choice(list(TOPICS))
    body = rng.choice(OPENERS) + rng.choice(TOPICS[topic]) + rng.choice(CLOSERS)
    if rng.random() < 0.6:
        body += f" #{topic}"
    if rng.random() < 0.12:
        body += f" @{rng.choice(people).username}"
    if rng.random() < 0.08:
        body += "\n\n- eerst aanmelden\n- dan je badge tonen"
    return body


def seed(rng: random.Random) -> None:
    if Space.objects.filter(slug="fietsherstelplaats").exists():
        return
    employees = list(Employee.objects.filter(is_active=True).select_related("department"))
    if not employees:
        return
    with transaction.atomic():
        _seed(rng, employees)


def _seed(rng: random.Random, employees: list[Employee]) -> None:
    now = timezone.now()
    by_username = {e.username: e for e in employees}
    departments = {d.pk: d for d in Department.objects.all()}
    start = now - timedelta(days=DAYS)

    def moment() -> timezone.datetime:
        # More activity in recent weeks, and during working hours.
        day = int(DAYS * (1 - rng.random() ** 1.6))
        stamp = start + timedelta(days=day, hours=rng.randint(7, 17), minutes=rng.randint(0, 59))
        return min(stamp, now - timedelta(minutes=rng.randint(1, 90)))

    # The random draws happen in this order; changing it changes the whole demo.
    spaces = _seed_spaces(rng, employees, by_username, start)
    topics = {name: Topic.objects.get_or_create(name=name)[0] for name in TOPICS}
    topics_by_id = {t.name: t for t in topics.values()}

    posts, post_mentions = _seed_posts(
        rng, employees, by_username, departments, spaces, topics_by_id, moment
    )
    _seed_comments_and_reactions(rng, employees, posts, now)
    _seed_follows(rng, employees, list(topics.values()), departments)
    _seed_notifications(rng, employees, by_username, posts, post_mentions, now)


def _seed_spaces(
    rng: random.Random, employees: list[Employee], by_username: dict[str, Employee], start
) -> list[tuple[Space, list[Employee]]]:
    """Spaces and their members (one colleague waits for approval)."""
    spaces: list[tuple[Space, list[Employee]]] = []
    for name, kind, description, size in SPACES:
        creator = by_username.get(SPACE_MANAGERS.get(name, "")) or rng.choice(employees)
        space = Space.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            description=description,
            created=start,
            created_by=creator,
        )
        members = {creator.pk: creator}
        for username in SPACE_MEMBERS.get(name, []):
            if username in by_username:
                members[by_username[username].pk] = by_username[username]
        for person in rng.sample(employees, min(size, len(employees))):
            members.setdefault(person.pk, person)
        Membership.objects.bulk_create(
            Membership(
                space=space,
                employee=person,
                created=start,
                role=MembershipRole.MANAGER if person == creator else MembershipRole.MEMBER,
                status=MembershipStatus.ACTIVE,
            )
            for person in members.values()
        )
        spaces.append((space, list(members.values())))
    pending = by_username.get("kantoor")
    if pending:
        feesten = spaces[0][0]
        Membership.objects.get_or_create(
            space=feesten, employee=pending, defaults={"status": MembershipStatus.PENDING}
        )
    return spaces


def _seed_posts(
    rng: random.Random,
    employees: list[Employee],
    by_username: dict[str, Employee],
    departments: dict[int, Department],
    spaces: list[tuple[Space, list[Employee]]],
    topics_by_id: dict[str, Topic],
    moment,
) -> tuple[list[Post], list[list[Employee]]]:
    """Posts, with their activities: the posts and whom each one mentions."""
    people = {e.username: e for e in employees}
    posts: list[Post] = []
    post_topics: list[list[str]] = []
    post_mentions: list[list[Employee]] = []
    communication = by_username.get("communicatie")
    for number in range(POSTS + ANNOUNCEMENTS):
        created = moment()
        if number >= POSTS and communication:
            author, body = communication, rng.choice(ANNOUNCEMENT_TEXTS)
            kind, department, space, announcement = AudienceKind.ALL, None, None, True
        else:
            author = rng.choice(employees)
            body = _post_text(rng, employees)
            roll = rng.random()
            department = space = None
            announcement = False
            if roll < 0.22 and author.department_id:
                kind = AudienceKind.DEPARTMENT
                ancestors = author.department.ancestor_ids()
                department = departments[rng.choice(ancestors[-2:])]
            elif roll < 0.42:
                space, members = rng.choice(spaces)
                author = rng.choice(members)
                kind = AudienceKind.SPACE
            else:
                kind = AudienceKind.ALL
        rendered = text.render(body, people)
        posts.append(
            Post(
                author=author,
                body=body,
                body_html=rendered.html,
                audience_kind=kind,
                department=department,
                space=space,
                is_announcement=announcement,
                created=created,
            )
        )
        post_topics.append(rendered.topics)
        post_mentions.append(rendered.mentions)
    posts = Post.objects.bulk_create(posts)
    for post in sorted(posts, key=lambda p: p.created, reverse=True)[:200]:
        if post.is_announcement:
            Post.objects.filter(pk=post.pk).update(pinned=post.created)
            break

    Post.topics.through.objects.bulk_create(
        Post.topics.through(post_id=post.pk, topic_id=topics_by_id[name].pk)
        for post, names in zip(posts, post_topics, strict=True)
        for name in names
        if name in topics_by_id
    )
    Post.mentions.through.objects.bulk_create(
        Post.mentions.through(post_id=post.pk, employee_id=person.pk)
        for post, mentioned in zip(posts, post_mentions, strict=True)
        for person in mentioned
    )
    activities = Activity.objects.bulk_create(
        Activity(
            verb=Verb.POSTED,
            actor_id=post.author_id,
            post=post,
            audience_kind=post.audience_kind,
            department=post.department,
            space=post.space,
            is_announcement=post.is_announcement,
            created=post.created,
        )
        for post in posts
    )
    Activity.topics.through.objects.bulk_create(
        Activity.topics.through(activity_id=activity.pk, topic_id=topics_by_id[name].pk)
        for activity, names in zip(activities, post_topics, strict=True)
        for name in names
        if name in topics_by_id
    )
    return posts, post_mentions


def _seed_comments_and_reactions(
    rng: random.Random, employees: list[Employee], posts: list[Post], now
) -> None:
    """Comments (with their activities) and reactions."""
    comments: list[Comment] = []
    for post in rng.sample(posts, len(posts) // 2):
        for _index in range(rng.randint(1, 4)):
            body = rng.choice(COMMENTS)
            comments.append(
                Comment(
                    post=post,
                    author=rng.choice(employees),
                    body=body,
                    body_html=text.render(body, {}).html,
                    created=post.created + timedelta(minutes=rng.randint(5, 2000)),
                )
            )
    comments = Comment.objects.bulk_create([c for c in comments if c.created < now])
    Activity.objects.bulk_create(
        Activity(
            verb=Verb.COMMENTED,
            actor_id=c.author_id,
            post=c.post,
            comment=c,
            audience_kind=c.post.audience_kind,
            department=c.post.department,
            space=c.post.space,
            created=c.created,
        )
        for c in comments
    )
    reactions = []
    kinds = ReactionKind.values
    for post in posts:
        for person in rng.sample(employees, rng.choice([0, 1, 2, 3, 5, 8, 13])):
            reactions.append(
                Reaction(post=post, employee=person, kind=rng.choice(kinds), created=post.created)
            )
    Reaction.objects.bulk_create(reactions, ignore_conflicts=True)


def _seed_follows(
    rng: random.Random,
    employees: list[Employee],
    topic_list: list[Topic],
    departments: dict[int, Department],
) -> None:
    """Follows: colleagues (mostly nearby), topics, a department, a space."""
    follows = []
    for person in employees:
        nearby = [e for e in employees if e.department_id == person.department_id and e != person]
        chosen = set(e.pk for e in rng.sample(nearby, min(len(nearby), rng.randint(2, 6))))
        chosen |= {e.pk for e in rng.sample(employees, rng.randint(2, 8)) if e != person}
        follows += [
            Follow(follower=person, kind=FollowKind.EMPLOYEE, target_id=pk) for pk in chosen
        ]
        follows += [
            Follow(follower=person, kind=FollowKind.TOPIC, target_id=t.pk)
            for t in rng.sample(topic_list, rng.randint(0, 3))
        ]
        if rng.random() < 0.3:
            follows.append(
                Follow(
                    follower=person,
                    kind=FollowKind.DEPARTMENT,
                    target_id=rng.choice(list(departments)),
                )
            )
    Follow.objects.bulk_create(follows, ignore_conflicts=True)


def _seed_notifications(
    rng: random.Random,
    employees: list[Employee],
    by_username: dict[str, Employee],
    posts: list[Post],
    post_mentions: list[list[Employee]],
    now,
) -> None:
    """Something in the demo logins' bells: mentions and grouped reactions."""
    post_type = ContentType.objects.get_for_model(Post)
    lines = []
    for post, mentioned in zip(posts, post_mentions, strict=True):
        for person in mentioned:
            if person.pk != post.author_id and post.created > now - timedelta(days=14):
                lines.append(
                    Notification(
                        recipient=person,
                        kind=NotificationKind.MENTION,
                        actor_id=post.author_id,
                        target_type=post_type,
                        target_id=post.pk,
                        title=post.body[:80],
                        url=post.get_absolute_url(),
                        created=post.created,
                        updated=post.created,
                    )
                )
    Notification.objects.bulk_create(lines)
    demo_ids = {
        by_username[u].pk for u in ("kantoor", "terrein", "communicatie") if u in by_username
    }
    for post in [p for p in posts if p.author_id in demo_ids][-6:]:
        fans = rng.sample(employees, 5)
        line = Notification.objects.create(
            recipient_id=post.author_id,
            kind=NotificationKind.REACTION,
            actor=fans[-1],
            actor_count=len(fans),
            target=post,
            title=post.body[:80],
            url=post.get_absolute_url(),
            group_key=f"reaction:post:{post.pk}",
            created=post.created,
            updated=post.created + timedelta(hours=2),
        )
        line.actors.set(fans)
