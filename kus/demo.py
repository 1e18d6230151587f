"""About sixty realistic directives for ``manage.py seed_demo`` (idempotent: keyed by a demo path)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

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


P, F, I, V, FA, C, J, D = (
    "personeel",
    "financien",
    "ict",
    "veiligheid-welzijn",
    "facility",
    "communicatie",
    "juridisch",
    "dienstverlening",
)

TOPICS = [
    Topic("thuiswerk-2021", P, "HR-PB", "Thuiswerk tijdens de coronamaatregelen",
          "Tijdelijke regels voor thuiswerk tijdens de coronamaatregelen.",
          ("Thuiswerk is verplicht voor wie het kan.", "Je registreert je thuiswerkdagen in de planning.")),
    Topic("thuiswerk", P, "HR-PB", "Thuiswerk en plaatsonafhankelijk werken",
          "Wie een bureaufunctie heeft, mag tot twee dagen per week thuiswerken. Spreek het af met je leidinggevende.",
          ("Je vraagt thuiswerk aan via het personeelsportaal.", "Je leidinggevende keurt de vaste thuiswerkdagen goed.",
           "Je krijgt een maandelijkse vergoeding van 20 euro voor internet en bureaukosten.", "Op thuiswerkdagen ben je bereikbaar tussen 9 en 16 uur."),
          ack=True, versions=3, replaces="thuiswerk-2021"),
    Topic("fietsvergoeding-2019", F, "HR-PB", "Fietsvergoeding",
          "Wie met de fiets naar het werk komt, krijgt 0,24 euro per kilometer.",
          ("Je geeft je ritten elk kwartaal door op papier.",)),
    Topic("uurregeling-2020", P, "HR-PB", "Werktijden en prikklok",
          "Je werkt tussen 7.30 en 18 uur en registreert je tijd aan de prikklok.",
          ("Stamtijden zijn van 9 tot 12 uur en van 14 tot 16 uur.",)),
    Topic("fietsvergoeding", F, "HR-PB", "Fietsvergoeding voor woon-werkverkeer",
          "Kom je met de fiets naar het werk? Dan krijg je 0,35 euro per kilometer, tot 40 kilometer per dag.",
          ("Je geeft je fietsritten elke maand door in het personeelsportaal.", "De vergoeding komt met je loon.",
           "Een speed pedelec telt ook als fiets."), versions=2, replaces="fietsvergoeding-2019"),
    Topic("verlof", P, "HR-PB", "Verlof aanvragen en goedkeuren",
          "Vraag je verlof minstens twee werkdagen vooraf aan. Je leidinggevende antwoordt binnen drie werkdagen.",
          ("Jaarlijks verlof vraag je aan in het personeelsportaal.", "Voor ploegen met een minimumbezetting geldt een verlofplanning.",
           "Niet opgenomen verlof kun je tot 31 maart van het volgende jaar opnemen.")),
    Topic("ziekte", P, "HR-PB", "Ziekte melden",
          "Ben je ziek? Verwittig je leidinggevende voor 9 uur en bezorg binnen twee werkdagen een doktersattest.",
          ("Bel je leidinggevende; een sms of e-mail volstaat niet.", "Laad het attest op in het personeelsportaal of geef het af aan HR.",
           "Je kunt thuis gecontroleerd worden door een controlearts."), ack=True),
    Topic("arbeidsongeval", V, "HR-PBW", "Wat doe je bij een arbeidsongeval?",
          "Meld elk ongeval op het werk of onderweg dezelfde dag aan je leidinggevende en de preventiedienst.",
          ("Laat je verzorgen en vraag een medisch attest.", "Vul samen met je leidinggevende het aangifteformulier in.",
           "Ook een bijna-ongeval meld je: zo voorkomen we het volgende."), audience="all", ack=True, versions=2),
    Topic("werken-op-hoogte", V, "HR-PBW", "Veilig werken op hoogte",
          "Vanaf twee meter hoogte gebruik je valbeveiliging. Ladders en stellingen controleer je voor gebruik.",
          ("Gebruik een ladder alleen voor kort werk.", "Werk nooit alleen op een hoogwerker.",
           "Beschadigde ladders meld je en gebruik je niet meer."), audience="field", ack=True, versions=2),
    Topic("pbm", V, "HR-PBW", "Persoonlijke beschermingsmiddelen",
          "Draag de beschermingsmiddelen die bij je taak horen: veiligheidsschoenen, handschoenen, gehoorbescherming.",
          ("Je ploegbaas zorgt dat de middelen beschikbaar zijn.", "Versleten middelen ruil je gratis om in het magazijn."),
          audience="field", ack=True),
    Topic("hitte", V, "HR-PBW", "Werken bij hitte",
          "Bij temperaturen boven 30 graden pas je de werkuren aan en drink je minstens een liter water per twee uur.",
          ("Zware taken plan je voor 11 uur.", "Ploegen krijgen extra water en zonnecrème.", "Voel je je onwel, stop dan en verwittig je ploegbaas."),
          audience="field", ack=True),
    Topic("agressie", V, "HR-PBW", "Omgaan met agressie aan het loket",
          "Bij agressie blijf je rustig, roep je hulp in en meld je het incident achteraf altijd.",
          ("Gebruik de alarmknop onder het loket.", "Ga nooit alleen in discussie met een agressieve bezoeker.",
           "Je krijgt nazorg van de preventiedienst."), audience="BZ, OCMW-SD", ack=True, restricted=True),
    Topic("evacuatie", V, "HR-PBW", "Evacuatie van stadsgebouwen",
          "Bij een brandalarm verlaat je het gebouw via de dichtstbijzijnde nooduitgang en ga je naar de verzamelplaats.",
          ("Neem de lift niet.", "Evacuatieverantwoordelijken tellen wie er is.", "Keer pas terug als de brandweer het zegt.")),
    Topic("eerste-hulp", V, "HR-PBW", "Eerste hulp en EHBO-koffers",
          "In elk gebouw en elke ploegwagen is een EHBO-koffer. De hulpverleners staan op de lijst bij de ingang.",
          ("Noteer elke verzorging in het EHBO-register.", "Meld een lege of vervallen koffer aan de preventiedienst.")),
    Topic("alcohol", P, "HR-PB", "Alcohol- en drugsbeleid",
          "Op het werk drink je geen alcohol en gebruik je geen drugs. Een leidinggevende kan je werk laten stoppen.",
          ("Ook tijdens middagpauzes en recepties tijdens de diensturen geldt het verbod.", "Wie hulp zoekt, kan vertrouwelijk terecht bij de vertrouwenspersoon."),
          ack=True),
    Topic("deontologie", J, "SC", "Deontologische code voor personeelsleden",
          "Als medewerker van de stad handel je integer, neutraal en respectvol. Geschenken boven 50 euro weiger je.",
          ("Meld belangenconflicten aan je leidinggevende.", "Je gebruikt informatie van het werk alleen voor je werk.",
           "Nevenactiviteiten meld je vooraf aan HR."), ack=True, versions=2),
    Topic("gdpr", J, "SC-IB", "Persoonsgegevens beschermen (GDPR)",
          "Je verwerkt persoonsgegevens alleen als het nodig is voor je taak, en je bewaart ze niet langer dan nodig.",
          ("Meld een datalek meteen aan de functionaris voor gegevensbescherming.", "Stuur geen rijksregisternummers via gewone e-mail."),
          ack=True),
    Topic("datalek", J, "SC-IB", "Een datalek melden",
          "Een datalek meld je binnen het uur aan de functionaris voor gegevensbescherming, ook als je twijfelt.",
          ("Een verloren laptop of gsm is ook een datalek.", "Probeer zelf niets te herstellen: meld eerst.")),
    Topic("wachtwoorden", I, "SC-IB", "Wachtwoorden en tweestapsverificatie",
          "Gebruik voor je stadsaccount een wachtwoord van minstens 14 tekens en zet tweestapsverificatie aan.",
          ("Deel je wachtwoord met niemand, ook niet met de ICT-dienst.", "Gebruik de wachtwoordkluis voor gedeelde accounts."),
          ack=True, versions=2),
    Topic("phishing", I, "SC-IB", "Verdachte e-mails en phishing",
          "Klik niet op links in verdachte e-mails. Stuur ze door naar de ICT-dienst met de knop 'Phishing melden'.",
          ("Een bank of leverancier vraagt nooit je wachtwoord.", "Twijfel je? Bel de afzender via een nummer dat je zelf opzoekt.")),
    Topic("laptops", I, "SC-IB", "Laptops, gsm's en tablets van de stad",
          "Toestellen van de stad gebruik je voor je werk. Verlies of diefstal meld je meteen aan de ICT-helpdesk.",
          ("Installeer alleen apps uit de stadscatalogus.", "Laat je toestel niet onbeheerd achter in een wagen.")),
    Topic("serverruimte", I, "SC-IB", "Toegang tot serverruimtes",
          "Alleen medewerkers op de toegangslijst komen in een serverruimte. Bezoekers worden begeleid.",
          ("Elke toegang wordt geregistreerd met je badge.", "Deuren blijven altijd dicht."),
          audience="SC-IB", restricted=True),
    Topic("sociale-media", C, "COM", "Sociale media voor medewerkers",
          "Je mag over je werk posten, maar je spreekt niet in naam van de stad zonder afspraak met Communicatie.",
          ("Deel geen foto's van burgers zonder toestemming.", "Vragen van de pers stuur je door naar de persdienst.")),
    Topic("pers", C, "COM", "Contact met de pers",
          "Journalisten verwijs je door naar de persdienst. Alleen woordvoerders geven verklaringen.",
          ("Bel de persdienst ook buiten de kantooruren via het wachtnummer.",)),
    Topic("huisstijl", C, "COM", "Huisstijl en logo's gebruiken",
          "Gebruik voor brieven, affiches en presentaties de sjablonen van de huisstijl. Pas het logo nooit aan.",
          ("De sjablonen staan in de huisstijlbank.", "Voor drukwerk vraag je een nazicht aan Communicatie."), versions=2),
    Topic("taal", C, "COM", "Klare taal in brieven en e-mails",
          "Schrijf zoals je praat: korte zinnen, gewone woorden, de belangrijkste boodschap eerst.",
          ("Spreek de lezer aan met 'u'.", "Laat moeilijke brieven nalezen door het schrijfloket.")),
    Topic("onthaal-burgers", D, "BZ", "Onthaal van burgers",
          "Elke burger krijgt binnen tien minuten een eerste antwoord, aan het loket, aan de telefoon of per e-mail.",
          ("Werk met afspraken waar het kan.", "Verwijs door met een naam en een nummer, niet alleen met een dienst.")),
    Topic("klachten", D, "BZ", "Klachtenbehandeling",
          "Een klacht registreer je binnen twee werkdagen. De burger krijgt binnen 30 dagen een antwoord.",
          ("Ook een mondelinge klacht registreer je.", "De klachtencoördinator volgt de termijnen op.")),
    Topic("cash", F, "BZ-BUR", "Cashbeheer aan de loketten",
          "Kassa's tel je samen met een collega af. Verschillen boven 10 euro meld je dezelfde dag aan Financiën.",
          ("Bewaar cash nooit buiten de kluis.", "Het transport van cash gebeurt door de erkende firma."),
          audience="BZ-BUR", restricted=True, ack=True),
    Topic("aankopen", F, "SC", "Aankopen en bestelbonnen",
          "Elke aankoop boven 500 euro vraagt een bestelbon. Boven 30.000 euro geldt de procedure van overheidsopdrachten.",
          ("Vraag minstens drie offertes voor aankopen boven 3.000 euro.", "Facturen zonder bestelbon worden niet betaald."),
          versions=2),
    Topic("onkosten", F, "HR-PB", "Onkosten terugbetalen",
          "Onkosten voor je werk krijg je terug als je ze binnen twee maanden indient met een bewijsstuk.",
          ("Dien onkosten in via het personeelsportaal.", "Maaltijden op verplaatsing worden terugbetaald tot 20 euro.")),
    Topic("dienstwagens", FA, "FM-LOG", "Gebruik van dienstwagens",
          "Dienstwagens reserveer je in het reservatiesysteem. Na gebruik tank je bij als de tank minder dan half vol is.",
          ("Roken in dienstwagens is verboden.", "Schade meld je dezelfde dag met het aanrijdingsformulier."),
          audience="all", ack=True, versions=2),
    Topic("sleutels", FA, "FM-GEB", "Sleutelbeheer in de stadsgebouwen",
          "Wie een sleutel of badge krijgt, tekent ervoor en geeft hem terug bij vertrek.",
          ("Verlies meld je binnen 24 uur aan Facility.", "Je maakt nooit zelf een kopie van een sleutel.")),
    Topic("schoonmaak", FA, "FM-SCH", "Schoonmaakproducten veilig gebruiken",
          "Gebruik alleen de producten uit het magazijn, in de juiste verdunning, met handschoenen.",
          ("Meng nooit producten.", "De veiligheidsfiches hangen in elk poetslokaal."), audience="FM-SCH", ack=True),
    Topic("magazijn", FA, "FM-LOG", "Materiaal uit het centraal magazijn",
          "Materiaal vraag je aan met een magazijnbon die je ploegbaas goedkeurt.",
          ("Afhalen kan elke werkdag van 7 tot 15 uur.", "Gereedschap dat je leent, breng je binnen de week terug.")),
    Topic("afval", FA, "SR", "Afval sorteren in de stadsgebouwen",
          "In elk gebouw sorteer je papier, pmd, restafval en gft. Vertrouwelijk papier gaat in de gesloten container.",
          ("Batterijen en lampen breng je naar het onthaal.",)),
    Topic("energie", FA, "FM-GEB", "Energie besparen in de gebouwen",
          "Zet verlichting en toestellen uit als je vertrekt. De verwarming staat op 20 graden.",
          ("Ramen blijven dicht als de verwarming of de koeling aan staat.",)),
    Topic("werkkledij", FA, "FM-LOG", "Werkkledij voor de ploegen",
          "Veldwerkers krijgen elk jaar een pakket werkkledij. Je draagt ze alleen tijdens het werk.",
          ("Signalisatiekledij moet je dragen op de openbare weg.", "Was de kledij niet boven 40 graden."),
          audience="field", ack=True),
    Topic("sluikstort", D, "SR-SL", "Vaststellingen bij sluikstorten",
          "Bij een sluikstort neem je foto's, zoek je naar aanwijzingen en maak je een vaststelling in de app.",
          ("Open nooit zakken met scherpe voorwerpen.", "Gevaarlijk afval laat je ophalen door de gespecialiseerde ploeg.")),
    Topic("bodycams", J, "SR-SL", "Bodycams bij gemeenschapswachten",
          "Gemeenschapswachten kunnen een bodycam dragen. Je kondigt aan dat je filmt voor je de opname start.",
          ("Beelden worden 30 dagen bewaard.", "Alleen de coördinator kan beelden bekijken."),
          audience="SR-SL", restricted=True, ack=True),
    Topic("signalisatie", V, "WEG", "Signalisatie bij werken op de openbare weg",
          "Elke werf op de openbare weg krijgt signalisatie volgens het signalisatieplan, voor het werk begint.",
          ("Draag altijd fluorescerende kledij.", "Bij twijfel bel je het Team Signalisatie."),
          audience="OW", ack=True, versions=2),
    Topic("winterdienst", D, "WEG", "Winterdienst en strooiroutes",
          "Bij gladheid start de winterdienst op bevel van de coördinator. Strooiroutes volgen de prioriteitenkaart.",
          ("Wachtdiensten krijgen een wachtvergoeding.", "De strooiers worden in november nagekeken."), audience="OW"),
    Topic("bomen", D, "GRN", "Bomen snoeien en vellen",
          "Bomen op openbaar domein worden alleen gesnoeid of geveld met een advies van de bomendeskundige.",
          ("Tijdens het broedseizoen (april tot half juli) snoei je niet.",), audience="GRN"),
    Topic("pesticiden", V, "GRN", "Geen pesticiden op openbaar domein",
          "Op openbaar domein gebruik je geen pesticiden. Onkruid bestrijd je mechanisch of thermisch.",
          ("De uitzonderingen staan op de lijst van de Vlaamse overheid.",), audience="GRN", ack=True),
    Topic("zorgdossier", J, "OCMW-WZC", "Toegang tot zorgdossiers",
          "Alleen zorgverleners die een bewoner verzorgen, openen zijn dossier. Elke toegang wordt gelogd.",
          ("Deel je login niet.", "Sluit het dossier als je de kamer verlaat."),
          audience="OCMW-WZC", restricted=True, ack=True),
    Topic("valpreventie", V, "OCMW-WZC", "Valpreventie bij bewoners",
          "Elke val van een bewoner registreer je in het zorgdossier. Het valteam bespreekt de vallen elke maand.",
          ("Zorg voor vrije doorgangen en goede verlichting.",), audience="OCMW-WZC"),
    Topic("huisbezoek", V, "OCMW-SD", "Veilig op huisbezoek",
          "Een huisbezoek plan je in de gedeelde agenda. Bij een risicoadres ga je met twee.",
          ("Laat je gsm aan en bel in na het bezoek.",), audience="OCMW-SD", ack=True),
    Topic("vorming", P, "HR-LV", "Vorming en opleiding aanvragen",
          "Iedereen heeft recht op vier opleidingsdagen per jaar. Vraag een opleiding aan in het leerplatform.",
          ("Opleidingen tijdens de diensturen zijn werktijd.", "Externe opleidingen boven 500 euro keurt HR goed.")),
    Topic("functioneringsgesprek", P, "HR-LV", "Plannings- en evaluatiegesprekken",
          "Elk jaar heb je een planningsgesprek en een evaluatiegesprek met je leidinggevende.",
          ("Je bereidt het gesprek voor met het formulier in het personeelsportaal.",)),
    Topic("onthaal-nieuwe", P, "HR-LV", "Onthaal van nieuwe collega's",
          "Elke nieuwe collega krijgt een peter of meter en een onthaaldag in de eerste maand.",
          ("Het onthaalpakket ligt klaar op de eerste werkdag.",), audience="Leidinggevenden"),
    Topic("uurregeling", P, "HR-PB", "Glijdende werktijden",
          "Je werkt tussen 7 en 19 uur, met stamtijden van 9 tot 11.30 uur en van 14 tot 15.30 uur.",
          ("Je registreert je tijd met je badge of in de app.", "Overuren worden alleen vooraf toegestaan."),
          versions=2, replaces="uurregeling-2020"),
    Topic("mantelzorg", P, "HR-PB", "Verlof voor mantelzorg",
          "Zorg je voor een ziek familielid? Dan kun je tot zes maanden mantelzorgverlof nemen.",
          ("Je vraagt het aan bij HR met een attest.",)),
    Topic("rookverbod", V, "HR-PBW", "Rookverbod",
          "In alle stadsgebouwen, dienstwagens en op werven is roken verboden. Buiten rook je op minstens acht meter van de ingang.",
          ("Het verbod geldt ook voor e-sigaretten.",)),
    Topic("vergaderzalen", FA, "FM-GEB", "Vergaderzalen reserveren",
          "Reserveer vergaderzalen in de agenda. Een zaal die je niet nodig hebt, annuleer je.",
          ("Laat de zaal netjes achter.",)),
    Topic("printen", I, "SC-IB", "Printen en kopiëren",
          "Print alleen wat nodig is, recto verso en in zwart-wit. Je afdruk komt vrij met je badge.",
          ("Vertrouwelijke documenten print je nooit op een gedeelde printer zonder badge.",)),
    Topic("telefonie", I, "SC-IB", "Gsm-abonnementen en bereikbaarheid",
          "Wie een gsm van de stad krijgt, is bereikbaar tijdens de diensturen. Privégebruik boven 10 euro betaal je zelf.",
          ("Roaming buiten Europa vraag je vooraf aan.",)),
    Topic("fietsen-dienst", FA, "FM-LOG", "Dienstfietsen",
          "Voor verplaatsingen onder 5 kilometer gebruik je een dienstfiets.",
          ("Een defecte fiets meld je in de app.",)),
    Topic("klokkenluiders", J, "SC", "Misstanden melden (klokkenluidersregeling)",
          "Een misstand meld je vertrouwelijk bij de Vlaamse Ombudsdienst of de interne meldpunten. Je wordt beschermd.",
          ("Je melding wordt binnen drie maanden behandeld.",), ack=True),
    Topic("inclusie", P, "HR-PB", "Diversiteit en inclusie",
          "De stad wil een werkplek zijn waar iedereen zichzelf kan zijn. Discriminatie en pesten tolereren we niet.",
          ("Je kunt terecht bij de vertrouwenspersoon.",)),
    Topic("grensoverschrijdend", V, "HR-PBW", "Grensoverschrijdend gedrag",
          "Pesten, geweld en ongewenst seksueel gedrag op het werk meld je aan de vertrouwenspersoon of de preventieadviseur.",
          ("Je melding blijft vertrouwelijk.",), ack=True),
    Topic("archivering", J, "SC-IB", "Documenten bewaren en archiveren",
          "Officiële documenten bewaar je in het documentbeheersysteem, volgens de bewaartermijnen van de selectielijst.",
          ("Persoonlijke mappen zijn geen archief.",)),
    Topic("vrijwilligers", D, "OCMW", "Werken met vrijwilligers",
          "Vrijwilligers krijgen een onthaal, een verzekering en een vast aanspreekpunt.",
          ("Vrijwilligers doen geen taken van medewerkers.",), audience="OCMW"),
    Topic("reizen", F, "SC", "Dienstreizen",
          "Een dienstreis vraag je vooraf aan. Je reist met de trein als de reis minder dan zes uur duurt.",
          ("Vliegtuigreizen keurt de algemeen directeur goed.",)),
]  # fmt: skip


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
    counters: dict[int, int] = {}
    with transaction.atomic():
        for index, topic in enumerate(TOPICS):
            owner = departments[topic.owner]
            published_on = today - datetime.timedelta(days=rng.randint(20, 1500))
            if index % 9 == 4:
                published_on = today - datetime.timedelta(days=rng.randint(2, 25))  # "Nieuw"
            if topic.key.endswith(("-2019", "-2020", "-2021")):
                published_on = datetime.date(int(topic.key[-4:]), 3, 15)
            review = published_on + datetime.timedelta(days=rng.choice([365, 730, 1095]))
            contact = owner.manager or Employee.objects.filter(department=owner).first()
            directive = actions.create_directive(
                author,
                text=actions.Text(topic.title, topic.summary, _body(topic, 1)),
                owner_department=owner,
                category=categories[topic.category],
                audience=_audience(topic.audience, departments),
                tags=[topic.key.split("-")[0], categories[topic.category].name.lower()],
                authorize=False,
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
                actions._publish_version(directive, draft)
            moment = timezone.make_aware(
                datetime.datetime.combine(published_on, datetime.time(9, 0))
            )
            Directive.objects.filter(pk=directive.pk).update(published_at=moment, updated=moment)
            directive.versions.filter(seq=1).update(published_at=moment, created=moment)
            by_key[topic.key] = directive
        for topic in TOPICS:
            if topic.replaces:
                old = by_key[topic.replaces]
                old.status, old.replaced_by = Status.SUPERSEDED, by_key[topic.key]
                old.save(update_fields=["status", "replaced_by"])
        for year, last in counters.items():
            NumberSequence.objects.update_or_create(year=year, defaults={"last": last})
        _seed_reading(rng, [by_key[t.key] for t in TOPICS if t.ack], departments, approver)


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
