"""A realistic Ghent organisation for demos and benchmarks (``manage.py seed_demo``).

Everything here is deterministic and idempotent: the same run twice leaves the
same rows. Other modules add their own content through ``register_seeder``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from workplace.models import Department, Employee, WorkSite
from workplace.models.people import DepartmentKind
from workplace.roles import Role

DEMO_PASSWORD = "Werkplek-demo-2026"
DEMO_PIN = "2468"

SITES = {
    "AC": ("Administratief Centrum Woodrow Wilsonplein", "Woodrow Wilsonplein 1, 9000 Gent"),
    "STADHUIS": ("Stadhuis", "Botermarkt 1, 9000 Gent"),
    "BOURGOYEN": ("Depot Groendienst Bourgoyen", "Driepikkel 2, 9030 Mariakerke"),
    "EEDVERBOND": ("Depot Wegen Eedverbond", "Eedverbondkaai 150, 9000 Gent"),
    "PROEFTUIN": ("Stelplaats Stadsreiniging Proeftuinstraat", "Proeftuinstraat 43, 9000 Gent"),
    "DRIEPIKKEL": ("Werkplaats Facility Driepikkel", "Driepikkel 5, 9030 Mariakerke"),
    "ZONNEBLOEM": ("Woonzorgcentrum Zonnebloem", "Sint-Bernadettestraat 20, 9050 Gentbrugge"),
    "NIEUWGENT": ("Sociaal Huis Nieuw Gent", "Jan Yoenspad 2, 9000 Gent"),
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    parent: str | None
    site: str
    jobs: tuple[tuple[str, bool], ...]  # (job title, field worker)
    size: int = 0


D, S, T = DepartmentKind.DEPARTEMENT, DepartmentKind.DIENST, DepartmentKind.TEAM
OFFICE_JOBS = (("Administratief medewerker", False), ("Deskundige", False))

ORGANISATION = [
    Unit(
        "SC",
        "Departement Strategie en Coördinatie",
        D,
        None,
        "AC",
        (("Departementshoofd", False),),
        2,
    ),
    Unit(
        "COM",
        "Dienst Communicatie",
        S,
        "SC",
        "AC",
        (("Communicatiemedewerker", False), ("Webredacteur", False)),
        8,
    ),
    Unit(
        "COM-IC",
        "Team Interne Communicatie",
        T,
        "COM",
        "AC",
        (("Interne communicatiemedewerker", False), ("Communitymanager", False)),
        8,
    ),
    Unit(
        "COM-GC",
        "Redactie gent&co",
        T,
        "COM",
        "AC",
        (("Eindredacteur gent&co", False), ("Fotograaf", False)),
        5,
    ),
    Unit(
        "SC-IB",
        "Dienst Informatiebeheer",
        S,
        "SC",
        "AC",
        (("Informatiebeheerder", False), ("ICT-coördinator", False)),
        12,
    ),
    Unit(
        "PO",
        "Departement Personeel en Organisatie",
        D,
        None,
        "AC",
        (("Departementshoofd", False),),
        2,
    ),
    Unit(
        "HR-PB",
        "Dienst Personeelsbeheer",
        S,
        "PO",
        "AC",
        (("HR-consulent", False), ("Loonadministrateur", False)),
        18,
    ),
    Unit(
        "HR-LV",
        "Dienst Loopbaanbegeleiding en Vorming",
        S,
        "PO",
        "AC",
        (("Loopbaanbegeleider", False), ("Opleidingsverantwoordelijke", False)),
        10,
    ),
    Unit(
        "HR-PBW",
        "Dienst Preventie en Bescherming op het Werk",
        S,
        "PO",
        "AC",
        (("Preventieadviseur", False),),
        5,
    ),
    Unit(
        "FM",
        "Departement Facility Management",
        D,
        None,
        "DRIEPIKKEL",
        (("Departementshoofd", False),),
        2,
    ),
    Unit(
        "FM-GEB",
        "Dienst Gebouwen",
        S,
        "FM",
        "DRIEPIKKEL",
        (("Projectleider gebouwen", False), *OFFICE_JOBS),
        6,
    ),
    Unit(
        "FM-ON",
        "Team Onderhoud Noord",
        T,
        "FM-GEB",
        "DRIEPIKKEL",
        (("Elektricien", True), ("Loodgieter", True), ("Schrijnwerker", True), ("Ploegbaas", True)),
        11,
    ),
    Unit(
        "FM-OZ",
        "Team Onderhoud Zuid",
        T,
        "FM-GEB",
        "DRIEPIKKEL",
        (("Elektricien", True), ("Schilder", True), ("Ploegbaas", True)),
        9,
    ),
    Unit(
        "FM-SCH",
        "Dienst Schoonmaak",
        S,
        "FM",
        "AC",
        (("Schoonmaker", True), ("Ploegbaas schoonmaak", True)),
        13,
    ),
    Unit(
        "FM-LOG",
        "Dienst Logistiek",
        S,
        "FM",
        "DRIEPIKKEL",
        (("Magazijnier", True), ("Chauffeur", True), ("Logistiek medewerker", False)),
        9,
    ),
    Unit(
        "LNE", "Departement Leefmilieu en Groen", D, None, "AC", (("Departementshoofd", False),), 2
    ),
    Unit("GRN", "Groendienst", S, "LNE", "BOURGOYEN", (("Groenbeheerder", False), *OFFICE_JOBS), 5),
    Unit(
        "GRN-N",
        "Groenploeg Noord",
        T,
        "GRN",
        "BOURGOYEN",
        (("Tuinier", True), ("Boomverzorger", True), ("Ploegbaas groen", True)),
        12,
    ),
    Unit(
        "GRN-Z",
        "Groenploeg Zuid",
        T,
        "GRN",
        "BOURGOYEN",
        (("Tuinier", True), ("Ploegbaas groen", True)),
        10,
    ),
    Unit("GRN-KW", "Kweekcentrum", T, "GRN", "BOURGOYEN", (("Kweker", True),), 4),
    Unit(
        "OW",
        "Departement Openbare Werken",
        D,
        None,
        "EEDVERBOND",
        (("Departementshoofd", False),),
        2,
    ),
    Unit(
        "WEG",
        "Dienst Wegen, Bruggen en Waterlopen",
        S,
        "OW",
        "EEDVERBOND",
        (("Ingenieur", False), ("Werftoezichter", True), *OFFICE_JOBS),
        8,
    ),
    Unit(
        "WEG-P",
        "Wegenploeg",
        T,
        "WEG",
        "EEDVERBOND",
        (("Wegenwerker", True), ("Machinist", True), ("Ploegbaas wegen", True)),
        12,
    ),
    Unit(
        "WEG-S", "Team Signalisatie", T, "WEG", "EEDVERBOND", (("Signalisatiemedewerker", True),), 5
    ),
    Unit("SR", "Stadsreiniging", S, "OW", "PROEFTUIN", (("Coördinator netheid", False),), 4),
    Unit(
        "SR-VC",
        "Veegploeg Centrum",
        T,
        "SR",
        "PROEFTUIN",
        (("Veger", True), ("Chauffeur veegwagen", True)),
        10,
    ),
    Unit(
        "SR-SL",
        "Team Sluikstort",
        T,
        "SR",
        "PROEFTUIN",
        (("Netheidsmedewerker", True), ("Gemeenschapswacht", True)),
        6,
    ),
    Unit("BZ", "Departement Burgerzaken", D, None, "AC", (("Departementshoofd", False),), 2),
    Unit(
        "BZ-BUR",
        "Dienst Burgerzaken",
        S,
        "BZ",
        "AC",
        (("Loketmedewerker burgerzaken", False), ("Teamcoach", False)),
        26,
    ),
    Unit("BZ-ONT", "Dienst Onthaal", S, "BZ", "STADHUIS", (("Onthaalmedewerker", False),), 12),
    Unit("OCMW", "OCMW Gent", D, None, "NIEUWGENT", (("Algemeen directeur OCMW", False),), 2),
    Unit(
        "OCMW-SD",
        "Sociale Dienst",
        S,
        "OCMW",
        "NIEUWGENT",
        (("Maatschappelijk werker", False), ("Administratief medewerker", False)),
        30,
    ),
    Unit(
        "OCMW-WZC",
        "Woonzorgcentrum Zonnebloem",
        S,
        "OCMW",
        "ZONNEBLOEM",
        (("Zorgkundige", True), ("Verpleegkundige", True), ("Logistiek assistent", True)),
        10,
    ),
]

FIRST_NAMES = [
    "Jan",
    "Pieter",
    "Koen",
    "Tom",
    "Bart",
    "Wim",
    "Dirk",
    "Luc",
    "Stijn",
    "Jens",
    "Ruben",
    "Arne",
    "Wout",
    "Thomas",
    "Lars",
    "Senne",
    "Yusuf",
    "Mohamed",
    "Karim",
    "Bilal",
    "Ahmet",
    "Emre",
    "Piotr",
    "Tomasz",
    "Jonas",
    "Matthias",
    "Sander",
    "Kevin",
    "Brecht",
    "Joris",
    "Frederik",
    "Hannes",
    "An",
    "Els",
    "Katrien",
    "Sofie",
    "Lien",
    "Sarah",
    "Eline",
    "Lotte",
    "Nele",
    "Hanne",
    "Griet",
    "Ilse",
    "Marleen",
    "Veerle",
    "Fatima",
    "Samira",
    "Amira",
    "Leila",
    "Elif",
    "Zeynep",
    "Agnieszka",
    "Ewa",
    "Charlotte",
    "Julie",
    "Emma",
    "Marie",
    "Laura",
    "Fien",
    "Margot",
    "Ine",
    "Tine",
    "Joke",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Vermeulen",
    "Van den Broeck",
    "De Clercq",
    "Lambrechts",
    "Dumont",
    "Claeys",
    "Desmet",
    "De Backer",
    "Vandamme",
    "Verhaeghe",
    "Van Damme",
    "De Vos",
    "Martens",
    "Pauwels",
    "Hermans",
    "Coppens",
    "Vervaet",
    "De Wilde",
    "Vanhecke",
    "Baert",
    "Standaert",
    "Declercq",
    "Y\u0131lmaz",
    "El Amrani",
    "Bouzid",
    "Demir",
    "Kaya",
    "Nowak",
    "Kowalski",
    "Benali",
    "Ait Taleb",
    "Van Hecke",
    "D'hondt",
    "Verstraete",
    "Van de Velde",
    "De Meyer",
    "Cools",
    "Vandenbussche",
    "Van Acker",
    "Bracke",
    "Cnudde",
    "Lippens",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    department: str
    job_title: str
    role: Role | None
    field_worker: bool = False
    superuser: bool = False
    description: str = ""


DEMO_LOGINS = [
    DemoLogin(
        "admin",
        "Ada",
        "Beheerder",
        "SC",
        "Functioneel beheerder Werkplek",
        None,
        superuser=True,
        description="administrator",
    ),
    DemoLogin(
        "communicatie",
        "Lies",
        "Van Damme",
        "COM-IC",
        "Interne communicatiemedewerker",
        Role.COMMUNICATION,
        description="communication officer",
    ),
    DemoLogin("hr", "Hilde", "Raes", "HR-PB", "HR-consulent", Role.HR, description="HR officer"),
    DemoLogin(
        "redactie",
        "Karel",
        "Uyttendaele",
        "HR-PBW",
        "Preventieadviseur, KUS-redacteur",
        Role.KUS_EDITORS,
        description="KUS editor",
    ),
    DemoLogin(
        "kantoor",
        "Olivia",
        "Kerckhove",
        "BZ-BUR",
        "Loketmedewerker burgerzaken",
        None,
        description="office employee",
    ),
    DemoLogin(
        "terrein",
        "Tarik",
        "El Idrissi",
        "GRN-N",
        "Tuinier",
        None,
        field_worker=True,
        description="field worker (terminal PIN)",
    ),
]

Seeder = Callable[[random.Random], None]
seeders: list[tuple[int, Seeder]] = []


def register_seeder(order: int, seeder: Seeder) -> None:
    """Modules add their demo content; lower ``order`` runs first."""
    if (order, seeder) not in seeders:
        seeders.append((order, seeder))


LEADER_WORDS = ("Ploegbaas", "Teamcoach", "hoofd", "directeur", "Coördinator")


def _job_for(unit: Unit, index: int) -> tuple[str, bool]:
    """The first member leads (a ploegbaas, a teamcoach, a head); the others share the rest."""
    leaders = [job for job in unit.jobs if any(word in job[0] for word in LEADER_WORDS)]
    others = [job for job in unit.jobs if job not in leaders] or list(OFFICE_JOBS)
    if index == 0:
        return (leaders or unit.jobs)[0]
    return others[(index - 1) % len(others)]


def seed_organisation(rng: random.Random) -> dict[str, Department]:
    sites = {
        key: WorkSite.objects.update_or_create(name=name, defaults={"address": address})[0]
        for key, (name, address) in SITES.items()
    }
    departments: dict[str, Department] = {}
    for unit in ORGANISATION:
        department = Department.objects.filter(code=unit.code).first() or Department(code=unit.code)
        department.name, department.kind = unit.name, unit.kind
        department.parent = departments.get(unit.parent) if unit.parent else None
        department.save()
        departments[unit.code] = department

    now = timezone.now()
    number = 200000
    for unit in ORGANISATION:
        for index in range(unit.size):
            number += 1
            job_title, field_worker = _job_for(unit, index)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            has_mail = not field_worker or rng.random() < 0.15
            # A few colleagues joined recently, so "new colleagues" has something to show.
            joined = now - timedelta(
                days=rng.choice([3, 9, 17, 25]) if rng.random() < 0.06 else rng.randint(60, 9000)
            )
            employee = Employee.objects.filter(personnel_number=str(number)).first()
            if employee is None:
                employee = Employee(personnel_number=str(number))
                employee.set_unusable_password()
                employee.date_joined = joined
            employee.username = f"mw{number}"
            employee.first_name, employee.last_name = first, last
            employee.email = (
                f"{first}.{last}".lower().replace(" ", "").replace("'", "").replace("\u0131", "i")
                + "@stad.gent"
                if has_mail
                else ""
            )
            employee.department = departments[unit.code]
            employee.job_title = job_title
            employee.site = sites[unit.site]
            employee.is_field_worker = field_worker
            employee.save()
            if index == 0 and departments[unit.code].manager_id is None:
                departments[unit.code].manager = employee
                departments[unit.code].save(update_fields=["manager"])
    managers = Group.objects.get(name=Role.MANAGERS)
    managers.user_set.add(*Employee.objects.filter(managed_departments__isnull=False).distinct())
    return departments


def seed_demo_logins(departments: dict[str, Department]) -> list[DemoLogin]:
    for number, login in enumerate(DEMO_LOGINS, start=100001):
        employee = Employee.objects.filter(username=login.username).first() or Employee(
            username=login.username
        )
        employee.personnel_number = str(number)
        employee.first_name, employee.last_name = login.first_name, login.last_name
        employee.email = "" if login.field_worker else f"{login.username}@stad.gent"
        employee.department = departments[login.department]
        employee.job_title = login.job_title
        employee.site = departments[login.department].employees.exclude(site=None).first().site
        employee.is_field_worker = login.field_worker
        employee.is_staff = employee.is_superuser = login.superuser
        employee.is_active = True
        employee.set_password(DEMO_PASSWORD)
        if login.field_worker:
            employee.set_pin(DEMO_PIN)
        employee.save()
        if login.role:
            employee.groups.add(Group.objects.get(name=login.role.value))
    return DEMO_LOGINS


def seed(seed_value: int = 2026) -> list[DemoLogin]:
    rng = random.Random(seed_value)
    with transaction.atomic():
        departments = seed_organisation(rng)
        logins = seed_demo_logins(departments)
    for _order, seeder in sorted(seeders, key=lambda item: item[0]):
        seeder(random.Random(seed_value))
    return logins
