"""Search at city scale: 10,000 directives and 100,000 posts in one Whoosh index.

    .venv/bin/python bench/search_queries.py [--directives 10000] [--posts 100000] [--runs 200]

Builds a throw-away data directory (SQLite and a Whoosh index), writes the
documents through the same code path the update queue uses (the Dutch
analyzer, principals and all), then measures:

- indexing throughput (documents per second, one writer, batches of 2,000);
- query latency through the JSON API (``/api/v1/search/?q=``: session auth,
  parameter checks, the permission filter inside the query, compounds,
  facets, highlighted snippets, JSON), p50 and p95, beside a bare Whoosh
  query on the same index (the query parser's default English-free parse of
  the words, top 20, stored fields, no filter, no facets, no snippets) —
  the ratio is what Werkplek adds;
- as-you-type suggestion latency through ``/api/v1/search/suggest?q=``;
- a search right after an index write (the first query of a new index generation
  reads the new segment's permission sets and facet columns).

Documents are built from realistic Dutch sentences; a fifth is restricted to
a department or a closed space, so the permission filter has work to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["WERKPLEK_DATA_DIR"] = tempfile.mkdtemp(prefix="werkplek-bench-search-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ["SEARCH_INDEX_UPDATES"] = "manual"
os.environ["ALLOWED_HOSTS"] = "testserver"
for name in ("DATABASE_URL", "SEARCH_URL", "SEARCH_INDEX_DIR"):
    os.environ.pop(name, None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from search.documents import PlainDocument, index_documents  # noqa: E402
from search.indexes import Kind, Status  # noqa: E402
from tests.search.relevance import CORPUS  # noqa: E402
from workplace.audiences import Principals  # noqa: E402

SUBJECTS = [
    "thuiswerk", "fietsvergoeding", "veiligheidsschoenen", "crisiscommunicatie", "werkplek",
    "dienstvoertuig", "ziekteverzuim", "arbeidsongeval", "opleiding", "vakantiedag",
    "wachtwoord", "persoonsgegevens", "rookbeleid", "hitteplan", "winterdienst",
    "afvalsortering", "energiebesparing", "klachtenbehandeling", "onthaal", "evenement",
    "parkeerbeleid", "sleutelbeheer", "beschermkledij", "telewerk", "inventaris",
]  # fmt: skip
VERBS = [
    "regelt", "beschrijft", "wijzigt", "verduidelijkt", "vervangt", "bundelt", "legt vast",
]  # fmt: skip
OBJECTS = [
    "de afspraken voor medewerkers", "de taken van de leidinggevende",
    "de procedure bij een melding", "de vergoedingen per kilometer",
    "het gebruik van de werkplekken", "de rol van de ploegbaas", "de regels op de werf",
    "de termijnen voor een aanvraag", "de verdeling van de budgetten",
    "de controle door de preventiedienst", "de communicatie met burgers",
    "de planning van de diensten",
]  # fmt: skip
PLACES = [
    "in het Administratief Centrum", "op het depot Eedverbond", "in de Bourgoyen",
    "aan het loket Burgerzaken", "in de woonzorgcentra", "op elke werf", "in het stadhuis",
]  # fmt: skip
POST_OPENERS = [
    "Vandaag", "Deze week", "Vanaf maandag", "Tijdens de Gentse Feesten", "Na de verhuis",
    "Goed nieuws:", "Herinnering:", "Vraag:",
]  # fmt: skip
DEPARTMENTS = ["PO", "PA", "COM", "FM", "GRO", "WBW", "PREV", "ICT", "BZ", "EVE"]
CATEGORIES = ["Personeel", "Veiligheid", "Logistiek", "ICT", "Communicatie", "Openbaar domein"]

QUERIES = [
    "thuiswerken", "circulaires veiligheidsschoenen", "crisis communicatie", "werkplekken",
    "fietsvergoedingen medewerkers", "dienstvoertuigen reserveren", "ziekte verzuim",
    "wachtwoord informatieveiligheid", "winterdienst depot", "afval sortering kantoor",
    "gentse feesten", "ploegbaas werf", "vakantiedagen aanvraag", "hitteplan buitenwerkers",
    "KUS-2026-0042", "persoonsgegevens burgers", "opleidingen", "fietsvergoedinf", "onthaal",
    "energie besparing stadsgebouwen",
]  # fmt: skip
PREFIXES = ["th", "thuisw", "fiets", "circ", "KUS-2026-00", "veiligh", "pee", "winterd", "gen"]


def sentence(rng: random.Random) -> str:
    return (
        f"Deze regeling {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} "
        f"rond {rng.choice(SUBJECTS)}."
    )


def restricted(rng: random.Random) -> Principals:
    if rng.random() < 0.8:
        return Principals(allow=frozenset({"all"}))
    if rng.random() < 0.5:
        return Principals(allow=frozenset({f"group:{rng.randint(1, 40)}"}))
    return Principals(allow=frozenset({f"space:{rng.randint(1, 200)}"}))


def documents(directives: int, posts: int, rng: random.Random):
    yield from CORPUS
    for n in range(1, directives + 1):
        year = 2016 + n % 11
        subject = rng.choice(SUBJECTS)
        status = rng.choices(
            [Status.CURRENT, Status.SUPERSEDED, Status.ARCHIVED], weights=[70, 20, 10]
        )[0]
        yield PlainDocument(
            id=f"bd{n}",
            kind=Kind.DIRECTIVE,
            number=f"KUS-{year}-{n:04d}",
            title=f"Circulaire {subject} {rng.choice(PLACES)}",
            body=" ".join(sentence(rng) for _ in range(rng.randint(8, 30))),
            department=rng.choice(DEPARTMENTS),
            category=rng.choice(CATEGORIES),
            status=status,
            date=dt.datetime(year, 1 + n % 12, 1 + n % 28, tzinfo=dt.UTC),
            principals=restricted(rng),
        )
    for n in range(1, posts + 1):
        subject = rng.choice(SUBJECTS)
        post = PlainDocument(
            id=f"bp{n}",
            kind=Kind.POST,
            title=f"{rng.choice(POST_OPENERS)} {subject} {rng.choice(PLACES)}",
            body=" ".join(sentence(rng) for _ in range(rng.randint(1, 4))),
            department=rng.choice(DEPARTMENTS),
            date=dt.datetime(2026, 1 + n % 11, 1 + n % 28, tzinfo=dt.UTC),
            principals=restricted(rng),
        )
        post.suggestible = False  # as streams/search_indexes.py: posts are not suggested
        yield post


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed(function, runs: int) -> list[float]:
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        function(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--directives", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from tests.factories import DepartmentFactory, EmployeeFactory

    user = EmployeeFactory(department=DepartmentFactory(code="BENCH"), job_title="Deskundige")
    client = Client()
    client.force_login(user)

    rng = random.Random(2026)
    total = 1 + args.directives + args.posts
    start = time.perf_counter()
    written = index_documents(documents(args.directives, args.posts, rng), batch_size=2000)
    seconds = time.perf_counter() - start
    print(f"indexed {written:,} documents in {seconds:.1f} s: {written / seconds:,.0f} docs/s")
    assert written >= total

    from haystack import connections
    from whoosh.qparser import OrGroup, QueryParser

    backend = connections["default"].get_backend()
    searcher = backend.index.refresh().searcher()
    parser_ = QueryParser("text", schema=backend.index.schema, group=OrGroup)

    def bare(i: int) -> None:
        results = searcher.search(parser_.parse(QUERIES[i % len(QUERIES)]), limit=20)
        [hit.fields() for hit in results]

    def api(i: int) -> None:
        response = client.get("/api/v1/search/", {"q": QUERIES[i % len(QUERIES)]})
        assert response.status_code == 200, response.content

    def suggest(i: int) -> None:
        response = client.get("/api/v1/search/suggest", {"q": PREFIXES[i % len(PREFIXES)]})
        assert response.status_code == 200

    for function in (bare, api, suggest):  # warm caches and the searcher
        timed(function, len(QUERIES))
    figures = {
        "bare Whoosh query (baseline)": percentiles(timed(bare, args.runs)),
        "API search": percentiles(timed(api, args.runs)),
        "API suggestions": percentiles(timed(suggest, args.runs)),
    }

    def after_a_write(i: int) -> None:
        # Untimed part first: a colleague saves something, a new segment is committed.
        index_documents([PlainDocument(id=f"w{i}", kind=Kind.POST, title=f"Nieuw bericht {i}")])
        start = time.perf_counter()
        api(i)
        return (time.perf_counter() - start) * 1000

    figures["API search right after an index write"] = percentiles(
        [after_a_write(i) for i in range(max(20, args.runs // 10))]
    )
    base = figures["bare Whoosh query (baseline)"][0]
    print(f"{'':40} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7}")
    for name, (p50, p95) in figures.items():
        print(f"{name:40} {p50:8.1f} {p95:8.1f} {p50 / base:7.1f}")
    count = client.get("/api/v1/search/", {"q": "thuiswerken"}).json()["count"]
    print(f"'thuiswerken' finds {count:,} documents for a member of all staff")
    size = sum(f.stat().st_size for f in Path(backend.path).glob("*"))
    print(f"index size: {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
