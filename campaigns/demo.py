"""Demo campaigns for ``seed_demo``: two that ran this autumn, one that runs now.

The policy note's themes (2.5.8): "Gezond op het werk" (well-being) and "Fier op ons
werk" (pride in the job) are over, with their reach measured; "Gent klimaatstad"
(sustainability) runs, with two items out and two scheduled. Three more
announcements are scheduled in the same week as the campaign's next item, so that
the calendar warns that field workers of Openbare Werken would get more than the
weekly limit (``CAMPAIGN_WEEKLY_LIMIT``).

Announcements are published with ``do_publish`` at their past moment (the
activity, the delivery count and the notifications, which are then dated back and,
for whoever saw the item, read), and their reach is recorded with
``campaigns.reach.record`` as the pages would have: field workers mostly on the
shared terminals and through the posters' QR codes, office workers mostly on the
web, some by e-mail and push. ``do_acknowledge`` has no clock of its own, so the
confirmations it counts (stage ``ACKNOWLEDGED``) fall on the day of seeding; their
``at`` is dated back.

Idempotent: a second run finds the campaigns and leaves everything alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from campaigns import actions, reach
from campaigns.models import (
    Acknowledgement,
    Announcement,
    Campaign,
    ReachChannel,
    Stage,
    Theme,
)
from kus.models import Directive, Status
from kus.text import render_markdown
from workplace.audiences import members
from workplace.models import Audience, Department, Employee
from workplace.roles import Role

OWNER = "communicatie"


@dataclass(frozen=True)
class Item:
    title: str
    body: str
    day: int  # days from today: negative is published, positive is scheduled
    hour: int = 9
    requires_ack: bool = False
    directive: str = ""  # the key of a demo directive (kus/demo_directives.yaml)
    link_url: str = ""


@dataclass(frozen=True)
class Plan:
    title: str
    goal: str
    theme: str
    starts: int  # days from today
    ends: int
    audience: str  # "all", or department codes (with their sub-departments), comma-separated
    items: tuple[Item, ...] = field(default_factory=tuple)


CAMPAIGNS = (
    Plan(
        "Gezond op het werk",
        "Elke collega kent het aanbod rond welzijn op het werk: de vertrouwenspersonen, "
        "ergonomie op de werf en aan het bureau, beweging en mentale veerkracht.",
        Theme.WELLBEING,
        -82,
        -48,
        "all",
        (
            Item(
                "Gezond op het werk: zes weken aandacht voor jezelf",
                "Vanaf vandaag zetten we zes weken lang **welzijn op het werk** in de kijker. "
                "Elke week vind je hier een tip, een verhaal van een collega en het aanbod "
                "van de Dienst Preventie en Bescherming op het Werk.\n\n"
                "Doe mee, op de werf, in het depot of op kantoor.",
                -80,
            ),
            Item(
                "Tillen zonder rugpijn: ergonomie op de werf en aan het bureau",
                "Rugklachten zijn de eerste reden van ziekteverzuim bij de stad. "
                "De preventieadviseurs komen langs in de depots met een korte demonstratie "
                "'veilig tillen' en geven op kantoor advies over je bureau en je scherm.\n\n"
                "- Bourgoyen en Eedverbond: dinsdagochtend bij de koffie\n"
                "- Administratief Centrum: elke donderdag, verdieping 3",
                -73,
                hour=8,
                link_url="https://stad.gent/nl/werken-bij-stad-gent",
            ),
            Item(
                "Grensoverschrijdend gedrag: bij wie kan je terecht?",
                "Pesten, intimidatie of ongewenst gedrag horen niet thuis op het werk. "
                "Lees in de richtlijn bij wie je terecht kan: je leidinggevende, een "
                "vertrouwenspersoon of de preventieadviseur psychosociale aspecten. "
                "Wat je vertelt, blijft vertrouwelijk.",
                -65,
                directive="grensoverschrijdend",
            ),
            Item(
                "Nieuwe afspraken over pauzes bij zwaar werk",
                "Wie zwaar fysiek werk doet, neemt vanaf 1 oktober elke twee uur een korte "
                "pauze van tien minuten, bovenop de middagpauze. Je ploegbaas plant ze mee "
                "in. **Lees de afspraken en bevestig dat je ze gelezen hebt.**",
                -58,
                hour=7,
                requires_ack=True,
            ),
        ),
    ),
    Plan(
        "Fier op ons werk",
        "Laten zien wat collega's elke dag voor de Gentenaars doen, vooral de ploegen "
        "die je niet ziet: in de wijken, in de parken, 's nachts op de weg.",
        Theme.PRIDE,
        -44,
        -14,
        "all",
        (
            Item(
                "Fier op ons werk: de mensen achter de stad",
                "Wie maakt de fietspaden na een storm weer vrij? Wie plant de bloembakken "
                "in de Veldstraat? Vier weken lang stellen we de collega's voor die de "
                "stad draaiende houden. Ken je een collega die in de kijker verdient? "
                "Laat het de redactie van gent&co weten.",
                -43,
            ),
            Item(
                "Collega in de kijker: de Wegenploeg herstelde 40 km fietspad",
                "In twee maanden tijd herstelde de Wegenploeg veertig kilometer fietspad, "
                "van de Coupure tot de Watersportbaan. Ploegbaas Koen vertelt hoe ze dat "
                "deden, met de signalisatie en zonder één ongeval.",
                -35,
                hour=12,
            ),
            Item(
                "Nieuwe werkkledij: lees de afspraken en bevestig",
                "De nieuwe werkkledij in de huisstijl van de stad ligt klaar in de depots. "
                "De richtlijn zegt wat je draagt op de werf, hoe je ze laat wassen en hoe "
                "je een nieuwe maat vraagt. **Bevestig dat je de afspraken gelezen hebt.**",
                -27,
                hour=7,
                requires_ack=True,
                directive="werkkledij",
            ),
        ),
    ),
    Plan(
        "Gent klimaatstad: duurzaam op de werf",
        "De technische diensten halveren tegen 2030 hun uitstoot: elektrisch materieel, "
        "minder afval op de werf en slim rijden tussen de depots.",
        Theme.SUSTAINABILITY,
        -21,
        35,
        "OW,LNE,FM",
        (
            Item(
                "Duurzaam op de werf: zo pakken we het aan",
                "Gent wil klimaatneutraal worden, en de werven doen mee. De komende weken "
                "lees je hier wat er verandert in de depots van Openbare Werken, "
                "Leefmilieu en Groen en Facility Management, en wat jij kan doen. "
                "Lees ook het Klimaatplan van de stad.",
                -19,
                link_url="https://stad.gent/nl/klimaat",
            ),
            Item(
                "Elektrische bestelwagens: de laadpunten aan de depots",
                "Aan de depots Bourgoyen, Eedverbond en Driepikkel staan nu 24 laadpunten. "
                "Laad je wagen op het einde van je shift en laat hem niet stationair "
                "draaien. De richtlijn zegt hoe je energie bespaart in de gebouwen.",
                -7,
                hour=7,
                directive="energie",
            ),
            Item(
                "Afval sorteren op de werf: nieuwe containers",
                "Vanaf volgende maand staan er op elke werf containers voor hout, metaal, "
                "puin en restafval. Je ploegbaas toont hoe het werkt.",
                8,
                hour=7,
                directive="afval",
            ),
            Item(
                "Stil en zuiver: elektrische bladblazers en heggenscharen",
                "De Groendienst werkt voortaan met elektrische bladblazers en "
                "heggenscharen: minder lawaai voor de buren en geen uitlaatgassen voor jou.",
                15,
                hour=7,
            ),
        ),
    ),
)

# Announcements outside any campaign, in the week of the campaign's next item.
ALSO_SCHEDULED = (
    (
        "Winterdienst: strooiroutes en wachtrollen",
        "De winterdienst start. De strooiroutes en de wachtrollen per ploeg staan in het "
        "depot Eedverbond en op de gedeelde terminals.",
        "OW",
    ),
    (
        "Eindejaarsreceptie op 19 december in het Stadhuis",
        "Het college nodigt alle collega's uit op de eindejaarsreceptie, vanaf 16 uur in "
        "het Stadhuis. Wie die dag werkt, krijgt een uur vrij om langs te komen.",
        "all",
    ),
    (
        "Je loonfiche komt voortaan digitaal",
        "Vanaf januari vind je je loonfiche op Werkplek. Wie liever een papieren versie "
        "krijgt, laat het weten aan de Dienst Personeelsbeheer.",
        "all",
    ),
)

# How each kind of worker first sees an item and how they open it; weights.
SEEING = {
    True: {
        ReachChannel.TERMINAL: 45,
        ReachChannel.POSTER: 30,
        ReachChannel.PUSH: 12,
        ReachChannel.WEB: 8,
        ReachChannel.SMS: 5,
    },
    False: {
        ReachChannel.WEB: 62,
        ReachChannel.STREAM: 10,
        ReachChannel.EMAIL: 16,
        ReachChannel.PUSH: 12,
    },
}
# Some colleagues never look, whatever the channel; the others see an item this often.
NEVER_SHARE = {True: 0.2, False: 0.06}
SEEN_SHARE = {True: 0.5, False: 0.78}
OPENED_SHARE = {True: 0.45, False: 0.55}
ACTED_SHARE = 0.4  # of who opened an item with a link or a directive
ACK_SHARE = {True: 0.55, False: 0.75}  # of who opened an item that asks for it


def seed_campaigns(rng: random.Random) -> None:
    if Campaign.objects.filter(title__in=[plan.title for plan in CAMPAIGNS]).exists():
        return
    owner = (
        Employee.objects.filter(username=OWNER, groups__name=Role.COMMUNICATION).first()
        or Employee.objects.filter(groups__name=Role.COMMUNICATION, is_active=True)
        .order_by("pk")
        .first()
    )
    if owner is None:
        return
    departments = {d.code: d for d in Department.objects.all()}
    directives = {
        d.import_path.removeprefix("demo/"): d
        for d in Directive.objects.filter(
            import_path__startswith="demo/", status=Status.PUBLISHED, restricted=False
        )
    }
    now = timezone.now()
    never = {
        pk
        for pk, field_worker in Employee.objects.order_by("pk").values_list("pk", "is_field_worker")
        if rng.random() < NEVER_SHARE[field_worker]
    }
    with transaction.atomic():
        for plan in CAMPAIGNS:
            _seed_campaign(rng, plan, owner, departments, directives, now, never)
        _seed_also_scheduled(owner, departments)


def _audience(spec: str, departments: dict[str, Department]) -> Audience:
    audience = Audience.objects.create(all_staff=spec == "all")
    if spec != "all":
        audience.departments.add(*(departments[code] for code in spec.split(",")))
    return audience


def _moment(day: int, hour: int) -> datetime:
    local = timezone.localdate() + timedelta(days=day)
    return timezone.make_aware(datetime.combine(local, time(hour, 0)))


def _seed_campaign(
    rng: random.Random,
    plan: Plan,
    owner: Employee,
    departments: dict[str, Department],
    directives: dict[str, Directive],
    now: datetime,
    never: set[int],
) -> None:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title=plan.title,
        goal=plan.goal,
        theme=plan.theme,
        starts=today + timedelta(days=plan.starts),
        ends=today + timedelta(days=plan.ends),
        owner=owner,
        audience=_audience(plan.audience, departments),
    )
    for spec in plan.items:
        item = Announcement.objects.create(
            campaign=campaign,
            title=spec.title,
            body=spec.body,
            body_html=render_markdown(spec.body),
            author=owner,
            audience=_audience(plan.audience, departments),  # its own, as the editor makes
            publish_at=_moment(spec.day, spec.hour),
            requires_ack=spec.requires_ack,
            directive=directives.get(spec.directive),
            link_url=spec.link_url,
        )
        if spec.day < 0:
            actions.do_publish(item, now=item.publish_at)
            _simulate_reach(rng, item, now, never)


def _seed_also_scheduled(owner: Employee, departments: dict[str, Department]) -> None:
    """Three more in the week of the campaign's next item: a crowded week for some."""
    campaign_item = Announcement.objects.filter(
        campaign__title=CAMPAIGNS[-1].title, published=None
    ).earliest("publish_at")
    week_of = timezone.localtime(campaign_item.publish_at).date()
    monday = week_of - timedelta(days=week_of.weekday())
    for offset, (title, body, spec) in enumerate(ALSO_SCHEDULED, start=1):
        day = monday + timedelta(days=offset)
        Announcement.objects.create(
            title=title,
            body=body,
            body_html=render_markdown(body),
            author=owner,
            audience=_audience(spec, departments),
            publish_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        )


def _later(rng: random.Random, start: datetime, field_worker: bool, now: datetime) -> datetime:
    """A moment some days after ``start``: most in the first two days, field workers later
    (at the terminal on their next shift, at the poster in the depot)."""
    days = min(int(rng.expovariate(1 / (2.5 if field_worker else 1.2))), 12)
    moment = start + timedelta(days=days, hours=rng.uniform(0, 9), minutes=rng.randint(0, 59))
    return min(moment, now - timedelta(minutes=rng.randint(5, 120)))


def _simulate_reach(rng: random.Random, item: Announcement, now: datetime, never: set[int]) -> None:
    assert item.published is not None
    people = list(members(item.audience).only("pk", "department_id", "site_id", "is_field_worker"))
    acts = bool(item.directive_id or item.link_url)
    seen_ids, acknowledging = [], []
    for person in people:
        field_worker = person.is_field_worker
        if person.pk in never or rng.random() > SEEN_SHARE[field_worker]:
            continue
        weights = SEEING[field_worker]
        channel = rng.choices(list(weights), weights=list(weights.values()))[0]
        moment = _later(rng, item.published, field_worker, now)
        seen_ids.append(person.pk)
        # A message on the phone or in the mailbox is opened straight from it. Opening
        # counts as seeing (one call where the page would make two: it keeps seeding fast).
        opened = channel in (ReachChannel.EMAIL, ReachChannel.PUSH, ReachChannel.SMS)
        opened = opened or rng.random() < OPENED_SHARE[field_worker]
        reach.record(item, person, Stage.OPENED if opened else Stage.SEEN, channel, now=moment)
        if rng.random() < 0.1:  # seen again, another day
            again = _later(rng, moment, field_worker, now)
            reach.record(item, person, Stage.SEEN, channel, now=again)
        if not opened:
            continue
        if item.requires_ack and rng.random() < ACK_SHARE[field_worker]:
            # Confirmed on the page: at a shared terminal, or on the web.
            where = ReachChannel.TERMINAL if field_worker else ReachChannel.WEB
            acknowledging.append((person, where, moment))
        elif acts and rng.random() < ACTED_SHARE:
            moment += timedelta(minutes=rng.randint(1, 10))
            reach.record(item, person, Stage.ACTED, channel, now=min(moment, now))
    for person, channel, moment in acknowledging:
        actions.do_acknowledge(person, item, channel)
        Acknowledgement.objects.filter(announcement=item, employee=person).update(
            at=min(moment + timedelta(minutes=2), now)
        )
    # The lines in the bell date from publication; who saw the item, read them.
    lines = item.notifications.all()
    lines.update(created=item.published, updated=item.published)
    lines.filter(recipient_id__in=seen_ids).update(
        read=min(item.published + timedelta(days=1), now)
    )
