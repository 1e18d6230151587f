"""Reading answers from a submitted form, checking them, and deciding what is asked.

Form field names: ``q<id>`` for a question, ``q<id>_other`` for its “other: …”
text and ``q<id>_r<n>`` for row *n* of a matrix. Option and scale values are
sent as indexes, stored as their labels (so that exports and comparisons
between editions read well). Anything else that looks like an answer field is
refused: a forged field must never be silently dropped or stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from surveys.models import OTHER, Kind, Question

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000
FIELD_RE = re.compile(r"^q(\d+)(?:_other|_r(\d+))?$")


class AnswerError(Exception):
    """A form that must be refused as a whole (a forged field, a foreign question)."""


def field_names(question: Question) -> set[str]:
    name = f"q{question.pk}"
    if question.kind == Kind.MATRIX:
        return {f"{name}_r{index}" for index in range(len(question.rows))}
    names = {name}
    if question.allow_other and question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        names.add(f"{name}_other")
    return names


def _index(raw: str, size: int) -> int | None:
    if not raw.isdigit():
        return None
    value = int(raw)
    return value if value < size else None


def _text(data: Mapping[str, Any], name: str) -> str:
    return (data.get(name) or "").strip()


def _other(question: Question, data: Mapping[str, Any]) -> str:
    """The “other: …” text that goes with a chosen “other” option."""
    other = _text(data, f"q{question.pk}_other")
    if not other:
        raise ValueError(_("Describe your “other” answer."))
    if len(other) > SHORT_TEXT_MAX:
        raise ValueError(_("This answer is too long."))
    return other


def _clean_single(question: Question, data: Mapping[str, Any]) -> Any:
    raw = _text(data, f"q{question.pk}")
    if not raw:
        return None
    if raw == "other" and question.allow_other:
        return {"choice": OTHER, "other": _other(question, data)}
    index = _index(raw, len(question.choices))
    if index is None:
        raise ValueError(_("Choose one of the options."))
    return {"choice": question.choices[index]}


def _clean_multiple(question: Question, data: Mapping[str, Any]) -> Any:
    name = f"q{question.pk}"
    getlist = data.getlist if hasattr(data, "getlist") else lambda key: data.get(key, [])
    raws = [raw.strip() for raw in getlist(name) if raw.strip()]
    if not raws:
        return None
    chosen, other = [], None
    for raw in raws:
        if raw == "other" and question.allow_other:
            other = _other(question, data)
            continue
        index = _index(raw, len(question.choices))
        if index is None:
            raise ValueError(_("Choose from the options."))
        if question.choices[index] not in chosen:
            chosen.append(question.choices[index])
    value: dict[str, Any] = {"choices": chosen}
    if other is not None:
        value["other"] = other
    return value


def _clean_likert(question: Question, data: Mapping[str, Any]) -> Any:
    raw = _text(data, f"q{question.pk}")
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 5:
        raise ValueError(_("Choose a point on the scale."))
    return int(raw)


def _clean_nps(question: Question, data: Mapping[str, Any]) -> Any:
    raw = _text(data, f"q{question.pk}")
    if not raw:
        return None
    if not raw.isdigit() or not 0 <= int(raw) <= 10:
        raise ValueError(_("Choose a score from 0 to 10."))
    return int(raw)


def _clean_matrix(question: Question, data: Mapping[str, Any]) -> Any:
    value = {}
    for row_index, row in enumerate(question.rows):
        raw = _text(data, f"q{question.pk}_r{row_index}")
        if not raw:
            continue
        index = _index(raw, len(question.choices))
        if index is None:
            raise ValueError(_("Choose a point on the scale for every item."))
        value[row] = question.choices[index]
    return value or None


def _clean_number(question: Question, data: Mapping[str, Any]) -> Any:
    raw = _text(data, f"q{question.pk}")
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise ValueError(_("Enter a whole number.")) from None
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(
            _("Enter a number from %(min)s to %(max)s.")
            % {"min": low if low is not None else "…", "max": high if high is not None else "…"}
        )
    return number


def _clean_text(question: Question, data: Mapping[str, Any]) -> Any:
    raw = _text(data, f"q{question.pk}")
    if not raw:
        return None
    if len(raw) > (SHORT_TEXT_MAX if question.kind == Kind.SHORT_TEXT else LONG_TEXT_MAX):
        raise ValueError(_("This answer is too long."))
    return raw


CLEANERS: dict[str, Callable[[Question, Mapping[str, Any]], Any]] = {
    Kind.SINGLE: _clean_single,
    Kind.MULTIPLE: _clean_multiple,
    Kind.LIKERT: _clean_likert,
    Kind.NPS: _clean_nps,
    Kind.MATRIX: _clean_matrix,
    Kind.NUMBER: _clean_number,
    Kind.SHORT_TEXT: _clean_text,
    Kind.LONG_TEXT: _clean_text,
}


def _clean(question: Question, data: Mapping[str, Any]) -> Any:
    """The stored value of one question, None when unanswered; ValueError on bad input."""
    return CLEANERS.get(question.kind, _clean_text)(question, data)


def check_field_names(questions: Iterable[Question], data: Mapping[str, Any]) -> None:
    """Refuse answers to questions that are not on this screen, and unknown fields."""
    allowed: set[str] = set()
    for question in questions:
        allowed |= field_names(question)
    for name in data:
        if FIELD_RE.match(name) and name not in allowed:
            raise AnswerError(
                _("The form contained an answer to a question that is not asked here.")
            )
        if name.startswith("q") and name[1:2].isdigit() and not FIELD_RE.match(name):
            raise AnswerError(_("The form contained a field that does not belong to this survey."))


def parse(
    questions: Iterable[Question], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the answers to ``questions``: (values by question key, errors by question key)."""
    questions = list(questions)
    check_field_names(questions, data)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            values[question.key] = _clean(question, data)
        except ValueError as error:
            errors[question.key] = str(error)
    return values, errors


def is_answered(question: Question, value: Any) -> bool:
    if value in (None, "", {}, []):
        return False
    if question.kind == Kind.MULTIPLE:
        return bool(value.get("choices")) or bool(value.get("other"))
    if question.kind == Kind.MATRIX:
        return len(value) == len(question.rows)
    return True


def missing_required(questions: Iterable[Question], answers: Mapping[str, Any]) -> dict[str, str]:
    return {
        question.key: _("This question is required.")
        for question in questions
        if question.required and not is_answered(question, answers.get(question.key))
    }


def _matches(question: Question, value: Any, wanted: list[str]) -> bool:
    if value is None:
        return False
    if question.kind == Kind.SINGLE:
        return value.get("choice") in wanted
    if question.kind == Kind.MULTIPLE:
        return bool(set(value.get("choices", [])) & set(wanted))
    return str(value) in wanted


def is_visible(
    question: Question, answers: Mapping[str, Any], by_id: Mapping[int, Question]
) -> bool:
    """Whether the question is asked, given the answers so far (conditions may chain)."""
    seen = set()
    while question.condition_question_id:
        if question.pk in seen:  # a loop in the conditions: never ask
            return False
        seen.add(question.pk)
        condition = by_id.get(question.condition_question_id)
        if condition is None:
            return False
        if not _matches(condition, answers.get(condition.key), question.condition_values):
            return False
        question = condition
    return True


def form_values(question: Question, value: Any) -> dict[str, Any]:
    """What a template needs to show a stored answer as checked boxes and filled fields."""
    if value is None:
        return {"selected": set(), "other": "", "text": "", "rows": {}}
    if question.kind == Kind.SINGLE:
        choice = value.get("choice")
        selected = (
            {"other"}
            if choice == OTHER
            else {str(i) for i, c in enumerate(question.choices) if c == choice}
        )
        return {"selected": selected, "other": value.get("other", ""), "text": "", "rows": {}}
    if question.kind == Kind.MULTIPLE:
        chosen = set(value.get("choices", []))
        selected = {str(i) for i, c in enumerate(question.choices) if c in chosen}
        if value.get("other"):
            selected.add("other")
        return {"selected": selected, "other": value.get("other", ""), "text": "", "rows": {}}
    if question.kind == Kind.MATRIX:
        rows = {
            row: str(question.choices.index(value[row]))
            for row in question.rows
            if row in value and value[row] in question.choices
        }
        return {"selected": set(), "other": "", "text": "", "rows": rows}
    return {"selected": {str(value)}, "other": "", "text": str(value), "rows": {}}


def display(question: Question, value: Any) -> str:
    """An answer as one line of text (review page, CSV export)."""
    if value is None:
        return ""
    if question.kind == Kind.SINGLE:
        if value.get("choice") == OTHER:
            return _("Other: %(text)s") % {"text": value.get("other", "")}
        return value.get("choice", "")
    if question.kind == Kind.MULTIPLE:
        parts = list(value.get("choices", []))
        if value.get("other"):
            parts.append(_("Other: %(text)s") % {"text": value["other"]})
        return "; ".join(parts)
    if question.kind == Kind.MATRIX:
        return "; ".join(f"{row}: {value[row]}" for row in question.rows if row in value)
    if question.kind == Kind.LIKERT:
        return question.scale[value - 1]
    return str(value)
