"""The search API every view uses: parameters in, permitted results out.

Nothing here knows the engine: ``engine()`` picks the Whoosh or the
Elasticsearch implementation from the haystack configuration. Every function
takes the user and passes their principals to the engine, which filters
inside the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from haystack import connections

from search.analysis import words
from search.indexes import SUPERUSER, Kind, Status
from search.types import FACETS, Hit, RawResults, Suggestion
from workplace.audiences import user_principals
from workplace.models import Department, Employee

PER_PAGE = 20
MAX_PAGE = 500
MAX_QUERY_LENGTH = 200
# Fewer hits than this and a better-spelled query is offered ("Bedoelde je …?").
FEW_HITS = 3

KIND_LABELS = {
    Kind.DIRECTIVE: gettext_lazy("Directive"),
    Kind.POST: gettext_lazy("Post"),
    Kind.COMMENT: gettext_lazy("Comment on a post"),
    Kind.SPACE: gettext_lazy("Space"),
    Kind.EMPLOYEE: gettext_lazy("Colleague"),
    Kind.DEPARTMENT: gettext_lazy("Organisation unit"),
    Kind.ANNOUNCEMENT: gettext_lazy("Announcement"),
}
STATUS_LABELS = {
    Status.CURRENT: gettext_lazy("Current"),
    Status.SUPERSEDED: gettext_lazy("Superseded"),
    Status.ARCHIVED: gettext_lazy("Archived"),
}

# KUS-2026-0042, also typed "kus 2026 42", "kus-2026-42" or "KUS2026/0042".
NUMBER_PATTERN = re.compile(r"^\s*kus[\s._/-]*(\d{4})[\s._/-]*(\d{1,5})\s*$", re.IGNORECASE)
DEPARTMENT_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


class InvalidSearch(ValueError):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


@cache
def engine():
    engine_path = settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"]
    if "elasticsearch" in engine_path:
        from search.elasticsearch import ElasticsearchQueryEngine

        return ElasticsearchQueryEngine()
    from search.whoosh_engine import WhooshQueryEngine

    return WhooshQueryEngine()


def directive_number(text: str) -> str | None:
    """``kus 2026 42`` → ``KUS-2026-0042``; None when the text is not a number."""
    match = NUMBER_PATTERN.match(text)
    if not match:
        return None
    year, serial = match.groups()
    return f"KUS-{year}-{int(serial):04d}"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    type: str = ""
    department: str = ""
    category: str = ""
    year: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, data: QueryDict) -> SearchParams:
        """Read and check the query string; InvalidSearch says what is wrong, in Dutch."""
        q = " ".join(data.get("q", "").split())
        if len(q) > MAX_QUERY_LENGTH:
            raise InvalidSearch(
                "query_too_long",
                _("Search for at most %(count)s characters.") % {"count": MAX_QUERY_LENGTH},
            )
        kind = data.get("type", "").strip()
        if kind and kind not in KIND_LABELS:
            raise InvalidSearch(
                "invalid_type",
                _("Unknown type %(value)s: use one of %(choices)s.")
                % {"value": kind[:30], "choices": ", ".join(KIND_LABELS)},
            )
        department = data.get("department", "").strip().upper()
        if department and not DEPARTMENT_PATTERN.match(department):
            raise InvalidSearch("invalid_department", _("That is not a department code."))
        category = data.get("category", "").strip()
        if len(category) > 100:
            raise InvalidSearch("invalid_category", _("That is not a category."))
        year = data.get("year", "").strip()
        if year and not (year.isdigit() and len(year) == 4):
            raise InvalidSearch("invalid_year", _("Give the year as four digits."))
        raw_page = data.get("page", "1").strip() or "1"
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= MAX_PAGE:
            raise InvalidSearch(
                "invalid_page",
                _("The page must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE},
            )
        return cls(q, kind, department, category, year, int(raw_page))

    @property
    def filters(self) -> dict[str, str]:
        return {
            FACETS["type"]: self.type,
            FACETS["department"]: self.department,
            FACETS["category"]: self.category,
            FACETS["year"]: self.year,
        }

    def querystring(self, **changes) -> str:
        """This search as a query string, with ``changes`` (a changed filter restarts at page 1)."""
        params = replace(self, **{"page": 1, **changes})
        pairs = {
            "q": params.q,
            "type": params.type,
            "department": params.department,
            "category": params.category,
            "year": params.year,
        }
        if params.page > 1:
            pairs["page"] = str(params.page)
        return urlencode({key: value for key, value in pairs.items() if value})


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    querystring: str


@dataclass
class SearchResults:
    params: SearchParams
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected_from: str | None = None  # the hits are for ``suggestion`` instead
    any_word: bool = False
    goto: str | None = None
    per_page: int = PER_PAGE

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1

    @property
    def has_next(self) -> bool:
        return self.params.page < self.num_pages

    @property
    def previous_querystring(self) -> str:
        return self.params.querystring(page=self.params.page - 1)

    @property
    def next_querystring(self) -> str:
        return self.params.querystring(page=self.params.page + 1)


def viewer_tokens(user: Employee) -> frozenset[str]:
    """The user's principals (``workplace.audiences``), and what the indexes add.

    An index may add tokens of its own with ``viewer_tokens(user)`` (the closed
    spaces someone is a member of); superusers, who hold every role, get
    ``superuser``.
    """
    tokens = user_principals(user)
    if not tokens:
        return tokens
    extra: set[str] = {SUPERUSER} if user.is_superuser else set()
    for index in connections["default"].get_unified_index().get_indexes().values():
        provider = getattr(index, "viewer_tokens", None)
        if provider is not None:
            extra |= provider(user)
    return tokens | extra


def search(user: Employee, params: SearchParams, per_page: int = PER_PAGE) -> SearchResults:
    """The page of results ``params`` asks for, among what ``user`` may see."""
    return search_as(viewer_tokens(user), params, per_page)


def search_as(
    tokens: frozenset[str], params: SearchParams, per_page: int = PER_PAGE
) -> SearchResults:
    """``search`` for whoever holds the principal ``tokens`` (the relevance set, the bench)."""
    results = SearchResults(params=params, per_page=per_page)
    if not params.q:
        return results
    the_engine = engine()
    number = directive_number(params.q)
    if number:
        results.goto = the_engine.by_number(number, tokens)

    def run(text: str, any_word: bool = False) -> RawResults:
        return the_engine.search(text, tokens, params.filters, params.page, per_page, any_word)

    raw = run(params.q)
    if raw.count == 0:
        spelled = the_engine.spelling(params.q)
        if spelled:
            again = run(spelled)
            if again.count:
                raw, results.suggestion, results.corrected_from = again, spelled, params.q
        if raw.count == 0:
            raw = run(params.q, any_word=True)
    elif raw.count < FEW_HITS:
        spelled = the_engine.spelling(params.q)
        if spelled and the_engine.count(spelled, tokens, params.filters):
            results.suggestion = spelled
    results.count, results.hits, results.any_word = raw.count, raw.hits, raw.any_word
    if params.page == 1:
        # Typing a title in full ("Groendienst", "Pieter De Smet") means that one.
        searched = results.suggestion if results.corrected_from else params.q
        wanted = words(searched)
        results.hits.sort(key=lambda hit: words(hit.title) != wanted)
    results.facets = _facets(params, raw.facets)
    return results


def suggest(user: Employee, text: str, limit: int = 8) -> list[Suggestion]:
    """Titles, numbers and people that start with what was typed, as far as ``user`` may see."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if len(text) < 2:
        return []
    return engine().suggest(text, viewer_tokens(user), limit)


def find_number(user: Employee, text: str) -> str | None:
    """The URL of the directive ``text`` numbers, if ``user`` may see it."""
    number = directive_number(text)
    return engine().by_number(number, viewer_tokens(user)) if number else None


def _facets(params: SearchParams, raw: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    department_names = dict(
        Department.objects.filter(code__in=list(raw.get("department", {}))).values_list(
            "code", "name"
        )
    )
    labels = {
        "type": lambda value: str(KIND_LABELS.get(value, value)),
        "department": lambda value: department_names.get(value, value),
        "category": str,
        "year": str,
    }
    current = {
        "type": params.type,
        "department": params.department,
        "category": params.category,
        "year": params.year,
    }
    facets = {}
    for name, counts in raw.items():
        values = [
            FacetValue(
                value=value,
                label=labels[name](value),
                count=count,
                selected=value == current[name],
                # A chosen value's link takes the filter off again.
                querystring=params.querystring(**{name: "" if value == current[name] else value}),
            )
            for value, count in counts.items()
            if value
        ]
        if name == "year":
            values.sort(key=lambda facet: facet.value, reverse=True)
        else:
            values.sort(key=lambda facet: (-facet.count, facet.label))
        facets[name] = values[: 8 if name == "department" else 12]
    return facets
