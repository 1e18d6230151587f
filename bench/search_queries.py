"""Search at city scale: 10,000 directives and 100,000 posts in one Whoosh index.

    .venv/bin/python bench/search_queries.py [--quick] [--directives 10000] [--posts 100000]
        [--runs 200] [--database-url postgres://postgres@127.0.0.1:5432/werkplek_bench]
        [--profile]

Builds a throw-away data directory (SQLite, or the database ``--database-url``
names, which the bench drops and creates: give it a throw-away name) and a
Whoosh index, writes the documents through the same code path the update queue
uses (the Dutch analyzer, principals and all), then measures, in ONE loop where
every round runs each measure once in a rotating order (so load that comes and
goes touches the baseline and the measures alike):

- the bare Whoosh query (the baseline): the words of the query parsed by
  Whoosh's ``QueryParser`` with its default AND, top 20, stored fields; no
  permission filter, compounds, facets, snippets, session or JSON. The
  previous baseline (the same with OR, which matches and scores many more
  documents, so it flattered the ratio) is measured too, for continuity;
- ``GET /api/v1/search/?q=`` (session auth, parameter checks, the permission
  filter inside the engine, compounds, count, four facets, 20 highlighted
  snippets, JSON);
- ``GET /zoeken/?q=`` (the same, rendered as the HTML page in base.html), with
  its number of SQL queries;
- ``GET /api/v1/search/suggest?q=`` (as you type);
- with ``--database-url``, a bare PostgreSQL full-text query
  (``to_tsvector('dutch', …) @@ plainto_tsquery``, GIN index, ranked, top 20) on
  a table holding the same documents.

Then, apart (the write is untimed), a search right after an index write: the
first query of a new index generation reads the new segment's sets and columns.

Documents are built from realistic Dutch sentences; a fifth is restricted to
a department or a closed space, so the permission filter has work to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARGS = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ARGS.add_argument("--directives", type=int, default=10_000)
ARGS.add_argument("--posts", type=int, default=100_000)
ARGS.add_argument("--runs", type=int, default=200, help="rounds of the interleaved loop")
ARGS.add_argument("--quick", action="store_true", help="1,000 directives, 10,000 posts, 60 rounds")
ARGS.add_argument("--database-url", default="", help="a PostgreSQL database to drop and use")
ARGS.add_argument(
    "--breakdown", action="store_true", help="time the steps of one API search and stop"
)
ARGS.add_argument(
    "--profile", choices=("api", "page"), help="cProfile 100 requests of one kind and stop"
)
OPTIONS = ARGS.parse_args()
if OPTIONS.quick:
    OPTIONS.directives, OPTIONS.posts, OPTIONS.runs = 1_000, 10_000, 60

os.environ["WERKPLEK_DATA_DIR"] = tempfile.mkdtemp(prefix="werkplek-bench-search-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ["SEARCH_INDEX_UPDATES"] = "manual"
os.environ["ALLOWED_HOSTS"] = "testserver"
for name in ("DATABASE_URL", "SEARCH_URL", "SEARCH_INDEX_DIR"):
    os.environ.pop(name, None)
if OPTIONS.database_url:
    os.environ["DATABASE_URL"] = OPTIONS.database_url


def fresh_postgres_database(url: str) -> None:
    """Drop and create the database ``url`` names (the bench's own, throw-away)."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(("werkplek_bench", "werkplek_searchfast")):
        sys.exit(f"--database-url: refusing to drop {name!r}; give a werkplek_bench* database")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


if OPTIONS.database_url:
    fresh_postgres_database(OPTIONS.database_url)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

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


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest rank: the smallest sample with at least ``fraction`` of them at or below it."""
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


def summary(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return percentile(ordered, 0.50), percentile(ordered, 0.95), percentile(ordered, 0.99)


class PostgresBaseline:
    """The same documents in a PostgreSQL table with a GIN index on a Dutch tsvector."""

    def __init__(self, docs) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_fts (id text PRIMARY KEY, title text, body text, "
                "document tsvector GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), "
                "'A') || to_tsvector('dutch', body)) STORED)"
            )
            batch = []
            for doc in docs:
                batch.append((doc.id, doc.title, doc.body))
                if len(batch) == 2000:
                    cursor.executemany("INSERT INTO bench_fts VALUES (%s, %s, %s)", batch)
                    batch = []
            if batch:
                cursor.executemany("INSERT INTO bench_fts VALUES (%s, %s, %s)", batch)
            cursor.execute("CREATE INDEX bench_fts_document ON bench_fts USING gin (document)")
            cursor.execute("ANALYZE bench_fts")

    def __call__(self, text: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title FROM bench_fts, plainto_tsquery('dutch', %s) AS q "
                "WHERE document @@ q ORDER BY ts_rank(document, q) DESC LIMIT 20",
                [text],
            )
            cursor.fetchall()


def breakdown(client, user, bare) -> None:
    """Where the time of an API search goes, step by step, interleaved per query."""
    from contextlib import contextmanager

    from search import query as search_query
    from search import whoosh_engine as engine

    steps: dict[str, list[float]] = {}

    @contextmanager
    def clock(name: str):
        start = time.perf_counter()
        yield
        steps.setdefault(name, []).append((time.perf_counter() - start) * 1000)

    the_engine = engine.WhooshQueryEngine()
    real_snippets = engine._snippets
    for _round in range(3):
        for text in QUERIES:
            with clock("bare Whoosh query (AND)"):
                bare(text)
            with clock("principals"):
                tokens = search_query.viewer_tokens(user)
            searcher = engine._searcher()
            sets = engine._visible_sets(searcher)
            terms = engine._query_terms(text)
            with clock("compounds"):
                query = engine.And(engine._compound_alternatives(searcher.reader(), terms))
            with clock("matches (sets)"):
                matched = sets.matches(query)
            with clock("permission filter"):
                visible = sets.visible(matched, tokens)
            if not visible:
                continue
            with clock("top 20 + snippets"):
                the_engine._top(searcher, query, visible, 1, 20)
            engine._snippets = lambda *args: ""
            with clock("top 20, without snippets"):
                the_engine._top(searcher, query, visible, 1, 20)
            engine._snippets = real_snippets
            with clock("facets"):
                engine._facets(searcher, visible)
            with clock("search_as (all of it)"):
                search_query.search_as(tokens, search_query.SearchParams(q=text))
            with clock("GET /api/v1/search/"):
                client.get("/api/v1/search/", {"q": text})
    print(f"{'step':36} {'p50 ms':>8} {'mean ms':>8}")
    for name, values in steps.items():
        print(f"{name:36} {summary(values)[0]:8.2f} {sum(values) / len(values):8.2f}")


def main() -> None:
    call_command("migrate", verbosity=0)
    from tests.factories import DepartmentFactory, EmployeeFactory

    user = EmployeeFactory(department=DepartmentFactory(code="BENCH"), job_title="Deskundige")
    client = Client()
    client.force_login(user)

    rng = random.Random(2026)
    total = 1 + OPTIONS.directives + OPTIONS.posts
    start = time.perf_counter()
    written = index_documents(documents(OPTIONS.directives, OPTIONS.posts, rng), batch_size=2000)
    seconds = time.perf_counter() - start
    print(f"indexed {written:,} documents in {seconds:.1f} s: {written / seconds:,.0f} docs/s")
    assert written >= total

    from haystack import connections
    from whoosh.qparser import OrGroup, QueryParser

    backend = connections["default"].get_backend()
    searcher = backend.index.refresh().searcher()
    and_parser = QueryParser("text", schema=backend.index.schema)
    or_parser = QueryParser("text", schema=backend.index.schema, group=OrGroup)

    def bare(text: str) -> None:
        results = searcher.search(and_parser.parse(text), limit=20)
        [hit.fields() for hit in results]

    def bare_or(text: str) -> None:
        results = searcher.search(or_parser.parse(text), limit=20)
        [hit.fields() for hit in results]

    def api(text: str) -> None:
        response = client.get("/api/v1/search/", {"q": text})
        assert response.status_code == 200, response.content

    def page(text: str) -> None:
        response = client.get("/zoeken/", {"q": text})
        assert response.status_code in (200, 302), response.status_code

    def suggest(text: str) -> None:
        response = client.get("/api/v1/search/suggest", {"q": text[:8]})
        assert response.status_code == 200

    if OPTIONS.breakdown:
        breakdown(client, user, bare)
        return
    if OPTIONS.profile:
        import cProfile
        import pstats

        function = {"api": api, "page": page}[OPTIONS.profile]
        for text in QUERIES:
            function(text)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(100):
            function(QUERIES[i % len(QUERIES)])
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        return

    measures = {
        "bare Whoosh query, AND (baseline)": bare,
        "bare Whoosh query, OR (earlier baseline)": bare_or,
        "GET /api/v1/search/": api,
        "GET /zoeken/ (HTML page)": page,
        "GET /api/v1/search/suggest": suggest,
    }
    if OPTIONS.database_url:
        print("loading the same documents into a PostgreSQL table …")
        measures["bare PostgreSQL FTS query (same documents)"] = PostgresBaseline(
            documents(OPTIONS.directives, OPTIONS.posts, random.Random(2026))
        )

    functions = list(measures.values())
    for text in QUERIES:  # warm caches and the searcher
        for function in functions:
            function(text)
    samples: dict[str, list[float]] = {name: [] for name in measures}
    ratios: list[float] = []
    names = list(measures)
    for i in range(OPTIONS.runs):
        text = QUERIES[i % len(QUERIES)]
        rotation = i % len(names)
        round_ = {}
        for name in names[rotation:] + names[:rotation]:
            start = time.perf_counter()
            measures[name](text)
            round_[name] = (time.perf_counter() - start) * 1000
            samples[name].append(round_[name])
        ratios.append(round_["GET /api/v1/search/"] / round_[names[0]])

    page_queries = 0
    for text in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            page(text)
        page_queries = max(page_queries, len(captured))

    def after_a_write(i: int) -> float:
        # Untimed part first: a colleague saves something, a new segment is committed.
        index_documents([PlainDocument(id=f"w{i}", kind=Kind.POST, title=f"Nieuw bericht {i}")])
        start = time.perf_counter()
        api(QUERIES[i % len(QUERIES)])
        return (time.perf_counter() - start) * 1000

    after = summary([after_a_write(i) for i in range(max(20, OPTIONS.runs // 10))])

    base = summary(samples[names[0]])[0]
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    print(
        f"{OPTIONS.directives:,} directives, {OPTIONS.posts:,} posts, {OPTIONS.runs} rounds, "
        f"database {connection.vendor}"
    )
    print(f"{'':44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x bare':>7}")
    rows = {name: summary(values) for name, values in samples.items()}
    rows["API search right after an index write (apart)"] = after
    for name, (p50, p95, p99) in rows.items():
        print(f"{name:44} {p50:8.1f} {p95:8.1f} {p99:8.1f} {p50 / base:7.2f}")
    ratio = summary(ratios)
    print(f"API / bare per round: p50 {ratio[0]:.2f}, p95 {ratio[1]:.2f}")
    print(f"search page: at most {page_queries} SQL queries over the {len(QUERIES)} queries")
    count = client.get("/api/v1/search/", {"q": "thuiswerken"}).json()["count"]
    print(f"'thuiswerken' finds {count:,} documents for a member of all staff")
    size = sum(f.stat().st_size for f in Path(backend.path).glob("*"))
    print(f"index size: {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
