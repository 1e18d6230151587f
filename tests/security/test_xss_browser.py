"""The XSS corpus, through every place user text appears, in a real Chromium.

Each test puts every vector of ``xss_vectors.txt`` into one kind of user text (in
bulk, through the actions and models), then loads the pages that show it. A
vector that runs, a dialog, an uncaught error, a CSP violation (an inline
handler the CSP blocked is still an escaping bug) or live markup in the DOM
fails the test, with the page and the vector's number.
"""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.accessibility import axe_violations
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.realtime import session_cookie_for
from tests.security.probe import Probe, load_vectors
from tests.security.world import ensure_reference_data, png_bytes
from tests.servers import off_loop
from workplace.models import Employee
from workplace.roles import Role

# The containers of user-written markup: axe judges the page around them (here and in
# the automatic audit of every page the probe visits, tests/accessibility.py).
USER_TEXT = [".post-body", ".chat-body", ".directive-body", ".prose"]
# What is checked is how Chromium renders Werkplek's escaped HTML, which no database or
# channel layer changes: CI runs it in one tier (conftest.py, tier_independent).
pytestmark = [pytest.mark.browser, pytest.mark.axe(exclude=USER_TEXT), pytest.mark.tier_independent]

VECTORS = load_vectors()
# A name field is shorter than most vectors: it gets the vector's first characters.
NAME = 100


def test_the_corpus_holds_at_least_150_distinct_vectors():
    assert len(VECTORS) >= 150
    assert len(set(VECTORS)) == len(VECTORS)
    # Each one carries its number, so that a finding names the vector that caused it.
    assert all(str(number) in vector for number, vector in enumerate(VECTORS, start=1))


def test_the_probe_notices_a_vector_that_runs_one_the_csp_blocks_and_a_javascript_link(chromium):
    pages = {
        "/open": ("", '<img src=x onerror="xss(1)">'),
        "/strict": ("default-src 'self'", '<img src=x onerror="xss(2)">'),
        "/link": ("default-src 'self'", '<a href=" java&#x09;script:xss(3)">klik</a>'),
        "/clean": ("default-src 'self'", "<p>&lt;img src=x onerror=xss(4)&gt;</p>"),
    }

    def serve(route):
        path = route.request.url.removeprefix("http://werkplek.test")
        if path not in pages:
            return route.fulfill(status=404, body="")
        csp, body = pages[path]
        headers = {"Content-Security-Policy": csp} if csp else {}
        route.fulfill(status=200, content_type="text/html", headers=headers, body=body)

    context = chromium.new_context()
    try:
        context.route("http://werkplek.test/**", serve)
        probe = Probe(context, "http://werkplek.test")
        for path in pages:
            probe.visit(path)
    finally:
        context.close()
    found = "\n".join(probe.findings)
    assert "/open: vector 1 ran" in found
    assert "/strict: CSP script-src-attr" in found and "/strict: live markup <img onerror" in found
    assert "/link: live markup <a href" in found
    assert "/clean" not in found


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    from streams import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "post", (10_000, 600))
    monkeypatch.setitem(ratelimit.LIMITS, "comment", (10_000, 600))
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"streams:rate:{uuid.uuid4().hex}")


@pytest.fixture
def server(transactional_db, search_index, settings, tmp_path):
    from tests.servers import run_daphne

    settings.MEDIA_ROOT = tmp_path / "media"
    env = {"SEARCH_INDEX_DIR": str(search_index), "WERKPLEK_DATA_DIR": str(tmp_path)}
    with run_daphne(env) as base_url:
        yield base_url


@pytest.fixture
def cast(transactional_db):
    """Mallory writes the hostile text (her own names are vectors too); Vera reads it.

    Vera holds the roles that open the most pages: communication (moderation), HR
    (surveys) and KUS editor (drafts, editing)."""
    ensure_reference_data()
    hostile = DepartmentFactory(code="XSS", name="Dienst Xss")
    mallory = EmployeeFactory(
        username="mallory",
        first_name='"><img src=x onerror=xss(901)>',
        last_name="</title><script>xss(902)</script>",
        job_title="' onmouseover='xss(903)' x='",
        department=hostile,
    )
    vera = EmployeeFactory(
        username="vera",
        first_name="Vera",
        last_name="Lezer",
        department=hostile,
        roles=[Role.COMMUNICATION, Role.HR, Role.KUS_EDITORS],
    )
    second_editor = EmployeeFactory(username="rita", department=hostile, roles=[Role.KUS_EDITORS])
    return {"mallory": mallory, "vera": vera, "rita": second_editor, "department": hostile}


@pytest.fixture
def probe(server, chromium, cast):
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, locale="nl-BE")
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie_for(cast["vera"]), "url": server}]
    )
    yield Probe(context, server)
    context.close()


def visit_all_pages(probe: Probe, path: str, next_selector: str = "#main a[rel=next]") -> int:
    """Visit ``path`` and every page its "next" link leads to; returns how many."""
    count = 0
    while path:
        probe.visit(path)
        count += 1
        following = probe.next_link(next_selector)
        path = f"{probe.page.url.split('?')[0]}{following}" if following else None
        if following and following.startswith("/"):
            path = following
    return count


def assert_clean(probe: Probe) -> None:
    assert probe.findings == [], "\n".join(probe.findings[:60])


def assert_accessible(probe: Probe, path: str) -> None:
    """axe on Werkplek's own page around the hostile text (the text itself is excluded)."""
    probe.visit(path)
    violations = axe_violations(probe.page, exclude=USER_TEXT)
    assert violations == [], f"{path}:\n" + "\n".join(violations)


# --- streams: posts, comments, spaces, reports, notifications, file names -------------------


def make_stream(cast) -> dict:
    from notifications.models import Notification, NotificationKind
    from streams import actions, text
    from streams.models import (
        AudienceKind,
        Comment,
        Membership,
        MembershipRole,
        Post,
        Report,
        Space,
        SpaceKind,
    )

    mallory, vera = cast["mallory"], cast["vera"]
    posts = [actions.create_post(mallory, vector) for vector in VECTORS]
    for post, vector in zip(posts, VECTORS, strict=True):
        Post.objects.filter(pk=post.pk).update(attachment="x.pdf", attachment_name=vector[:150])
    target = posts[0]
    # Comments in bulk, rendered as add_comment renders them.
    Comment.objects.bulk_create(
        Comment(post=target, author=mallory, body=vector, body_html=text.render(vector).html)
        for vector in VECTORS
    )
    Report.objects.bulk_create(
        Report(post=post, reporter=vera, reason=vector[:500])
        for post, vector in zip(posts, VECTORS, strict=True)
    )
    spaces = Space.objects.bulk_create(
        Space(
            name=vector[:NAME],
            slug=f"ruimte-{number}",
            kind=SpaceKind.OPEN,
            description=vector,
            created_by=mallory,
        )
        for number, vector in enumerate(VECTORS)
    )
    Membership.objects.bulk_create(
        Membership(space=space, employee=person, role=role)
        for space in spaces
        for person, role in ((mallory, MembershipRole.MANAGER), (vera, MembershipRole.MEMBER))
    )
    in_space = actions.create_post(
        mallory, VECTORS[0], audience_kind=AudienceKind.SPACE, space=spaces[0]
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=vera,
            kind=NotificationKind.MENTION,
            actor=mallory,
            title=vector[:255],
            url=target.get_absolute_url(),
            created=now - datetime.timedelta(seconds=number),
            updated=now - datetime.timedelta(seconds=number),
        )
        for number, vector in enumerate(VECTORS)
    )
    own = actions.create_post(vera, "</textarea><img src=x onerror=xss(904)>")
    comment = actions.add_comment(vera, target, "</textarea><svg onload=xss(905)>")
    return {
        "target": target,
        "spaces": spaces,
        "in_space": in_space,
        "own": own,
        "comment": comment,
    }


def test_no_vector_runs_in_posts_comments_spaces_reports_and_notifications(probe, cast):
    from notifications.models import Notification

    made = off_loop(make_stream, cast)
    assert visit_all_pages(probe, "/stroom/") >= len(VECTORS) // 20
    probe.visit(made["target"].get_absolute_url())  # every comment under one post
    probe.visit(f"/stroom/berichten/{made['own'].pk}/bewerken/")
    probe.visit(f"/stroom/reacties/{made['comment'].pk}/bewerken/")
    probe.visit(f"/stroom/berichten/{made['target'].pk}/melden/")
    probe.visit(f"/stroom/berichten/{made['target'].pk}/modereren/")
    probe.visit("/stroom/moderatie/")
    probe.visit("/stroom/nieuw/?stream=home")  # the fragment "N new posts" inserts
    probe.visit("/ruimtes/")
    for space in made["spaces"][:3]:
        probe.visit(space.get_absolute_url())
    probe.visit("/stroom/berichten/nieuw/")  # the composer lists the spaces by name
    probe.visit("/stroom/mensen/mallory/")
    # The list shows the newest 30: read them, and the next ones come up.
    for _page in range(len(VECTORS) // 30 + 1):
        probe.visit("/meldingen/")
        off_loop(
            lambda: Notification.objects.filter(
                pk__in=list(
                    Notification.objects.order_by("-updated").values_list("pk", flat=True)[:30]
                )
            ).delete()
        )
    assert_clean(probe)
    for path in ("/stroom/", made["target"].get_absolute_url(), "/ruimtes/", "/stroom/moderatie/"):
        assert_accessible(probe, path)


# --- messaging: messages, group names, file names, search, the live path ---------------------


def make_chat(cast) -> dict:
    from messaging import actions
    from messaging.models import Message

    mallory, vera = cast["mallory"], cast["vera"]
    chat = actions.create_group(mallory, "Werf", [vera])
    for number, vector in enumerate(VECTORS):
        upload = None
        if number % 4 == 0:  # a file with a hostile name now and then
            upload = SimpleUploadedFile(f"{vector[:80]}.png", png_bytes(), content_type="image/png")
        # The client's id lands in a data- attribute and in the page's JavaScript.
        client_id = f"{number}{vector}"[:64]
        actions.send_message(mallory, chat.pk, vector, client_id, attachment=upload)
    Message.objects.filter(conversation=chat, attachment="").update(attachment_name="")
    for vector in VECTORS:
        actions.create_group(mallory, vector[:NAME], [vera])
    own, _created = actions.send_message(vera, chat.pk, "</textarea><img src=x onerror=xss(906)>")
    return {"chat": chat, "own": own}


def test_no_vector_runs_in_chat_messages_group_names_and_file_names(probe, cast):
    made = off_loop(make_chat, cast)
    chat = made["chat"]
    pages = visit_all_pages(probe, chat.get_absolute_url(), '#main a[href^="?before="]')
    assert pages >= 2
    # The live path: a socket catch-up renders every message again, in JavaScript.
    # What the page keeps belongs to its reader (Werkplek.store): werkplek.<id>.<name>.
    probe.page.evaluate("Werkplek.store.set('lastMessage', '1'); Werkplek.store.remove('syncedAt')")
    probe.visit(chat.get_absolute_url(), until="() => Werkplek.store.get('syncedAt') !== null")
    visit_all_pages(probe, "/berichten/")
    visit_all_pages(probe, "/berichten/zoeken/?q=xss")
    probe.visit(f"/berichten/{chat.pk}/leden/")
    probe.visit(f"/berichten/{chat.pk}/{made['own'].pk}/bewerken/")
    probe.visit("/")
    assert_clean(probe)
    for path in (chat.get_absolute_url(), "/berichten/"):
        assert_accessible(probe, path)


# --- KUS: directive titles, summaries, bodies, file names, diffs ------------------------------


def make_directives(cast) -> dict:
    from kus import actions
    from kus.models import Category
    from tests.factories import AudienceFactory

    editor, approver = cast["vera"], cast["rita"]
    category = Category.objects.get(slug="facility")

    def publish(title: str, summary: str, body: str):
        directive = actions.create_directive(
            editor,
            text=actions.Text(title, summary, body),
            owner_department=cast["department"],
            category=category,
            audience=AudienceFactory(all_staff=True),
            effective_from=datetime.date(2026, 1, 1),
        )
        actions.submit_for_review(editor, directive)
        actions.publish(approver, directive)
        directive.refresh_from_db()
        return directive

    directives = [publish(vector[:200], vector[:300], vector) for vector in VECTORS[:60]]
    everything = "\n\n".join(VECTORS)
    big = publish("Alle vectoren", "Samenvatting", "Eerste versie.")
    for vector in VECTORS[:10]:  # the most a directive may have
        actions.add_attachment(editor, big, f"{vector[:190]}.png", png_bytes())
    actions.save_draft(
        editor,
        big,
        actions.Text(VECTORS[1][:200], VECTORS[2][:300], everything, change_note=VECTORS[3][:200]),
    )
    actions.submit_for_review(editor, big)
    actions.publish(approver, big)
    big.refresh_from_db()
    return {"directives": directives, "big": big}


def test_no_vector_runs_in_directive_titles_summaries_bodies_and_file_names(probe, cast):
    made = off_loop(make_directives, cast)
    big = made["big"]
    visit_all_pages(probe, "/kus/")
    for directive in made["directives"][:3]:
        probe.visit(directive.get_absolute_url())
    for suffix in ("", "afdrukken/", "geschiedenis/", "verschil/", "v2/"):
        probe.visit(f"{big.get_absolute_url()}{suffix}")
    probe.visit(f"/kus/bewerken/{big.pk}/")  # text area, readability marks, near-duplicates
    probe.visit("/")
    assert_clean(probe)
    for path in ("/kus/", big.get_absolute_url()):
        assert_accessible(probe, path)


# --- people: names and job titles, in the directory and on the start page ---------------------


def make_people(cast) -> list[Employee]:
    password = make_password("x")
    Employee.objects.bulk_create(
        Employee(
            username=f"x{number}",
            personnel_number=f"{900000 + number}",
            first_name=vector[:150],
            last_name=vector[-150:],
            job_title=vector[:150],
            department=cast["department"],
            password=password,
        )
        for number, vector in enumerate(VECTORS, start=1)
    )
    return list(Employee.objects.filter(username__startswith="x").order_by("pk")[:3])


def test_no_vector_runs_in_names_and_job_titles(probe, cast):
    people = off_loop(make_people, cast)
    visit_all_pages(probe, "/mensen/?q=xss")
    visit_all_pages(probe, "/afdelingen/XSS/")
    for person in people:
        probe.visit(person.get_absolute_url())
        probe.visit(f"/stroom/mensen/{person.username}/")
    probe.visit("/")  # the team and the new colleagues
    probe.visit("/berichten/nieuw/?q=xss")
    probe.visit("/api/v1/people/?q=xss")
    probe.page.goto(f"{probe.base_url}/mensen/")
    probe.page.locator("#people-q").press_sequentially("xss", delay=20)
    probe.page.locator("#people-suggestions a").first.wait_for()
    probe.check("/mensen/ (suggestions)")
    assert_clean(probe)
    assert_accessible(probe, "/mensen/?q=xss")


# --- surveys: titles, sections, questions, options, answers, results --------------------------


def make_surveys(cast) -> dict:
    from surveys.models import Kind, Participation, Question, Response, Section, Status, Survey
    from tests.factories import AudienceFactory

    vera = cast["vera"]
    everyone = AudienceFactory(all_staff=True)
    now = timezone.now()

    def survey(title: str, intro: str = "") -> Survey:
        made = Survey.objects.create(
            title=title[:200],
            intro=intro,
            audience=everyone,
            status=Status.OPEN,
            anonymity="named",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=7),
        )
        made.owners.add(vera)
        return made

    for vector in VECTORS:
        survey(vector)
    main = survey(VECTORS[0], intro=VECTORS[1])
    section = Section.objects.create(
        survey=main, position=1, title=VECTORS[2][:200], intro=VECTORS[3]
    )
    choices = Question.objects.bulk_create(
        Question(
            section=section,
            position=number,
            code=f"k{number}",
            kind=Kind.SINGLE,
            text=vector[:300],
            help_text=vector[-300:],
            required=False,
            choices=[vector[:200], "Ja"],
        )
        for number, vector in enumerate(VECTORS)
    )
    texts = Question.objects.bulk_create(
        Question(section=section, position=1000 + n, code=f"t{n}", kind=Kind.LONG_TEXT,
                 text=f"Open vraag {n}", required=False)
        for n in range(3)
    )  # fmt: skip
    answers = {str(q.pk): {"choice": q.choices[0]} for q in choices}
    Participation.objects.create(survey=main, employee=vera, draft=answers)
    week = now.date() - datetime.timedelta(days=now.weekday())
    Response.objects.bulk_create(
        Response(
            survey=main,
            week=week,
            respondent=vera,
            answers={str(choices[n].pk): {"choice": vector[:200]}, str(texts[n % 3].pk): vector},
        )
        for n, vector in enumerate(VECTORS)
    )
    return {"main": main}


def test_no_vector_runs_in_surveys_their_questions_options_and_answers(probe, cast):
    from surveys.models import Status, Survey

    main = off_loop(make_surveys, cast)["main"]
    probe.visit("/enquetes/")
    probe.visit("/enquetes/beheer/")
    probe.visit(f"/enquetes/{main.pk}/")
    probe.visit(f"/enquetes/{main.pk}/deel/1/")
    probe.visit(f"/enquetes/{main.pk}/nakijken/")
    probe.visit(f"/enquetes/beheer/{main.pk}/")
    probe.visit(f"/enquetes/beheer/{main.pk}/voorbeeld/")
    probe.visit(f"/enquetes/beheer/{main.pk}/affiche/")
    probe.visit("/")
    off_loop(lambda: Survey.objects.filter(pk=main.pk).update(status=Status.CLOSED))
    probe.visit(f"/enquetes/beheer/{main.pk}/resultaten/")
    assert_clean(probe)
    for path in ("/enquetes/", f"/enquetes/beheer/{main.pk}/resultaten/"):
        assert_accessible(probe, path)


# --- search: titles and highlighted snippets, and the query itself ----------------------------


def make_searchable(cast) -> None:
    from django.core.management import call_command

    from streams import actions

    for vector in VECTORS:
        actions.create_post(cast["mallory"], f"{vector}\n\nxssprobe {vector} xssprobe")
    call_command("search_check", "--fix", stdout=io.StringIO())  # one writer, one commit


def test_no_vector_runs_in_search_results_or_in_the_query_itself(probe, cast, settings):
    settings.SEARCH_INDEX_UPDATES = "manual"  # queued while the posts are made, applied at once
    off_loop(make_searchable, cast)
    visit_all_pages(probe, "/zoeken/?q=xssprobe")
    assert len(probe.visited) >= len(VECTORS) // 20
    # Reflected: the query comes back in the title, the search boxes and the page.
    from urllib.parse import quote

    # Every search costs a query, a spelling suggestion and a page: one vector in three
    # keeps the run short, and every kind of vector still comes by.
    for vector in VECTORS[::3]:
        probe.visit(f"/zoeken/?q={quote(vector[:200])}", settle=False)
    assert_clean(probe)
    assert_accessible(probe, "/zoeken/?q=xssprobe")
