"""Chart rows for one question's answers: bars, stacks, scores and free texts.

Positions are computed here (in a 320-unit wide viewBox) so that the chart
template tag only writes them out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from surveys.models import OTHER, Kind, Question

NPS_CSS = ("nps-low", "nps-mid", "nps-high")
# Stacked segments: "s1".."s5" a diverging palette for the agreement scale (disagree
# warm, agree blue: the best end is never red); "c1".."c8" neutral colours for choices
# that are not a judgement, or whose order the builder chose (a matrix's "altijd …
# nooit" runs best first). Colours in surveys.css.
ORDERED = "s"
NEUTRAL = "c"


def format_percent(value: float) -> str:
    """A percentage with one decimal in the language's way: "42,5 %" in Dutch, "42.5%"."""
    return _("%(number)s%%") % {"number": number_format(value, decimal_pos=1)}


def format_number(value: float | int | None) -> str:
    """An average or a score: whole numbers as they are, others with one decimal."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=1 if isinstance(value, float) else None)


@dataclass
class Segment:
    label: str
    count: int
    percent: float
    css: str = ""
    x: float = 0
    width: float = 0

    # Positions in the chart's 320-unit wide viewBox.
    @property
    def sx(self) -> float:
        return round(self.x * CHART_WIDTH / 100)

    @property
    def sw(self) -> float:
        return round(self.width * CHART_WIDTH / 100)

    @property
    def tx(self) -> float:
        return round(self.sx + self.sw / 2)

    @property
    def end(self) -> float:
        return round(self.sx + self.sw + 4, 1)

    @property
    def fits(self) -> bool:
        # Room for "100,0 %" inside the segment; a narrower one shows no figure.
        return self.width >= 16


@dataclass
class Bar:
    """One row of a chart: a single bar or a stack of segments."""

    label: str
    total: int
    segments: list[Segment] = field(default_factory=list)
    note: str = ""
    y: int = 0

    @property
    def label_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 19

    @property
    def text_y(self) -> int:
        return self.y + 33


ROW_HEIGHT = 42
CHART_WIDTH = 260


def layout(bars: list[Bar]) -> int:
    """Place the rows under each other; the chart's height."""
    for index, bar in enumerate(bars):
        bar.y = index * ROW_HEIGHT
    return len(bars) * ROW_HEIGHT + 4


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def stack(
    label: str,
    counts: list[tuple[str, int]],
    total: int,
    note: str = "",
    palette: str = ORDERED,
) -> Bar:
    bar = Bar(label=label, total=total, note=note)
    x = 0.0
    for index, (name, count) in enumerate(counts, start=1):
        width = 100 * count / total if total else 0
        bar.segments.append(
            Segment(
                name,
                count,
                percent(count, total),
                f"{palette}{index}",
                round(x, 2),
                round(width, 2),
            )
        )
        x += width
    return bar


TEXT_LIMIT = 40


def tally_texts(texts: list[str], limit: int = TEXT_LIMIT) -> tuple[list[tuple[str, int]], int]:
    """Free texts with how often each was given, most frequent first; and how many more."""
    counted = Counter(text.strip() for text in texts if text.strip())
    ordered = sorted(counted.items(), key=lambda pair: (-pair[1], pair[0].lower()))
    shown = ordered[:limit]
    return shown, sum(count for _text, count in ordered[limit:])


def nps_score(values: list[int]) -> int | None:
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round(100 * (promoters - detractors) / len(values))


@dataclass
class Summary:
    """The figures of one question for one set of answers."""

    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    stacked: bool = False
    score: int | float | None = None
    score_label: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    texts: list[tuple[str, int]] = field(default_factory=list)
    texts_more: int = 0
    height: int = 0


def summarise(question: Question, values: list[Any], label: str = "") -> Summary:
    """Chart rows for the answers ``values`` (all not None)."""
    summary = Summary(question=question, answered=len(values))
    n = len(values)
    kind = question.kind
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        counter: Counter[str] = Counter()
        others = []
        for value in values:
            if kind == Kind.SINGLE:
                counter[value.get("choice")] += 1
            else:
                counter.update(value.get("choices", []))
                if value.get("other"):
                    counter[OTHER] += 1
            if value.get("other"):
                others.append(value["other"])
        options = list(question.choices) + ([OTHER] if question.allow_other else [])
        for option in options:
            name = _("Other answer") if option == OTHER else option
            count = counter.get(option, 0)
            summary.bars.append(
                Bar(
                    name,
                    n,
                    [Segment(name, count, percent(count, n), "s0", 0, percent(count, n))],
                )
            )
        summary.texts, summary.texts_more = tally_texts(others)
    elif kind == Kind.LIKERT:
        counter = Counter(values)
        summary.stacked = True
        summary.bars.append(
            stack(label, [(question.scale[i - 1], counter.get(i, 0)) for i in range(1, 6)], n)
        )
        summary.score = round(statistics.fmean(values), 1) if values else None
        summary.score_label = _("average (1 to 5)")
    elif kind == Kind.MATRIX:
        summary.stacked = True
        for row in question.rows:
            row_values = [value[row] for value in values if row in value]
            counter = Counter(row_values)
            summary.bars.append(
                stack(
                    row,
                    [(c, counter.get(c, 0)) for c in question.choices],
                    len(row_values),
                    palette=NEUTRAL,
                )
            )
    elif kind == Kind.NPS:
        summary.stacked = True
        detractors = sum(1 for v in values if v <= 6)
        passives = sum(1 for v in values if 7 <= v <= 8)
        promoters = n - detractors - passives
        summary.bars.append(
            stack(
                label,
                [
                    (_("Detractors (0-6)"), detractors),
                    (_("Passives (7-8)"), passives),
                    (_("Promoters (9-10)"), promoters),
                ],
                n,
            )
        )
        for bar in summary.bars:
            for segment, css in zip(bar.segments, NPS_CSS, strict=True):
                segment.css = css
        summary.score = nps_score(values)
        summary.score_label = _("NPS (promoters minus detractors)")
    elif kind == Kind.NUMBER:
        if values:
            summary.stats = {
                "mean": round(statistics.fmean(values), 1),
                "median": statistics.median(values),
                "min": min(values),
                "max": max(values),
            }
            summary.score = summary.stats["mean"]
            summary.score_label = _("average")
    else:
        summary.texts, summary.texts_more = tally_texts([str(v) for v in values])
    summary.height = layout(summary.bars)
    return summary
