"""Demo content: placeholder until the seeder is written."""

from __future__ import annotations

import random


def seed(rng: random.Random) -> None:
    return None
