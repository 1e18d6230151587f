from __future__ import annotations

from kus.demo import topics
from workplace.demo import ORGANISATION


def test_the_demo_has_about_sixty_directives_owned_by_real_demo_departments():
    all_topics = topics()
    codes = {unit.code for unit in ORGANISATION}
    assert len(all_topics) >= 55
    assert {t.owner for t in all_topics} <= codes
    keys = {t.key for t in all_topics}
    assert {t.replaces for t in all_topics if t.replaces} <= keys
    assert sum(t.restricted for t in all_topics) >= 4
    assert sum(t.ack for t in all_topics) >= 10
    categories = {t.category for t in all_topics}
    assert len(categories) == 8  # every category of the taxonomy has directives
