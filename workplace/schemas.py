"""A small checker of JSON values against ``TypedDict`` schemas.

The real-time protocol declares each event and client frame as a ``TypedDict``
whose ``type`` field is a one-value ``Literal`` (docs/realtime.md). The socket
checks client frames against theirs at the door (``untrusted.check_frame``); the
test suite checks every event it sees sent against its own, so that a payload
and its schema cannot drift apart.

Only what JSON can carry is understood: ``TypedDict`` (required and
``NotRequired`` keys; a key the schema does not name is a problem), ``Literal``,
``str``, ``int`` (never ``bool``), ``float``, ``bool``, ``None``, unions,
``list[...]``, ``dict[str, ...]`` and ``Any``. A field may be ``Annotated`` with
a ``Refuse`` to say which error code a client gets when that field is wrong.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, Required, Union, get_args, get_origin


@dataclass(frozen=True)
class Refuse:
    """The error a client gets for this field: ``detail`` is marked with gettext_noop."""

    code: str
    detail: str


@dataclass(frozen=True)
class Problem:
    path: str  # "conversation", "message.sender.id"; "" for the value itself
    kind: Literal["missing", "extra", "type"]
    refuse: Refuse | None = None

    def __str__(self) -> str:
        where = self.path or "the value"
        return {"missing": f"{where} is missing", "extra": f"{where} is not in the schema"}.get(
            self.kind, f"{where} has the wrong type"
        )


def is_schema(value: object) -> bool:
    return typing.is_typeddict(value)


def type_of(schema: type) -> str:
    """The one value of the schema's ``type: Literal["…"]`` field."""
    hint = _unwrap(typing.get_type_hints(schema, include_extras=True).get("type"))[0]
    values = get_args(hint) if get_origin(hint) is Literal else ()
    if len(values) != 1 or not isinstance(values[0], str):
        raise TypeError(f"{schema.__name__} needs a field type: Literal['…'] of one value")
    return values[0]


def problems(value: object, schema: type) -> list[Problem]:
    """What is wrong with ``value`` as an instance of ``schema``; empty when it fits."""
    found: list[Problem] = []
    _check(value, schema, "", None, found)
    return found


def _unwrap(hint: Any) -> tuple[Any, Refuse | None]:
    refuse = None
    while True:
        origin = get_origin(hint)
        if origin is typing.Annotated:
            refuse = next((m for m in hint.__metadata__ if isinstance(m, Refuse)), refuse)
            hint = hint.__origin__
        elif origin in (NotRequired, Required):
            hint = get_args(hint)[0]
        else:
            return hint, refuse


def _required(schema: Any, field: Any) -> bool:
    # Not ``__required_keys__``: under ``from __future__ import annotations`` Python
    # 3.11 sees only strings there and counts ``NotRequired[...]`` keys as required.
    origin = get_origin(field)
    if origin is NotRequired:
        return False
    return origin is Required or schema.__total__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(value: Any, hint: Any, path: str, refuse: Refuse | None, found: list[Problem]) -> None:
    hint, own = _unwrap(hint)
    refuse = own or refuse
    origin = get_origin(hint)
    if hint is Any:
        return
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            found.append(Problem(path, "type", refuse))
            return
        fields = typing.get_type_hints(hint, include_extras=True)
        found.extend(Problem(_join(path, str(key)), "extra") for key in value if key not in fields)
        for key, field in fields.items():
            if key in value:
                _check(value[key], field, _join(path, key), refuse if path else None, found)
            elif _required(hint, field):
                found.append(Problem(_join(path, key), "missing", _unwrap(field)[1] or refuse))
        return
    if origin is Literal:
        if not any(_same(value, option) for option in get_args(hint)):
            found.append(Problem(path, "type", refuse))
        return
    if origin in (Union, types.UnionType):
        for option in get_args(hint):
            attempt: list[Problem] = []
            _check(value, option, path, refuse, attempt)
            if not attempt:
                return
        found.append(Problem(path, "type", refuse))
        return
    if origin is list:
        if not isinstance(value, list):
            found.append(Problem(path, "type", refuse))
            return
        (item,) = get_args(hint)
        for index, element in enumerate(value):
            _check(element, item, _join(path, str(index)), refuse, found)
        return
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            found.append(Problem(path, "type", refuse))
            return
        _key, item = get_args(hint)
        for key, element in value.items():
            _check(element, item, _join(path, key), refuse, found)
        return
    if not _is_instance(value, hint):
        found.append(Problem(path, "type", refuse))


def _same(value: Any, option: Any) -> bool:
    # Literal[1] is not True, and Literal["a"] is any str equal to "a" (TextChoices too).
    return isinstance(value, bool) == isinstance(option, bool) and value == option


def _is_instance(value: Any, hint: Any) -> bool:
    if hint is None or hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        # Exactly str: a lazy translation would not survive json.dumps.
        return isinstance(value, str)
    raise TypeError(f"The schema checker does not know {hint!r}")
