"""Which targets' notifications are listed, as content apps declare it.

A content app registers its target models from its ``AppConfig.ready()``::

    register_target(Post, listed=lambda: Post.objects.filter(deleted=None, hidden=None))

``listed`` returns the targets whose notifications may still be shown (a hidden
post's notifications leave the list) and is also the queryset the list fetches
them with. Targets of models nobody registered are always listed. This app never
names a content app: the registry is filled from their side.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Model, Q, QuerySet

Listed = Callable[[], QuerySet]

_TARGETS: dict[type[Model], Listed] = {}


def register_target(model: type[Model], *, listed: Listed) -> None:
    _TARGETS[model] = listed


def listed_q() -> Q:
    """One filter: the notification's target is of no registered model, or is listed."""
    condition = Q()
    for model, listed in _TARGETS.items():
        target_type = ContentType.objects.get_for_model(model)
        condition &= ~Q(target_type=target_type) | Q(target_id__in=listed().values("pk"))
    return condition


def with_targets(lines: QuerySet) -> QuerySet:
    """Fetch the targets too: one query per registered model, whatever the number of lines."""
    return lines.prefetch_related(
        GenericPrefetch("target", [listed() for listed in _TARGETS.values()])
    )
