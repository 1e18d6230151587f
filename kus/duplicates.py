"""Directives whose text resembles a new one: shown to the editor before publication and
reported by the legacy import."""

from __future__ import annotations

from kus.access import visible_directives
from kus.models import Directive, Status
from kus.text import minhash, similarity
from workplace.models import Employee

DUPLICATE_THRESHOLD = 0.5


def near_duplicates(
    user: Employee | None, text: str, *, exclude: int | None = None, limit: int = 5
) -> list[tuple[Directive, float]]:
    """Directives (that the user may see) whose text resembles ``text``, most similar first."""
    signature = minhash(text)
    if not signature:
        return []
    candidates = (Directive.objects.all() if user is None else visible_directives(user)).exclude(
        status=Status.ARCHIVED
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    scored = []
    for pk, stored in candidates.values_list("pk", "signature").iterator(chunk_size=2000):
        score = similarity(signature, stored)
        if score >= DUPLICATE_THRESHOLD:
            scored.append((score, pk))
    scored.sort(reverse=True)
    scored = scored[:limit]
    found = Directive.objects.in_bulk([pk for _score, pk in scored])
    return [(found[pk], score) for score, pk in scored if pk in found]
