"""The anonymity threshold, also against differencing.

Responses are split by department, service, work site and field/office. Each
split is a partition of the respondents; a group is shown only when it has at
least ``threshold`` answers, the others are merged into “other”. Two more
rules stop subtraction from revealing a small group:

1. “other” itself must be empty or at least the threshold, because
   total - shown groups = other;
2. when the shown groups of one split lie inside a shown group of another
   split (services inside their department, services at one site), what is
   left of the outer group must be empty or at least the threshold.

A rule that fails merges the smallest shown group involved into “other”, and
the check runs again until nothing changes. The same protection runs once
more per question, on the people who answered that question (optional and
conditional questions are answered by fewer people).

Groups are kept as Python integers used as bit sets of response indexes, so
that containment and differences are single operations even for 8,000
answers.
"""

from __future__ import annotations

from typing import Any

OTHER_GROUP = "other"


def popcount(mask: int) -> int:
    return mask.bit_count()


def mask_of(indexes: list[int], size: int) -> int:
    """A bit set from response indexes, built as one string: no growing-integer loop."""
    bits = bytearray(b"0" * size)
    for index in indexes:
        bits[size - 1 - index] = 49  # "1"
    return int(bits, 2) if size else 0


def protect(
    splits: dict[str, dict[Any, int]], universe: int, threshold: int
) -> dict[str, dict[Any, int]]:
    """The groups that may be shown per split: {split: {group key: mask}}.

    Whatever is not shown forms the split's “other” (``universe`` minus the
    shown groups), which may be shown when it is at least the threshold.
    """
    shown = {
        name: {key: mask & universe for key, mask in groups.items()}
        for name, groups in splits.items()
    }
    for name in shown:
        shown[name] = {k: m for k, m in shown[name].items() if popcount(m) >= threshold}

    def other(name: str) -> int:
        covered = 0
        for mask in shown[name].values():
            covered |= mask
        return universe & ~covered

    def drop_smallest(name: str, among: list[Any] | None = None) -> bool:
        candidates = [k for k in shown[name] if among is None or k in among]
        if not candidates:
            return False
        smallest = min(candidates, key=lambda k: (popcount(shown[name][k]), str(k)))
        del shown[name][smallest]
        return True

    changed = True
    while changed:
        changed = False
        for name in shown:
            if 0 < popcount(other(name)) < threshold and drop_smallest(name):
                changed = True
        if changed:
            continue
        units = {}
        for name in shown:
            rest = other(name)
            units[name] = list(shown[name].items())
            if popcount(rest) >= threshold:
                units[name].append((OTHER_GROUP, rest))
        for outer in shown:
            for inner in shown:
                if outer == inner or changed:
                    continue
                for outer_key, outer_mask in units[outer]:
                    inside = [
                        (key, mask) for key, mask in units[inner] if mask and not mask & ~outer_mask
                    ]
                    if not inside:
                        continue
                    covered = 0
                    for _key, mask in inside:
                        covered |= mask
                    if 0 < popcount(outer_mask & ~covered) < threshold:
                        # Merge the smallest real group involved, inner or outer.
                        options = [
                            (popcount(mask), inner, key)
                            for key, mask in inside
                            if key != OTHER_GROUP
                        ]
                        if outer_key != OTHER_GROUP:
                            options.append((popcount(outer_mask), outer, outer_key))
                        if options:
                            _size, name, key = min(options, key=lambda o: (o[0], o[1], str(o[2])))
                            del shown[name][key]
                        elif not (drop_smallest(inner) or drop_smallest(outer)):
                            continue
                        changed = True
                        break
    return shown
