from __future__ import annotations

import random

import pytest

from streams import demo, visibility
from streams.models import Comment, Follow, Post, Reaction, Space
from workplace import demo as core
from workplace.models import Department, Employee


@pytest.fixture
def demo_organisation(db):
    core.seed_organisation(random.Random(2026))
    core.seed_demo_logins({d.code: d for d in Department.objects.all()})


def test_the_demo_brings_a_living_organisation_and_runs_once(demo_organisation):
    demo.seed(random.Random(2026))
    assert Space.objects.filter(name="Gentse Feesten 2026 \u2013 opbouw", kind="closed").exists()
    assert Space.objects.filter(name="Fietsherstelplaats", kind="open").exists()
    assert Post.objects.count() > 2000 and Comment.objects.count() > 2000
    assert Reaction.objects.exists() and Follow.objects.exists()
    assert Post.objects.filter(mentions__isnull=False).exists()
    counts = Post.objects.count(), Comment.objects.count()
    demo.seed(random.Random(2026))
    assert (Post.objects.count(), Comment.objects.count()) == counts
    field_worker = Employee.objects.get(username="terrein")
    page = visibility.page(visibility.home_stream(field_worker))
    assert len(page.items) == visibility.PAGE_SIZE and page.next_cursor
