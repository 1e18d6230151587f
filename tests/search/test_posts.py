"""Posts, comments and spaces in the search: the streams' audience rules hold there too."""

from __future__ import annotations

import pytest

from search import query
from search.query import SearchParams
from streams import actions
from streams.models import AudienceKind, Membership, SpaceKind
from tests.factories import EmployeeFactory
from workplace.models import Employee
from workplace.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def do(django_capture_on_commit_callbacks):
    """Run an action and its after-commit hooks, as a request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def titles(user, text: str) -> list[str]:
    return [hit.title for hit in query.search(user, SearchParams(q=text)).hits]


def fresh(user) -> Employee:
    return Employee.objects.get(pk=user.pk)


def test_a_post_for_all_staff_is_found_by_everyone(do, alice, carol):
    post = do(
        actions.create_post, alice, "Nieuwe koffiemachines\nVanaf maandag op elke verdieping."
    )
    hits = query.search(carol, SearchParams(q="koffiemachine verdiepingen")).hits
    assert [(hit.kind, hit.title, hit.url) for hit in hits] == [
        ("post", "Nieuwe koffiemachines", post.get_absolute_url())
    ]


def test_a_department_post_reaches_the_department_and_its_teams_only(
    do, organisation, alice, bob, carol
):
    do(
        actions.create_post,
        alice,
        "Werfoverleg verplaatst naar donderdag",
        audience_kind=AudienceKind.DEPARTMENT,
        department=organisation["buildings"],
    )
    assert titles(bob, "werfoverleg") == ["Werfoverleg verplaatst naar donderdag"]
    assert titles(carol, "werfoverleg") == []
    assert query.search(carol, SearchParams(q="werfoverleg")).count == 0


def test_a_closed_space_and_its_posts_are_found_by_members_only(do, alice, carol):
    space = do(actions.create_space, alice, "Opbouw Gentse Feesten", SpaceKind.CLOSED)
    do(
        actions.create_post,
        alice,
        "Podiumplanning voor de opbouw",
        audience_kind=AudienceKind.SPACE,
        space=space,
    )
    assert sorted(titles(alice, "opbouw")) == [
        "Opbouw Gentse Feesten",
        "Podiumplanning voor de opbouw",
    ]
    assert titles(carol, "opbouw") == []
    assert [s.title for s in query.suggest(alice, "opbouw")] == ["Opbouw Gentse Feesten"]
    assert query.suggest(carol, "opbouw") == []


def test_a_new_member_of_a_closed_space_finds_its_posts(do, alice, carol):
    space = do(actions.create_space, alice, "Opbouw Gentse Feesten", SpaceKind.CLOSED)
    do(
        actions.create_post,
        alice,
        "Podiumplanning voor de opbouw",
        audience_kind=AudienceKind.SPACE,
        space=space,
    )
    membership = do(actions.join_space, carol, space)
    assert titles(fresh(carol), "podiumplanning") == []  # still waiting for approval
    do(actions.decide_membership, alice, membership, approve=True)
    assert titles(fresh(carol), "podiumplanning") == ["Podiumplanning voor de opbouw"]
    do(Membership.objects.filter(pk=membership.pk).delete)
    assert titles(fresh(carol), "podiumplanning") == []


def test_a_post_hidden_by_moderation_leaves_the_search_with_its_comments(do, alice, carol):
    moderator = EmployeeFactory(roles=[Role.COMMUNICATION])
    post = do(actions.create_post, alice, "Tweedehands fiets te koop")
    do(actions.add_comment, carol, post, "Is de fiets nog beschikbaar?")
    assert query.search(carol, SearchParams(q="fiets")).count == 2
    do(actions.hide_post, moderator, post, "Geen zoekertjes")
    assert query.search(carol, SearchParams(q="fiets")).count == 0


def test_a_deleted_post_takes_its_comments_out_of_the_search(do, alice, carol):
    post = do(actions.create_post, alice, "Wie heeft er een ladder?")
    do(actions.add_comment, carol, post, "De ladder staat in het magazijn")
    assert [hit.kind for hit in query.search(carol, SearchParams(q="magazijn")).hits] == ["comment"]
    do(actions.delete_post, alice, post)
    assert query.search(carol, SearchParams(q="ladder magazijn")).count == 0


def test_a_comment_is_found_by_its_words_and_shown_under_its_post(do, alice, carol):
    post = do(actions.create_post, alice, "Wie heeft er een ladder?")
    comment = do(actions.add_comment, carol, post, "De ladder staat in het magazijn")
    hit = query.search(alice, SearchParams(q="magazijn")).hits[0]
    assert (hit.kind, hit.title, hit.url) == (
        "comment",
        "Wie heeft er een ladder?",
        comment.get_absolute_url(),
    )
    assert "<mark" in hit.snippet


def test_a_space_that_closes_takes_its_posts_out_of_reach_of_non_members(do, alice, carol):
    space = do(actions.create_space, alice, "Moestuin Bourgoyen", SpaceKind.OPEN)
    do(
        actions.create_post,
        alice,
        "Pompoenen oogsten",
        audience_kind=AudienceKind.SPACE,
        space=space,
    )
    assert titles(carol, "pompoenen") == ["Pompoenen oogsten"]
    space.kind = SpaceKind.CLOSED
    do(space.save)
    assert titles(carol, "pompoenen") == []
    assert titles(alice, "pompoenen") == ["Pompoenen oogsten"]
