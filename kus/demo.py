"""About sixty realistic directives for ``manage.py seed_demo``.

Idempotent: the demo directives carry a ``demo/`` import path and are made once.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from kus import actions
from kus.models import (
    Acknowledgement,
    AckVia,
    Briefing,
    Category,
    Directive,
    DirectiveVersion,
    NumberSequence,
    Status,
)
from workplace.audiences import members
from workplace.models import Audience, Department, Employee
from workplace.roles import Role


@dataclass(frozen=True)
class Topic:
    key: str
    category: str  # slug
    owner: str  # department code
    title: str
    summary: str
    rules: tuple[str, ...]
    audience: str = "all"  # "all", "field", or department codes / role names, comma-separated
    ack: bool = False
    restricted: bool = False
    versions: int = 1
    replaces: str = ""  # key of an older topic this one supersedes


DATA = Path(__file__).with_name("demo_directives.yaml")


def topics() -> list[Topic]:
    rows = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return [Topic(**{**row, "rules": tuple(row["rules"])}) for row in rows]


def _audience(spec: str, departments: dict[str, Department]) -> Audience:
    audience = Audience.objects.create()
    if spec == "all":
        audience.all_staff = True
        audience.save(update_fields=["all_staff"])
    elif spec == "field":
        audience.all_staff = True
        audience.worker_kind = "field"
        audience.save(update_fields=["all_staff", "worker_kind"])
    else:
        for token in (t.strip() for t in spec.split(",")):
            if token in departments:
                audience.departments.add(departments[token])
            else:
                audience.groups.add(Group.objects.get(name=token))
    return audience


def _body(topic: Topic, revision: int) -> str:
    rules = list(topic.rules)
    if revision > 1:
        rules.append("Vragen? Neem contact op met de contactpersoon van deze richtlijn.")
    if revision > 2:
        rules.insert(0, "Deze regels gelden vanaf 1 januari voor alle diensten.")
    lines = "\n".join(f"- {rule}" for rule in rules)
    return (
        f"## Waarom deze richtlijn\n\n{topic.summary}\n\n"
        f"## Wat moet je doen\n\n{lines}\n\n"
        "## Meer weten\n\n"
        "| Vraag | Waar |\n|---|---|\n"
        "| Uitleg over deze regels | je leidinggevende |\n"
        "| Een probleem melden | de contactpersoon hieronder |\n"
    )


def seed_directives(rng: random.Random) -> None:
    if Directive.objects.filter(import_path__startswith="demo/").exists():
        return
    departments = {d.code: d for d in Department.objects.all()}
    editors = list(Employee.objects.filter(groups__name=Role.KUS_EDITORS.value))
    approver = Employee.objects.filter(is_superuser=True).first()
    if not editors or approver is None or "HR-PB" not in departments:
        return
    author = editors[0]
    categories = {c.slug: c for c in Category.objects.all()}
    today = timezone.localdate()
    by_key: dict[str, Directive] = {}
    all_topics = topics()
    counters: dict[int, int] = {}
    with transaction.atomic():
        for index, topic in enumerate(all_topics):
            owner = departments[topic.owner]
            published_on = today - datetime.timedelta(days=rng.randint(20, 1500))
            if index % 9 == 4:
                published_on = today - datetime.timedelta(days=rng.randint(2, 25))  # "Nieuw"
            if topic.key.endswith(("-2019", "-2020", "-2021")):
                published_on = datetime.date(int(topic.key[-4:]), 3, 15)
            review = published_on + datetime.timedelta(days=rng.choice([365, 730, 1095]))
            contact = owner.manager or Employee.objects.filter(department=owner).first()
            directive = actions.do_create_directive(
                author,
                text=actions.Text(topic.title, topic.summary, _body(topic, 1)),
                owner_department=owner,
                category=categories[topic.category],
                audience=_audience(topic.audience, departments),
                tags=[topic.key.split("-")[0], categories[topic.category].name.lower()],
                contact=contact,
                requires_ack=topic.ack,
                restricted=topic.restricted,
                effective_from=published_on,
                review_by=review,
                import_path=f"demo/{topic.key}",
            )
            year = published_on.year
            counters[year] = counters.get(year, 0) + 1
            number = f"KUS-{year}-{counters[year]:04d}"
            Directive.objects.filter(pk=directive.pk).update(number=number)
            directive.number = number
            for revision in range(1, topic.versions + 1):
                if revision > 1:
                    DirectiveVersion.objects.create(
                        directive=directive,
                        title=topic.title,
                        summary=topic.summary,
                        body=_body(topic, revision),
                        change_note=(
                            "Contactgegevens toegevoegd"
                            if revision == 2
                            else "Nieuwe regels vanaf 1 januari"
                        ),
                        material=revision == 3,
                        created_by=author,
                        edited_by=author,
                    )
                draft = directive.versions.get(published_at__isnull=True)
                draft.submitted_by, draft.submitted_at = author, timezone.now()
                draft.approved_by = approver
                draft.save(update_fields=["submitted_by", "submitted_at", "approved_by"])
                actions.do_publish_version(directive, draft)
            moment = timezone.make_aware(
                datetime.datetime.combine(published_on, datetime.time(9, 0))
            )
            Directive.objects.filter(pk=directive.pk).update(published_at=moment, updated=moment)
            directive.versions.filter(seq=1).update(published_at=moment, created=moment)
            by_key[topic.key] = directive
        for topic in all_topics:
            if topic.replaces:
                old = by_key[topic.replaces]
                old.status, old.replaced_by = Status.SUPERSEDED, by_key[topic.key]
                old.save(update_fields=["status", "replaced_by"])
        for year, last in counters.items():
            NumberSequence.objects.update_or_create(year=year, defaults={"last": last})
        _seed_reading(rng, [by_key[t.key] for t in all_topics if t.ack], departments, approver)


def _seed_reading(rng, directives, departments, approver) -> None:
    """Part of the staff confirmed; a few field teams were briefed by their ploegbaas."""
    acks = []
    for directive in directives:
        directive.refresh_from_db()
        share = rng.uniform(0.3, 0.85)
        people = list(members(directive.audience).values_list("pk", "is_field_worker"))
        briefed: set[int] = set()
        for team_code in ("FM-ON", "GRN-N", "WEG-P"):
            team = departments.get(team_code)
            if team is None or team.manager_id is None or rng.random() < 0.4:
                continue
            attendees = [
                pk
                for pk in Employee.objects.filter(department=team, is_active=True).values_list(
                    "pk", flat=True
                )
                if any(pk == p for p, _field in people)
            ]
            if not attendees:
                continue
            briefing = Briefing.objects.create(
                directive=directive,
                ack_round=directive.ack_round,
                held_on=timezone.localdate() - datetime.timedelta(days=rng.randint(1, 20)),
                team=team,
                leader_id=team.manager_id,
                note="Toolboxmeeting",
            )
            briefing.attendees.set(attendees)
            for pk in attendees:
                briefed.add(pk)
                acks.append(
                    Acknowledgement(
                        directive=directive,
                        employee_id=pk,
                        ack_round=directive.ack_round,
                        version_id=directive.current_version_id,
                        via=AckVia.BRIEFING,
                        briefing=briefing,
                    )
                )
        for pk, field_worker in people:
            if pk in briefed or rng.random() > (share * (0.5 if field_worker else 1)):
                continue
            acks.append(
                Acknowledgement(
                    directive=directive,
                    employee_id=pk,
                    ack_round=directive.ack_round,
                    version_id=directive.current_version_id,
                    via=AckVia.SELF,
                    at=timezone.now() - datetime.timedelta(days=rng.randint(0, 60)),
                )
            )
    Acknowledgement.objects.bulk_create(acks, ignore_conflicts=True)
