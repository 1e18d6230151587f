from __future__ import annotations


def seed_directives(rng) -> None:
    pass
