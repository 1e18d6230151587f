"""Thresholds and differencing: no split reveals a group below the threshold."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from surveys.models import Survey
from surveys.protection import OTHER_GROUP, popcount, protect


def masks(**sizes: int) -> tuple[dict[str, int], int]:
    """Consecutive groups of the given sizes, as bit sets; and the universe."""
    groups, start = {}, 0
    for name, size in sizes.items():
        groups[name] = ((1 << size) - 1) << start
        start += size
    return groups, (1 << start) - 1


def other_of(shown: dict[str, int], universe: int) -> int:
    covered = 0
    for mask in shown.values():
        covered |= mask
    return universe & ~covered


def test_it_merges_groups_below_the_threshold_into_other():
    groups, universe = masks(a=10, b=6, c=2, d=3)
    shown = protect({"service": groups}, universe, 5)
    assert set(shown["service"]) == {"a", "b"}
    assert popcount(other_of(shown["service"], universe)) == 5


def test_it_merges_one_more_group_when_other_would_reveal_a_small_group():
    # total - a - b = c, a group of 2: b has to go into "other" as well.
    groups, universe = masks(a=10, b=6, c=2)
    shown = protect({"service": groups}, universe, 5)
    assert set(shown["service"]) == {"a"}
    assert popcount(other_of(shown["service"], universe)) == 8


def test_it_shows_nothing_when_no_split_can_be_made_safely():
    groups, universe = masks(a=6, b=2)
    shown = protect({"kind": groups}, universe, 5)
    assert shown["kind"] == {}


def test_it_stops_a_department_minus_its_services_revealing_a_small_service():
    services, universe = masks(geb=10, log=8, small=2, bz=6)
    departments = {
        "fm": services["geb"] | services["log"] | services["small"],
        "bz": services["bz"],
    }
    shown = protect({"service": services, "department": departments}, universe, 5)
    visible_services = set(shown["service"])
    # With both services of FM shown, FM - GEB - LOG would be the service of two.
    assert not {"geb", "log"} <= visible_services or "fm" not in shown["department"]
    for department in shown["department"].values():
        inside = [m for m in shown["service"].values() if not m & ~department]
        covered = 0
        for mask in inside:
            covered |= mask
        assert popcount(department & ~covered) == 0 or popcount(department & ~covered) >= 5


def test_it_stops_a_site_minus_its_services_revealing_a_small_group():
    services, universe = masks(one=7, two=7, three=3, four=9)
    sites = {
        "depot": services["one"] | services["two"] | services["three"],
        "office": services["four"],
    }
    shown = protect({"service": services, "site": sites}, universe, 5)
    depot = shown["site"].get("depot")
    inside = [m for m in shown["service"].values() if depot is not None and not m & ~depot]
    if depot is not None and inside:
        covered = 0
        for mask in inside:
            covered |= mask
        assert popcount(depot & ~covered) not in range(1, 5)


@pytest.mark.parametrize("threshold", [3, 5, 8])
def test_no_shown_group_or_other_is_below_the_threshold_on_any_split(threshold):
    import random

    rng = random.Random(threshold)
    for _attempt in range(30):
        sizes = {f"s{i}": rng.randint(1, 12) for i in range(rng.randint(2, 9))}
        services, universe = masks(**sizes)
        names = list(services)
        departments = {}
        for index in range(0, len(names), 3):
            mask = 0
            for name in names[index : index + 3]:
                mask |= services[name]
            departments[f"d{index}"] = mask
        kinds = {True: 0, False: 0}
        for bit in range(universe.bit_length()):
            kinds[rng.random() < 0.4] |= 1 << bit
        splits = {"service": services, "department": departments, "kind": kinds}
        shown = protect(splits, universe, threshold)
        if popcount(universe) < threshold:
            # Too few answers altogether: the results page shows nothing at all.
            assert not any(shown.values())
            continue
        for groups in shown.values():
            for mask in groups.values():
                assert popcount(mask) >= threshold
            assert popcount(other_of(groups, universe)) not in range(1, threshold)
        # No shown unit of one split, minus what another split shows inside it, is small.
        units = {
            name: [*groups.values(), other_of(groups, universe)] for name, groups in shown.items()
        }
        for outer in units:
            for inner in units:
                if outer == inner:
                    continue
                for outer_mask in units[outer]:
                    if popcount(outer_mask) < threshold:
                        continue
                    inside = [m for m in units[inner] if m and not m & ~outer_mask]
                    inside = [m for m in inside if popcount(m) >= threshold]
                    if inside:
                        covered = 0
                        for mask in inside:
                            covered |= mask
                        assert popcount(outer_mask & ~covered) not in range(1, threshold)


def test_other_is_never_a_named_group():
    groups, universe = masks(a=10, b=10)
    shown = protect({"service": groups}, universe, 5)
    assert OTHER_GROUP not in shown["service"]


def test_the_threshold_can_not_go_below_three(db):
    survey = Survey(title="Test", threshold=2)
    with pytest.raises(ValidationError):
        survey.full_clean(exclude=["owners"])
