"""``manage.py search_check [--fix]``: is every object in the index, and up to date?

Compares each indexed model's objects with the index, by a checksum of what
the index would say about them, and reports objects that are missing, stale
(changed since they were indexed, or indexed by an older version) or orphaned
(gone from the database but still in the index), and updates that keep failing.
Objects whose update is already queued (saved a moment ago, the writer has yet to
apply it) are counted as queued, not as problems; on an empty index (the first
``make run``, after the demo seeding) everything is "to index", not "missing".
``--fix`` queues all of those and applies them with the single writer; on an
empty index that builds it (``make run`` calls it).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.utils import get_model_ct

from search import queue
from search.health import index_state
from search.models import IndexTask


class Command(BaseCommand):
    help = "Report objects missing from or stale in the search index; --fix repairs them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="queue and apply the repairs")

    def handle(self, *args, fix: bool = False, **options) -> None:
        backend = connections["default"].get_backend()
        if not hasattr(backend, "stored_checksums"):
            raise CommandError("The search backend is not Werkplek's; see docs/search.md.")
        state = index_state()
        if state.get("schema") == "outdated":
            self.stdout.write("The index has an older schema: it is rebuilt.")
            if fix:
                backend.clear()
        building = not state.get("documents")
        if building:
            self.stdout.write(
                "The search index is empty: everything is indexed now."
                if fix
                else "The search index is empty: run search_check --fix to build it."
            )
        problems = queued = 0
        unified = connections["default"].get_unified_index()
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            missing, stale, orphans = self._compare(backend, index, model)
            waiting = set(
                IndexTask.objects.filter(
                    model=get_model_ct(model), attempts__lt=queue.MAX_ATTEMPTS
                ).values_list("object_id", flat=True)
            )
            missing, stale, orphans = missing - waiting, stale - waiting, orphans - waiting
            problems += len(missing) + len(stale) + len(orphans)
            queued += len(waiting)
            if building:
                line = f"{model._meta.label}: {len(missing)} to index"
            else:
                line = (
                    f"{model._meta.label}: {len(missing)} missing, {len(stale)} stale, "
                    f"{len(orphans)} orphaned"
                )
            self.stdout.write(line + (f", {len(waiting)} queued" if waiting else ""))
            if fix and (missing or stale or orphans):
                IndexTask.objects.bulk_create(
                    [
                        IndexTask(model=get_model_ct(model), object_id=object_id)
                        for object_id in sorted(missing | stale | orphans)
                    ],
                    batch_size=1000,
                )
        failed = IndexTask.objects.filter(attempts__gte=queue.MAX_ATTEMPTS)
        if failed.exists():
            self.stdout.write(f"{failed.count()} update(s) failed repeatedly.")
            problems += failed.count()
            if fix:
                failed.update(attempts=0)
        if fix:
            written = queue.drain(blocking=True)
            self.stdout.write(self.style.SUCCESS(f"Repaired: {written} document(s) written."))
            if queue.pending() or IndexTask.objects.exists():
                raise CommandError("Some updates failed; see the log, then run --fix again.")
        elif problems:
            raise CommandError(f"{problems} problem(s); run search_check --fix to repair.")
        elif queued:
            self.stdout.write(
                f"{queued} update(s) queued: the writer applies them (search_check --fix now)."
            )
        else:
            self.stdout.write(self.style.SUCCESS("The search index is complete and up to date."))

    def _compare(self, backend, index, model) -> tuple[set[str], set[str], set[str]]:
        in_index = backend.stored_checksums(get_model_ct(model))
        missing, stale, seen = set(), set(), set()
        for obj in index.index_queryset().iterator(chunk_size=500):
            object_id = str(obj.pk)
            seen.add(object_id)
            stored = in_index.get(object_id)
            if stored is None:
                missing.add(object_id)
            elif stored != index.full_prepare(obj)["checksum"]:
                stale.add(object_id)
        return missing, stale, set(in_index) - seen
