"""The Dutch relevance set: MRR and recall@5 of the query layer, per aspect.

    .venv/bin/python bench/search_relevance.py

Indexes the relevance corpus (``tests/search/relevance.py``) in a throw-away data
directory and runs every judged query as a member of all staff. The baseline
is the same index queried without Werkplek's compound handling and spelling
correction (plain Dutch-analysed words, all required), measured in the same
run, so the ratio shows what those two add.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["WERKPLEK_DATA_DIR"] = tempfile.mkdtemp(prefix="werkplek-bench-relevance-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ["SEARCH_INDEX_UPDATES"] = "manual"
for name in ("DATABASE_URL", "SEARCH_URL", "SEARCH_INDEX_DIR"):
    os.environ.pop(name, None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from search import query, whoosh_engine  # noqa: E402
from search.documents import index_documents  # noqa: E402
from tests.search.relevance import (  # noqa: E402
    CORPUS,
    evaluate,
    mean_reciprocal_rank,
    recall_at,
)


def report(title: str, scores) -> tuple[float, float]:
    by_aspect = defaultdict(list)
    for score in scores:
        by_aspect[score.query.aspect].append(score)
    print(f"\n{title}")
    print(f"{'aspect':12} {'queries':>7} {'MRR':>6} {'R@5':>6}")
    for aspect, group in by_aspect.items():
        print(
            f"{aspect:12} {len(group):7} {mean_reciprocal_rank(group):6.3f} "
            f"{recall_at(group, 5):6.3f}"
        )
    mrr, recall = mean_reciprocal_rank(scores), recall_at(scores, 5)
    print(f"{'all':12} {len(scores):7} {mrr:6.3f} {recall:6.3f}")
    return mrr, recall


def main() -> None:
    call_command("migrate", verbosity=0)
    index_documents(CORPUS)
    scores = evaluate()
    mrr, recall = report("Werkplek search", scores)
    misses = [(s.query.query, s.rank) for s in scores if s.rank != 1]
    print("not first:", ", ".join(f"{q!r} → {rank or '-'}" for q, rank in misses) or "none")

    whoosh_engine.COMPOUNDS = False
    original_spelling = whoosh_engine.WhooshQueryEngine.spelling
    whoosh_engine.WhooshQueryEngine.spelling = lambda self, text: None
    query.engine.cache_clear()
    base_mrr, base_recall = report("baseline: no compounds, no spelling correction", evaluate())
    whoosh_engine.COMPOUNDS = True
    whoosh_engine.WhooshQueryEngine.spelling = original_spelling
    print(
        f"\nMRR {mrr:.3f} vs {base_mrr:.3f} ({mrr / base_mrr:.2f}x); "
        f"recall@5 {recall:.3f} vs {base_recall:.3f}"
    )


if __name__ == "__main__":
    main()
