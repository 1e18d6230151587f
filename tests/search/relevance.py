"""A Dutch relevance set: a small city corpus and judged queries.

``tests/search/test_relevance.py`` holds the query layer to a floor on it, and
``bench/search_relevance.py`` prints the figures. Each query names the
documents a colleague would want; a query scores the reciprocal rank of the
first of them (MRR) and whether one is in the top five (recall@5). A number
that opens a directive directly counts as rank 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from search.documents import PlainDocument
from search.indexes import Kind, Status

DIR, POST, EMP, DEP = Kind.DIRECTIVE, Kind.POST, Kind.EMPLOYEE, Kind.DEPARTMENT


def _date(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=dt.UTC)


def _directive(key, number, title, body, category, department, status=Status.CURRENT, year=2026):
    return PlainDocument(
        id=key,
        kind=DIR,
        number=number,
        title=title,
        body=body,
        category=category,
        department=department,
        status=status,
        date=_date(year, 3, 1),
    )


CORPUS = [
    _directive(
        "d1",
        "KUS-2026-0001",
        "Thuiswerk en telewerk: afspraken voor medewerkers",
        "Medewerkers met een bureaufunctie mogen tot twee dagen per week thuiswerken. Spreek "
        "je thuiswerkdagen af met je leidinggevende. De thuiswerkvergoeding bedraagt 20 euro "
        "per maand.",
        "Personeel",
        "PO",
    ),
    _directive(
        "d2",
        "KUS-2026-0002",
        "Fietsvergoeding voor woon-werkverkeer",
        "Wie met de fiets naar het werk komt, krijgt een fietsvergoeding van 0,35 euro per "
        "kilometer. Registreer je ritten maandelijks in het personeelsportaal.",
        "Personeel",
        "PO",
    ),
    _directive(
        "d3",
        "KUS-2026-0003",
        "Crisiscommunicatie bij noodsituaties",
        "Bij een ramp verloopt alle communicatie naar pers en burgers via de dienst "
        "Communicatie. Medewerkers geven geen verklaringen aan journalisten.",
        "Communicatie",
        "COM",
    ),
    _directive(
        "d4",
        "KUS-2025-0042",
        "Circulaire over veiligheidsschoenen voor de groendienst",
        "Alle medewerkers van de groendienst dragen veiligheidsschoenen van klasse S3.",
        "Veiligheid",
        "GRO",
        status=Status.SUPERSEDED,
        year=2025,
    ),
    _directive(
        "d5",
        "KUS-2026-0042",
        "Circulaire veiligheidsschoenen en beschermkledij",
        "Deze circulaire vervangt KUS-2025-0042. Veiligheidsschoenen, handschoenen en "
        "fluohesjes zijn verplicht op elke werf.",
        "Veiligheid",
        "PREV",
    ),
    _directive(
        "d6",
        "KUS-2026-0007",
        "Gebruik van dienstvoertuigen",
        "Dienstwagens en bestelwagens reserveer je via het wagenparkbeheer. Een rittenblad "
        "is verplicht bij elke rit.",
        "Logistiek",
        "FM",
    ),
    _directive(
        "d7",
        "KUS-2026-0008",
        "Werkplekken reserveren in het Administratief Centrum",
        "Flexplekken en vergaderzalen reserveer je via de app. Een gereserveerde plaats "
        "blijft maximaal een dag vastgelegd.",
        "Logistiek",
        "FM",
    ),
    _directive(
        "d8",
        "KUS-2026-0011",
        "Ziekteverzuim: melden en afwezigheidsattest",
        "Ben je ziek, verwittig dan voor 9 uur je leidinggevende. Bezorg binnen twee "
        "werkdagen een doktersattest aan de dienst Personeelsadministratie.",
        "Personeel",
        "PA",
    ),
    _directive(
        "d9",
        "KUS-2026-0012",
        "Onthaal van nieuwe medewerkers",
        "Elke nieuwe collega krijgt een peter of meter en een onthaalbrochure. De eerste "
        "werkdag start met een rondleiding.",
        "Personeel",
        "PO",
    ),
    _directive(
        "d10",
        "KUS-2026-0015",
        "Winterdienst: strooien en sneeuwruimen",
        "Bij vriesweer rukt de winterdienst om 4 uur uit. De strooiwagens vertrekken vanuit "
        "het depot Eedverbond.",
        "Openbaar domein",
        "WBW",
    ),
    _directive(
        "d11",
        "KUS-2026-0016",
        "Gladheidsbestrijding op fietspaden",
        "Fietspaden krijgen voorrang bij het strooien van zout, vóór de rijbaan.",
        "Openbaar domein",
        "WBW",
    ),
    _directive(
        "d12",
        "KUS-2026-0020",
        "Informatieveiligheid en wachtwoorden",
        "Kies een wachtwoord van minstens 14 tekens. Deel je wachtwoord nooit, ook niet met "
        "de helpdesk. Meld phishing aan de consulent.",
        "ICT",
        "ICT",
    ),
    _directive(
        "d13",
        "KUS-2026-0021",
        "Privacy: verwerking van persoonsgegevens (GDPR)",
        "Persoonsgegevens van burgers verwerk je enkel voor het doel waarvoor ze verzameld zijn.",
        "ICT",
        "ICT",
    ),
    _directive(
        "d14",
        "KUS-2024-0102",
        "Rookverbod in stadsgebouwen",
        "Roken is verboden in alle gebouwen en dienstvoertuigen van de stad.",
        "Veiligheid",
        "PREV",
        status=Status.ARCHIVED,
        year=2024,
    ),
    _directive(
        "d15",
        "KUS-2026-0030",
        "Rookbeleid en rookzones",
        "Roken mag enkel in de aangeduide rookzones buiten de gebouwen van de stad.",
        "Veiligheid",
        "PREV",
    ),
    _directive(
        "d16",
        "KUS-2026-0033",
        "Hitteplan voor buitenwerkers",
        "Bij temperaturen boven 30 graden passen ploegbazen de werkuren aan. Drink voldoende "
        "water en neem extra pauzes in de schaduw.",
        "Veiligheid",
        "PREV",
    ),
    _directive(
        "d17",
        "KUS-2026-0034",
        "Arbeidsongevallen aangeven",
        "Elk arbeidsongeval meld je binnen 24 uur aan de preventiedienst. Vul het "
        "aangifteformulier samen met je ploegbaas in.",
        "Veiligheid",
        "PREV",
    ),
    _directive(
        "d18",
        "KUS-2026-0040",
        "Vorming en opleidingen aanvragen",
        "Opleidingen vraag je aan via het leerplatform. Je leidinggevende keurt de aanvraag goed.",
        "Personeel",
        "PO",
    ),
    _directive(
        "d19",
        "KUS-2026-0041",
        "Verlofaanvragen en jaarlijkse vakantie",
        "Vakantiedagen vraag je minstens twee weken vooraf aan. Tijdens de zomer blijft de "
        "dienstverlening gegarandeerd.",
        "Personeel",
        "PA",
    ),
    _directive(
        "d20",
        "KUS-2026-0050",
        "Afvalsortering op kantoor",
        "Sorteer papier, pmd en restafval in de juiste bakken. Koffiebekers horen bij het "
        "restafval.",
        "Logistiek",
        "FM",
    ),
    _directive(
        "d21",
        "KUS-2026-0051",
        "Klachtenbehandeling voor burgers",
        "Klachten van burgers registreer je binnen drie werkdagen in het klachtenregister.",
        "Dienstverlening",
        "BZ",
    ),
    _directive(
        "d22",
        "KUS-2026-0052",
        "Meertaligheid aan het loket",
        "Aan het loket spreek je Nederlands; pictogrammen en eenvoudige taal helpen "
        "anderstalige bezoekers.",
        "Dienstverlening",
        "BZ",
    ),
    _directive(
        "d23",
        "KUS-2026-0060",
        "Coördinatie van evenementen op het openbaar domein",
        "De evenementencoördinator bundelt de vergunningen voor festiviteiten zoals de "
        "Gentse Feesten.",
        "Openbaar domein",
        "EVE",
    ),
    _directive(
        "d24",
        "KUS-2026-0061",
        "Energiebesparing in stadsgebouwen",
        "De verwarming staat op maximaal 19 graden. Schakel verlichting en computers uit na "
        "je werkdag.",
        "Logistiek",
        "FM",
    ),
    _directive(
        "d25",
        "KUS-2026-0070",
        "Gebruik van de gsm en sociale media",
        "Privégebruik van de dienst-gsm is beperkt. Op sociale media spreek je niet namens de "
        "stad zonder toestemming van de dienst Communicatie.",
        "Communicatie",
        "COM",
    ),
    PlainDocument(
        id="p1",
        kind=POST,
        title="Nieuwe koffiemachine op de derde verdieping",
        body="Vanaf maandag staat er een nieuwe koffiemachine in het AC. Bekers staan ernaast.",
        department="FM",
        date=_date(2026, 10, 5),
    ),
    PlainDocument(
        id="p2",
        kind=POST,
        title="Teambuilding van de groendienst in de Bourgoyen",
        body="Foto's van onze teambuildingdag: kajakken op de Leie en een barbecue.",
        department="GRO",
        date=_date(2026, 6, 12),
    ),
    PlainDocument(
        id="p3",
        kind=POST,
        title="Oproep: vrijwilligers voor de Gentse Feesten",
        body="Wie helpt mee aan de infostand tijdens de Gentse Feesten? Inschrijven kan tot eind "
        "juni bij de dienst Evenementen.",
        department="EVE",
        date=_date(2026, 5, 20),
    ),
    PlainDocument(
        id="p4",
        kind=POST,
        title="Chauffeurs gezocht voor de winterperiode",
        body="Het depot Eedverbond zoekt extra chauffeurs voor de strooiwagens en de "
        "sneeuwploegen.",
        department="WBW",
        date=_date(2026, 11, 2),
    ),
    PlainDocument(
        id="p5",
        kind=POST,
        title="Verhuis van het loket Burgerzaken",
        body="Het loket Burgerzaken verhuist naar het stadhuis. Tijdens de verhuis zijn de "
        "loketten twee dagen gesloten.",
        department="BZ",
        date=_date(2026, 9, 1),
    ),
    PlainDocument(
        id="p6",
        kind=POST,
        title="Tips voor een gezonde houding thuis",
        body="Zet je scherm op ooghoogte wanneer je thuiswerkt en neem elk uur een korte pauze.",
        department="PREV",
        date=_date(2026, 2, 14),
    ),
    PlainDocument(
        id="p7",
        kind=POST,
        title="Gratis fietsherstelling aan de fietsenstalling",
        body="Op donderdag kan je je fiets gratis laten herstellen. Breng je fietssleutel mee.",
        department="FM",
        date=_date(2026, 4, 9),
    ),
    PlainDocument(
        id="p8",
        kind=POST,
        title="Resultaten van de medewerkersbevraging",
        body="Meer dan 3000 collega's vulden de bevraging in. Werkdruk en waardering scoren "
        "het laagst.",
        department="PO",
        date=_date(2026, 7, 1),
    ),
    *[
        PlainDocument(
            id=key,
            kind=EMP,
            title=name,
            body=f"{job}\n{department_name}",
            names=name,
            detail=job,
            department=code,
            department_name=department_name,
        )
        for key, name, job, code, department_name in [
            ("e1", "Sofie Vandenberghe", "Communicatieadviseur", "COM", "Dienst Communicatie"),
            ("e2", "Pieter De Smet", "Ploegbaas groendienst", "GRO", "Groendienst"),
            ("e3", "Ahmed El Khatib", "Informatieveiligheidsconsulent", "ICT", "Dienst ICT"),
            ("e4", "Els Van Damme", "Preventieadviseur", "PREV", "Preventiedienst"),
            ("e5", "Jan Peeters", "Elektricien", "FM", "Facility Management"),
            ("e6", "Kaat Desmet", "HR-businesspartner", "PO", "Personeel en Organisatie"),
            ("e7", "Wim Janssens", "Chauffeur strooiwagen", "WBW", "Wegen en Waterlopen"),
            ("e8", "Lieve Claeys", "Evenementencoördinator", "EVE", "Dienst Evenementen"),
        ]
    ],
    *[
        PlainDocument(
            id=key, kind=DEP, title=name, body=f"{code}\n{about}", names=code, department=code
        )
        for key, name, code, about in [
            ("g1", "Dienst Communicatie", "COM", "Pers, website en interne communicatie."),
            ("g2", "Groendienst", "GRO", "Parken, bermen en stadsbossen."),
            ("g3", "Preventiedienst", "PREV", "Welzijn op het werk en arbeidsveiligheid."),
            ("g4", "Dienst Personeelsadministratie", "PA", "Lonen, verlof en afwezigheden."),
            ("g5", "Wegen en Waterlopen", "WBW", "Wegenwerken, bruggen en winterdienst."),
            ("g6", "Burgerzaken", "BZ", "Identiteitskaarten, rijbewijzen en attesten."),
        ]
    ],
]


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: tuple[str, ...]
    aspect: str


QUERIES = [
    # Inflected forms: the stemmer
    Judged("thuiswerken", ("d1", "p6"), "inflection"),
    Judged("circulaires veiligheidsschoenen", ("d5", "d4"), "inflection"),
    Judged("onthaal medewerker", ("d9",), "inflection"),
    Judged("werkplek reserveren", ("d7",), "inflection"),
    Judged("fietsvergoedingen", ("d2",), "inflection"),
    Judged("dienstwagen", ("d6",), "inflection"),
    Judged("opleiding", ("d18",), "inflection"),
    Judged("vakantiedag", ("d19",), "inflection"),
    Judged("klacht", ("d21",), "inflection"),
    Judged("arbeidsongevallen", ("d17",), "inflection"),
    Judged("wachtwoorden", ("d12",), "inflection"),
    Judged("rookzone", ("d15",), "inflection"),
    Judged("vrijwilliger gentse feesten", ("p3",), "inflection"),
    # Accents, both ways
    Judged("coordinatie evenementen", ("d23",), "accents"),
    Judged("privegebruik gsm", ("d25",), "accents"),
    Judged("evenementencoördinator", ("e8", "d23"), "accents"),
    # Compounds written apart, and apart words written together
    Judged("crisis communicatie", ("d3",), "compound"),
    Judged("thuiswerk vergoeding", ("d1",), "compound"),
    Judged("veiligheid schoenen", ("d5", "d4"), "compound"),
    Judged("informatie veiligheid", ("d12", "e3"), "compound"),
    Judged("sneeuw ruimen", ("d10",), "compound"),
    Judged("koffie machine", ("p1",), "compound"),
    Judged("afval sortering", ("d20",), "compound"),
    Judged("energie besparing", ("d24",), "compound"),
    Judged("ziekte verzuim", ("d8",), "compound"),
    Judged("medewerkers bevraging", ("p8",), "compound"),
    Judged("fietsherstelling", ("p7",), "compound"),
    Judged("strooiwagen", ("d10", "p4", "e7"), "compound"),
    # Typing errors
    Judged("fietsvergoedinf", ("d2",), "typo"),
    Judged("circulaiire", ("d5", "d4"), "typo"),
    Judged("wachtwoord informatieveilighied", ("d12",), "typo"),
    Judged("thuiswerkn", ("d1", "p6"), "typo"),
    Judged("Vandenberge", ("e1",), "typo"),
    Judged("preventiedinst", ("g3",), "typo"),
    # Directive numbers
    Judged("KUS-2026-0042", ("d5",), "number"),
    Judged("kus 2026 42", ("d5",), "number"),
    Judged("KUS-2025-0042", ("d4",), "number"),
    Judged("kus 2026 7", ("d6",), "number"),
    Judged("2026-0011", ("d8",), "number"),
    # People and departments
    Judged("Pieter De Smet", ("e2",), "people"),
    Judged("ploegbaas groendienst", ("e2",), "people"),
    Judged("preventieadviseur", ("e4",), "people"),
    Judged("Ahmed", ("e3",), "people"),
    Judged("elektricien", ("e5",), "people"),
    Judged("Peeters", ("e5",), "people"),
    Judged("groendienst", ("g2",), "people"),
    Judged("burgerzaken verhuis", ("p5",), "people"),
    # Current before outdated
    Judged("rookverbod", ("d14",), "status"),
    Judged("roken gebouwen", ("d15",), "status"),
    Judged("circulaire veiligheidsschoenen", ("d5",), "status"),
]


@dataclass
class Score:
    query: Judged
    rank: int | None  # 1-based rank of the first relevant document, None if not in the top 10

    @property
    def reciprocal(self) -> float:
        return 1 / self.rank if self.rank else 0.0


def evaluate(tokens: frozenset[str] = frozenset({"all"})) -> list[Score]:
    """Run every judged query through the query layer, as a member of all staff."""
    from search.query import SearchParams, search_as

    scores = []
    for judged in QUERIES:
        results = search_as(tokens, SearchParams(q=judged.query), per_page=10)
        ids = [hit.id for hit in results.hits]
        if results.goto:
            ids.insert(0, results.goto.rstrip("/").rsplit("/", 1)[-1])
        rank = next((i for i, key in enumerate(ids, 1) if key in judged.relevant), None)
        scores.append(Score(judged, rank))
    return scores


def mean_reciprocal_rank(scores: list[Score]) -> float:
    return sum(score.reciprocal for score in scores) / len(scores)


def recall_at(scores: list[Score], k: int = 5) -> float:
    return sum(1 for score in scores if score.rank and score.rank <= k) / len(scores)
