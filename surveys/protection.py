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


Shown = dict[str, dict[Any, int]]


def protect(splits: Shown, universe: int, threshold: int) -> Shown:
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
    # Each rule merges one group at a time; run them until neither finds anything to merge.
    while _merge_small_others(shown, universe, threshold) or _merge_small_remainder(
        shown, universe, threshold
    ):
        pass
    return shown


def _other(groups: dict[Any, int], universe: int) -> int:
    covered = 0
    for mask in groups.values():
        covered |= mask
    return universe & ~covered


def _drop_smallest(groups: dict[Any, int]) -> bool:
    if not groups:
        return False
    smallest = min(groups, key=lambda k: (popcount(groups[k]), str(k)))
    del groups[smallest]
    return True


def _merge_small_others(shown: Shown, universe: int, threshold: int) -> bool:
    """Rule 1: a split's “other” is empty or at least the threshold."""
    changed = False
    for groups in shown.values():
        if 0 < popcount(_other(groups, universe)) < threshold and _drop_smallest(groups):
            changed = True
    return changed


def _merge_small_remainder(shown: Shown, universe: int, threshold: int) -> bool:
    """Rule 2: what is left of a group around another split's groups is empty or at least
    the threshold. Merges for the first violation found and says whether it did."""
    units = {}
    for name, groups in shown.items():
        rest = _other(groups, universe)
        units[name] = list(groups.items())
        if popcount(rest) >= threshold:
            units[name].append((OTHER_GROUP, rest))
    for outer in shown:
        for inner in shown:
            if outer == inner:
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
                if not 0 < popcount(outer_mask & ~covered) < threshold:
                    continue
                # Merge the smallest real group involved, inner or outer.
                options = [
                    (popcount(mask), inner, key) for key, mask in inside if key != OTHER_GROUP
                ]
                if outer_key != OTHER_GROUP:
                    options.append((popcount(outer_mask), outer, outer_key))
                if options:
                    _size, name, key = min(options, key=lambda o: (o[0], o[1], str(o[2])))
                    del shown[name][key]
                    return True
                if _drop_smallest(shown[inner]) or _drop_smallest(shown[outer]):
                    return True
    return False
