"""The results page: answers per question, per group, protected by ``surveys.protection``.

Responses are loaded once, grouped per split (department, service, work site,
field or office) as bit sets, protected, and summarised per question into
chart rows (``surveys.charts``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.charts import (
    NEUTRAL,
    Bar,
    Summary,
    format_number,
    format_percent,
    layout,
    percent,
    stack,
    summarise,
    tally_texts,
)
from surveys.models import Kind, Question, Response, Status, Survey
from surveys.protection import OTHER_GROUP, mask_of, popcount, protect
from workplace.models import Department, WorkSite

SPLITS = {
    "department": gettext_lazy("Per department"),
    "service": gettext_lazy("Per service"),
    "site": gettext_lazy("Per work site"),
    "kind": gettext_lazy("Field or office"),
}
GROUP_TEXT_LIMIT = 60


# --- loading ------------------------------------------------------------------------------


@dataclass
class Groups:
    """Labels and bit sets of every split for one set of responses."""

    labels: dict[str, dict[Any, str]]
    masks: dict[str, dict[Any, int]]
    row_keys: dict[str, list[Any]]
    universe: int
    count: int


def unit_tree() -> dict[int, tuple[int, str]]:
    """For each department: (its top-level department id, its name)."""
    rows = Department.objects.values_list("id", "path", "name")
    return {
        pk: (int(path.strip("/").split("/")[0]) if path else pk, name) for pk, path, name in rows
    }


def group_responses(rows: list[tuple[int | None, int | None, bool | None]]) -> Groups:
    tree = unit_tree()
    sites = dict(WorkSite.objects.values_list("id", "name"))
    members: dict[str, dict[Any, list[int]]] = {name: {} for name in SPLITS}
    row_keys: dict[str, list[Any]] = {name: [] for name in SPLITS}
    for index, (unit_id, site_id, field_worker) in enumerate(rows):
        top = tree[unit_id][0] if unit_id in tree else None
        keys = {"department": top, "service": unit_id, "site": site_id, "kind": field_worker}
        for name, key in keys.items():
            members[name].setdefault(key, []).append(index)
            row_keys[name].append(key)
    masks = {
        name: {key: mask_of(indexes, len(rows)) for key, indexes in groups.items()}
        for name, groups in members.items()
    }
    unknown = _("Unknown")
    labels = {
        "department": {k: tree[k][1] if k in tree else unknown for k in masks["department"]},
        "service": {k: tree[k][1] if k in tree else unknown for k in masks["service"]},
        "site": {k: sites.get(k, unknown) for k in masks["site"]},
        "kind": {True: _("Field workers"), False: _("Office workers"), None: unknown},
    }
    return Groups(labels, masks, row_keys, (1 << len(rows)) - 1, len(rows))


# --- the whole page ---------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    overall: Summary | None
    hidden: bool = False
    previous: Summary | None = None
    group_bars: list[Bar] = field(default_factory=list)
    group_height: int = 0
    group_table: list[tuple[str, int, list[Any]]] = field(default_factory=list)
    group_columns: list[str] = field(default_factory=list)
    group_texts: list[tuple[str, str, int]] = field(default_factory=list)
    group_texts_more: int = 0
    groups_hidden: bool = False


@dataclass
class Results:
    survey: Survey
    count: int
    threshold: int
    enough: bool
    questions: list[QuestionResult]
    split: str | None
    rates: list[dict[str, Any]]
    split_suppressed: bool = False
    previous_count: int = 0


def _values(rows_answers: list[dict], key: str) -> list[Any]:
    return [answers[key] for answers in rows_answers if key in answers]


def _answered_mask(rows_answers: list[dict], key: str) -> int:
    answered = [index for index, answers in enumerate(rows_answers) if key in answers]
    return mask_of(answered, len(rows_answers))


def load(survey: Survey) -> tuple[list[tuple], list[dict]]:
    """Group attributes and answers of every response.

    Read through a plain cursor: Django's per-row field converters cost more
    than the JSON decoding itself at 8,000 rows.
    """
    query = (
        Response.objects.filter(survey=survey)
        .order_by()
        .values_list("unit_id", "site_id", "is_field_worker", "answers")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups, answers = [], []
    for unit_id, site_id, field_worker, data in rows:
        groups.append((unit_id, site_id, None if field_worker is None else bool(field_worker)))
        answers.append(json.loads(data) if isinstance(data, str | bytes) else data)
    return groups, answers


def questions_of(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )


def response_rates(
    survey: Survey, groups: Groups, shown: dict[str, dict[Any, int]], split: str, members_by: dict
) -> list[dict[str, Any]]:
    """Answers and invited people for each shown group of a split, plus “other”."""
    rates = []
    covered = 0
    invited_shown = 0
    for key, mask in sorted(shown[split].items(), key=lambda kv: groups.labels[split][kv[0]]):
        covered |= mask
        invited = members_by.get(key, 0)
        invited_shown += invited
        rates.append(
            {"label": groups.labels[split][key], "answers": popcount(mask), "invited": invited}
        )
    rest = popcount(groups.universe & ~covered)
    if rest:
        total_invited = sum(members_by.values())
        rates.append(
            {"label": _("Other"), "answers": rest, "invited": total_invited - invited_shown}
        )
    for rate in rates:
        # People who changed department since they answered can push a group past 100%.
        rate["percent"] = (
            min(percent(rate["answers"], rate["invited"]), 100.0) if rate["invited"] else None
        )
    return rates


def invited_by(survey: Survey, split: str) -> dict[Any, int]:
    """How many of the audience fall in each group of a split (today's organisation)."""
    from workplace.audiences import members

    if survey.audience_id is None:
        return {}
    tree = Department.objects.values_list("id", "path")
    service_of = {}
    top_of = {}
    for pk, path in tree:
        ids = [int(p) for p in path.strip("/").split("/") if p] or [pk]
        top_of[pk] = ids[0]
        service_of[pk] = ids[1] if len(ids) > 1 else ids[0]
    counts: Counter = Counter()
    people = members(survey.audience).values_list("department_id", "site_id", "is_field_worker")
    for department_id, site_id, field_worker in people:
        key = {
            "department": top_of.get(department_id),
            "service": service_of.get(department_id),
            "site": site_id,
            "kind": field_worker,
        }[split]
        counts[key] += 1
    return dict(counts)


def build(survey: Survey, split: str | None = None, with_answers: bool = True) -> Results:
    threshold = max(survey.threshold, 3)
    group_rows, rows_answers = load(survey)
    groups = group_responses(group_rows)
    anonymous = survey.is_anonymous
    shown = protect(groups.masks, groups.universe, threshold) if anonymous else groups.masks
    enough = groups.count >= threshold or not anonymous
    split = split if split in SPLITS else None
    rates = []
    split_suppressed = False
    if split:
        rates = response_rates(survey, groups, shown, split, invited_by(survey, split))
        split_suppressed = not shown[split]
    results = Results(
        survey=survey,
        count=groups.count,
        threshold=threshold,
        enough=enough,
        questions=[],
        split=split,
        rates=rates,
        split_suppressed=split_suppressed,
    )
    if not with_answers or not enough:
        return results

    previous = survey.previous_edition
    previous_by_code: dict[str, tuple[Question, list[dict]]] = {}
    if previous is not None:
        _prev_groups, previous_answers = load(previous)
        results.previous_count = len(previous_answers)
        if len(previous_answers) >= threshold or not previous.is_anonymous:
            for question in questions_of(previous):
                previous_by_code[question.code] = (question, previous_answers)

    for question in questions_of(survey):
        values = _values(rows_answers, question.key)
        hidden = anonymous and 0 < len(values) < threshold
        item = QuestionResult(question, None if hidden else summarise(question, values), hidden)
        if not hidden and question.code in previous_by_code:
            old_question, old_answers = previous_by_code[question.code]
            if old_question.kind == question.kind:
                old_values = _values(old_answers, old_question.key)
                if not anonymous or len(old_values) >= threshold or not old_values:
                    item.previous = summarise(old_question, old_values, previous.title)
        if split and not hidden:
            _split_question(
                item, question, rows_answers, groups, shown, split, threshold, anonymous
            )
        results.questions.append(item)
    return results


def _first_percentages(summary: Summary) -> list[str]:
    return [format_percent(bar.segments[0].percent) for bar in summary.bars]


def _split_question(
    item: QuestionResult,
    question: Question,
    rows_answers: list[dict],
    groups: Groups,
    shown: dict[str, dict[Any, int]],
    split: str,
    threshold: int,
    anonymous: bool,
) -> None:
    answered = _answered_mask(rows_answers, question.key)
    if anonymous:
        per_question = protect(shown, answered, threshold)
    else:
        per_question = {
            name: {k: m & answered for k, m in gs.items()} for name, gs in shown.items()
        }
    # One pass over the answers: each goes to its shown group, or to "other".
    shown_keys = {key for key, mask in per_question[split].items() if mask}
    row_keys = groups.row_keys[split]
    buckets: dict[Any, list[Any]] = {}
    wanted = question.key  # a property: read it once, not 8,000 times
    for index, answers in enumerate(rows_answers):
        if wanted in answers:
            key = row_keys[index] if row_keys[index] in shown_keys else OTHER_GROUP
            buckets.setdefault(key, []).append(answers[wanted])
    rest = buckets.pop(OTHER_GROUP, [])
    labelled = sorted(
        ((groups.labels[split][key], values) for key, values in buckets.items()),
        key=lambda pair: str(pair[0]),
    )
    if not labelled:
        # No group is large enough: nothing is split, free texts go without a label.
        item.groups_hidden = True
    elif len(rest) >= threshold or (not anonymous and rest):
        labelled.append((_("Other"), rest))
        rest = []
    text_kind = question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    for label, values in labelled if not item.groups_hidden else []:
        if text_kind:
            room = max(0, GROUP_TEXT_LIMIT - len(item.group_texts))
            texts, more = tally_texts([str(v) for v in values], limit=min(3, room))
            item.group_texts.extend((label, text, count) for text, count in texts)
            item.group_texts_more += more
            continue
        summary = summarise(question, values, label)
        kind = question.kind
        if kind == Kind.SINGLE:
            counts = [(bar.label, bar.segments[0].count) for bar in summary.bars]
            item.group_bars.append(
                stack(f"{label} (n={summary.answered})", counts, len(values), palette=NEUTRAL)
            )
        elif kind in (Kind.LIKERT, Kind.NPS):
            bar = summary.bars[0]
            bar.label = f"{label} (n={summary.answered})"
            if summary.score is not None:
                bar.label += f" · {format_number(summary.score)}"
            item.group_bars.append(bar)
        elif kind == Kind.MATRIX:
            # Items x groups as stacked bars would be hundreds of rows: a table of the
            # first scale point (e.g. "always") per item reads better.
            first = question.choices[0] if question.choices else ""
            item.group_columns = [f"{bar.label} (% {first})" for bar in summary.bars]
            item.group_table.append((label, summary.answered, _first_percentages(summary)))
        elif kind == Kind.MULTIPLE:
            item.group_columns = [bar.label for bar in summary.bars]
            item.group_table.append((label, summary.answered, _first_percentages(summary)))
        else:
            item.group_columns = [_("average"), _("median")]
            item.group_table.append(
                (
                    label,
                    summary.answered,
                    [format_number(summary.stats.get(key)) for key in ("mean", "median")],
                )
            )
    item.group_height = layout(item.group_bars)
    if text_kind:
        room = max(0, GROUP_TEXT_LIMIT - len(item.group_texts))
        texts, more = tally_texts([str(v) for v in rest], limit=min(10, room))
        item.group_texts.extend(("", text, count) for text, count in texts)
        item.group_texts_more += more


def build_cached(survey: Survey, split: str | None = None, with_answers: bool = True) -> Results:
    """``build`` for a closed survey, kept in the cache: its answers can no longer change.

    The key still names the answer counts (of this edition and the previous
    one), the threshold and the language, so any change yields fresh figures.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    if survey.status != Status.CLOSED:
        return build(survey, split, with_answers)
    editions = [survey.pk, survey.previous_edition_id or 0]
    counts = dict(
        Response.objects.filter(survey__in=editions)
        .values_list("survey")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    key = ":".join(
        str(part)
        for part in (
            # v2: labels and tables hold figures formatted for the language (42,5 %).
            "surveys:results:v2",
            survey.pk,
            int(survey.created.timestamp()),
            split or "-",
            get_language(),
            survey.threshold,
            survey.anonymity,
            with_answers,
            counts.get(survey.pk, 0),
            survey.previous_edition_id or 0,
            counts.get(survey.previous_edition_id, 0),
        )
    )
    report = cache.get(key)
    if report is None:
        report = build(survey, split, with_answers)
        cache.set(key, report, 60 * 60 * 24)
    return report
