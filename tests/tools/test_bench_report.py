"""tools/bench_report.py: the benches' own sections replace the document's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_report", ROOT / "tools" / "bench_report.py")
bench_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_report)

DOC = """# Performance

## Serving
Prose a writer keeps.

<!-- bench:serving -->
| old | table |
<!-- /bench:serving -->

## Other
<!-- bench:other -->
untouched
<!-- /bench:other -->
"""


def test_a_bench_section_replaces_only_the_text_between_its_markers(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(DOC)
    output = "noise\n<!-- bench:serving -->\n| new | table |\n<!-- /bench:serving -->\nmore\n"
    said = bench_report.update([output], doc)
    text = doc.read_text()
    assert "| new | table |" in text and "| old | table |" not in text
    assert "Prose a writer keeps." in text and "untouched" in text
    assert said == ["serving: rewritten"]


def test_a_section_without_markers_in_the_document_is_reported_not_added(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(DOC)
    said = bench_report.update(["<!-- bench:soak -->\nrows\n<!-- /bench:soak -->\n"], doc)
    assert doc.read_text() == DOC
    assert said == ["soak: no <!-- bench:soak --> markers in performance.md, left out"]


def test_every_bench_in_the_list_exists():
    for script, _arguments, _limit in bench_report.BENCHES.values():
        assert (ROOT / "bench" / script).exists(), script
