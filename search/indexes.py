"""The one shape every searchable thing takes in the index.

An app makes its objects searchable with a ``search_indexes.py`` that
subclasses ``DocumentIndex``, names its model, and fills the fields below
through ``prepare_*`` methods. The only mandatory ones are ``prepare_title``,
``prepare_body`` (the text without the title), ``prepare_url`` and
``principals`` (who may see the object). ``search/`` does the rest: the Dutch
analysis, the permission filter, the update queue and the query layer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from haystack import indexes

from search.backend import SCHEMA_VERSION
from workplace.audiences import ALL_STAFF, Principals
from workplace.text import fold

EVERYONE = Principals(allow=frozenset({ALL_STAFF}))
# Superusers hold every role: documents granted to a role are granted to them too.
SUPERUSER = "superuser"


class Kind:
    """The ``type`` of a result, in the API and the facets."""

    DIRECTIVE = "directive"
    POST = "post"
    COMMENT = "comment"
    SPACE = "space"
    EMPLOYEE = "employee"
    DEPARTMENT = "department"
    ANNOUNCEMENT = "announcement"


class Status:
    CURRENT = "current"
    SUPERSEDED = "superseded"
    ARCHIVED = "archived"


# Outdated documents stay findable but sink below current ones.
STATUS_WEIGHT = {Status.SUPERSEDED: 35, Status.ARCHIVED: 25}  # percent


class DocumentIndex(indexes.SearchIndex):
    text = indexes.CharField(document=True)
    title = indexes.CharField()
    names = indexes.CharField(default="")
    number = indexes.CharField(default="")
    suggest = indexes.CharField(default="")
    kind = indexes.CharField()
    department = indexes.CharField(default="")
    department_name = indexes.CharField(default="", indexed=False)
    category = indexes.CharField(default="")
    status = indexes.CharField(default="")
    date = indexes.DateTimeField(null=True)
    year = indexes.CharField(default="")
    url = indexes.CharField(indexed=False)
    detail = indexes.CharField(default="", indexed=False)
    weight = indexes.IntegerField(default=100)
    allow = indexes.MultiValueField()
    deny = indexes.MultiValueField()
    grant = indexes.MultiValueField()
    checksum = indexes.CharField(indexed=False, default="")
    schema_version = indexes.CharField(indexed=False, default="")

    kind_name: str = ""
    # Saves that change only these fields (``update_fields``) are not re-indexed.
    unindexed_fields: frozenset[str] = frozenset()

    # --- what subclasses provide --------------------------------------------------

    def principals(self, obj) -> Principals:
        """Who may see ``obj``: the audience's allow and deny tokens."""
        return EVERYONE

    def grants(self, obj) -> set[str]:
        """Tokens that see ``obj`` whatever its audience excludes (editors, object grants)."""
        return set()

    def prepare_body(self, obj) -> str:
        return ""

    def prepare_title(self, obj) -> str:
        raise NotImplementedError

    def prepare_url(self, obj) -> str:
        return obj.get_absolute_url()

    # --- derived fields ----------------------------------------------------------------

    def prepare_kind(self, obj) -> str:
        return self.kind_name

    def prepare_text(self, obj) -> str:
        return "\n".join(part for part in (self.prepare_title(obj), self.prepare_body(obj)) if part)

    def prepare_year(self, obj) -> str:
        date = self.prepare_date(obj)
        return str(date.year) if date else ""

    def prepare_date(self, obj):
        return None

    def prepare_weight(self, obj) -> int:
        return STATUS_WEIGHT.get(self.prepare_status(obj), 100)

    def prepare_status(self, obj) -> str:
        return ""

    def prepare_suggest(self, obj) -> str:
        return " ".join(
            part for part in (self.prepare_number(obj), self.prepare_title(obj)) if part
        )

    def prepare_number(self, obj) -> str:
        return ""

    def prepare_allow(self, obj) -> list[str]:
        return sorted(self._principals(obj).allow)

    def prepare_deny(self, obj) -> list[str]:
        return sorted(self._principals(obj).deny)

    def prepare_grant(self, obj) -> list[str]:
        return sorted(self.grants(obj))

    def _principals(self, obj) -> Principals:
        # Computed once per object and preparation: allow and deny share the queries.
        cache = self.__dict__.setdefault("_principal_cache", {})
        key = (type(obj), obj.pk)
        if key not in cache:
            cache.clear()
            cache[key] = self.principals(obj)
        return cache[key]

    def full_prepare(self, obj, with_string_facet=True) -> dict[str, Any]:
        data = super().full_prepare(obj, with_string_facet=with_string_facet)
        self.__dict__.pop("_principal_cache", None)
        data["schema_version"] = SCHEMA_VERSION
        data["checksum"] = document_checksum(data)
        return data


def document_checksum(data: dict[str, Any]) -> str:
    """A fingerprint of what a document says, to find stale entries in the index."""
    significant = {
        key: value
        for key, value in data.items()
        if key not in {"checksum", "django_ct", "django_id", "id"}
    }
    encoded = json.dumps(significant, sort_keys=True, default=str).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def number_words(number: str) -> str:
    """``KUS-2026-0042`` → ``kus 2026 42``: the words a number is also typed as."""
    return " ".join(part.lstrip("0") or "0" for part in fold(number).split("-") if part)


def number_key(number: str) -> str:
    """The folded form a number is stored and looked up in."""
    return fold(number).strip()
