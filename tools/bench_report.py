"""Run the benchmarks and rewrite docs/performance.md's tables from their own output.

    .venv/bin/python tools/bench_report.py run [NAME ...]   # `make bench`: all, or these
    .venv/bin/python tools/bench_report.py update LOG ...   # only rewrite, from saved output

Each bench is run at a size that fits the whole run in about 15 minutes on the 2-core
machine (the sizes are below; each bench's own defaults are the full ones), embedded
(no DATABASE_URL, no REDIS_URL: the scaled benches name their own databases), one
after the other, its output kept in var/bench/NAME.log. A bench that prints a section

    <!-- bench:NAME -->
    ...
    <!-- /bench:NAME -->

has that section replaced in docs/performance.md between the same two markers; the
date, machine and load average are the bench's to print. A section without markers in
the document is reported, not added: where it belongs is a writer's choice.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
LOGS = ROOT / "var" / "bench"
SECTION = re.compile(r"^<!-- bench:([\w-]+) -->\n.*?^<!-- /bench:\1 -->$", re.S | re.M)

# name: (script, arguments, seconds it may take at most)
BENCHES: dict[str, tuple[str, list[str], int]] = {
    "workplace_pages": ("workplace_pages.py", ["--rounds", "50"], 240),
    "kus_pages": ("kus_pages.py", ["--directives", "2000", "--versions", "100"], 240),
    "surveys_results": ("surveys_results.py", ["--rounds", "10"], 180),
    "security_costs": ("security_costs.py", ["--rounds", "100"], 180),
    "search_queries": (
        "search_queries.py",
        ["--directives", "2000", "--posts", "20000", "--runs", "50"],
        300,
    ),
    "search_relevance": ("search_relevance.py", [], 180),
    "streams_home": ("streams_home.py", ["--activities", "20000", "--runs", "50"], 240),
    "streams_live": ("streams_live.py", ["--sockets", "300", "--posts", "5"], 240),
    "messaging_realtime": (
        "messaging_realtime.py",
        ["--sockets", "300", "--group", "200", "--rounds", "50", "--fanouts", "5"],
        240,
    ),
    "notifications_delivery": ("notifications_delivery.py", [], 300),
    "workplace_import": ("workplace_import.py", ["--rows", "20000", "--mode", "batched"], 240),
    "campaigns_reach": (
        "campaigns_reach.py",
        ["--events", "50000", "--rounds", "20", "--record-rounds", "100"],
        300,
    ),
    "serving": ("serving.py", ["--seconds", "4", "--rounds", "2"], 600),
    "soak": ("soak.py", ["--step-seconds", "30"], 600),
    "soak-scaled": ("soak.py", ["--scaled", "--step-seconds", "30"], 600),
}


def sections(text: str) -> dict[str, str]:
    return {match[1]: match[0] for match in SECTION.finditer(text)}


def update(outputs: list[str], doc: Path = DOC) -> list[str]:
    """Replace the document's marked sections with the ones in ``outputs``; say what
    was done with each."""
    text = doc.read_text()
    found = {}
    for output in outputs:
        found.update(sections(output))
    present = sections(text)
    said = []
    for name, section in found.items():
        if name in present:
            text = text.replace(present[name], section)
            said.append(f"{name}: rewritten")
        else:
            said.append(f"{name}: no <!-- bench:{name} --> markers in {doc.name}, left out")
    doc.write_text(text)
    return said


def run(names: list[str]) -> int:
    unknown = set(names) - set(BENCHES)
    if unknown:
        print(f"unknown benches: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    listed = {script for script, _, _ in BENCHES.values()}
    helpers = {"common.py", "served.py", "served_settings.py"}
    for script in sorted(path.name for path in (ROOT / "bench").glob("*.py")):
        if script not in listed | helpers:
            print(f"note: bench/{script} is not in tools/bench_report.py's list", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    LOGS.mkdir(parents=True, exist_ok=True)
    outputs, failed = [], []
    started = time.monotonic()
    for name in names or list(BENCHES):
        script, arguments, limit = BENCHES[name]
        print(f"== {name}: bench/{script} {' '.join(arguments)}", flush=True)
        began = time.monotonic()
        try:
            result = subprocess.run(
                [sys.executable, str(ROOT / "bench" / script), *arguments],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=limit,
            )
            output, ok = result.stdout, result.returncode == 0
            (LOGS / f"{name}.err").write_text(result.stderr)
        except subprocess.TimeoutExpired as expired:
            output, ok = (expired.stdout or b"").decode(errors="replace"), False
        (LOGS / f"{name}.log").write_text(output)
        outputs.append(output)
        print(f"   {'done' if ok else 'FAILED'} in {time.monotonic() - began:.0f} s", flush=True)
        if not ok:
            failed.append(name)
    for line in update(outputs):
        print(line)
    print(f"{len(outputs)} benches in {time.monotonic() - started:.0f} s; output in {LOGS}")
    if failed:
        print(f"failed: {', '.join(failed)} (see {LOGS}/NAME.err)", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        return run(argv[1:])
    if argv[:1] == ["update"] and argv[1:]:
        for line in update([Path(log).read_text() for log in argv[1:]]):
            print(line)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
