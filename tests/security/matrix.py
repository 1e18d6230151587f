"""The authorization matrix: for every URL, what each actor gets.

``test_authorization_matrix.py`` walks the URL resolver and asks every pattern
here, as every actor of ``world.ACTORS``, for the objects of ``world.World``.
A URL without an entry fails the test: a new view must be classified here.

How to add a URL: add an entry under its name (``"namespace:name"``; unnamed
patterns go under their route, e.g. ``"api/<path:rest>"``) with one ``case``
per object worth asking for — usually the real object and an unknown one. A
case says which method to use (``GET``; ``POST`` with an empty body for views
that only accept POST), how to fill the URL's parameters from the world, and
the answers, built with ``answers()``:

- ``LOGIN``: 302 to the login page (``ADMIN_LOGIN``: to the admin's);
- ``REDIRECT``: 302 anywhere else (a POST that did its work, or a page that sends on);
- a status code: 200 (``OK``), 400, 401, 403, 404, 405.

Rules the answers follow: anonymous visitors are sent to the login page, or get
401 from the API; what an actor may not know exists answers 404, never 403;
403 is for an actor who may know the object but not do this, or lacks a role.
Admin URLs are one group, answered by rule in ``admin_answer`` (``tests/security/admin_matrix.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.security.world import ACTORS, World

OK = 200
LOGIN = "login"
ADMIN_LOGIN = "admin login"
REDIRECT = "redirect"

Answer = int | str
AUTHENTICATED = tuple(actor for actor in ACTORS if actor != "anonymous")
AUDIENCE = ("member", "kus_editor", "manager", "superuser")  # of the restricted directive


def answers(
    default: Answer, *, anonymous: Answer = LOGIN, only: tuple[str, ...] = (), **actors: Answer
) -> dict[str, Answer]:
    """``default`` for every signed-in actor, ``anonymous`` for the anonymous one.

    ``only=(...)`` with ``default``: those actors get ``default``, every other signed-in
    actor 404 (the object is unknowable to them). Keyword arguments override per actor.
    """
    table = {actor: default for actor in AUTHENTICATED}
    if only:
        table = {actor: (default if actor in only else 404) for actor in AUTHENTICATED}
    table["anonymous"] = anonymous
    table.update(actors)
    return table


def api(default: Answer, **kwargs) -> dict[str, Answer]:
    """The API answers anonymous callers 401 in JSON instead of sending them to log in."""
    return answers(default, **{"anonymous": 401, **kwargs})


@dataclass(frozen=True)
class Case:
    label: str
    expect: dict[str, Answer]
    params: Callable[[World], dict[str, object]] = field(default=lambda w: {})
    method: str = "GET"
    query: str = ""  # formatted with the world's ids: {closed_space}
    known_bug: str = ""  # a refusal that does not hold yet: the test expects it to fail

    def url_query(self, world: World) -> str:
        return self.query.format(closed_space=world.closed_space.pk)


def case(expect, params=None, *, label="", method="GET", query="") -> Case:
    return Case(label or method.lower(), expect, params or (lambda w: {}), method, query)


def post(expect, params=None, *, label="post") -> Case:
    return case(expect, params, label=label, method="POST")


def unknown(expect, params) -> Case:
    return case(expect, params, label="unknown")


# The actors whose accounts need no authenticator app (no role that asks for one).
WITHOUT_APP = {actor: REDIRECT for actor in ("outsider", "member", "manager")}
HR_OWNER = {"hr": OK, "superuser": 404}  # owners only: superusers own no survey
NOT_HR = {actor: 403 for actor in AUTHENTICATED if actor not in ("hr", "superuser")}
EDITORS = ("kus_editor", "superuser", "manager")  # the manager leads the owner department


def owner_page(params, *, owner: Answer = OK) -> list[Case]:
    """A survey page for its owners (HR): 403 without the role, 404 for other HR people."""
    return [
        case(answers(404, **NOT_HR, hr=owner, superuser=404), params),
        unknown(answers(404, **NOT_HR), lambda w: {**params(w), "pk": 0}),
    ]


def owner_post(params, *, owner: Answer = REDIRECT) -> list[Case]:
    return [
        post(answers(404, **NOT_HR, hr=owner, superuser=404), params),
        case(answers(405, **NOT_HR), params, label="get"),
    ]


def restricted(w: World) -> dict:
    return {"number": w.restricted.number}


def closed_post(w: World) -> dict:
    return {"post_id": w.closed_post.pk}


def closed_space(w: World) -> dict:
    return {"slug": w.closed_space.slug}


def group(w: World) -> dict:
    return {"conversation_id": w.group.pk}


def own_message(w: World) -> dict:
    return {"conversation_id": w.group.pk, "message_id": w.message.pk}


def survey(w: World) -> dict:
    return {"pk": w.survey.pk}


def survey_section(w: World) -> dict:
    return {"pk": w.survey.pk, "section_pk": w.section.pk}


def survey_item(what: str) -> Callable[[World], dict]:
    def params(w: World) -> dict:
        item = w.section.pk if what == "section" else w.question.pk
        return {"pk": w.survey.pk, "what": what, "item_pk": item}

    return params


def announcement(w: World) -> dict:
    return {"pk": w.announcement.pk}


def scheduled(w: World) -> dict:
    return {"pk": w.scheduled.pk}


def campaign(w: World) -> dict:
    return {"pk": w.campaign.pk}


# Campaigns: the communication team edits every announcement (the superuser holds its
# role); the campaign's audience (Facility: Alice, and the manager beside her) reads what
# is published, and only that. Editor pages are 404 for everyone else; the API answers
# non-editors 403 ("forbidden") before it looks for any object.
CAMPAIGN_EDITORS = ("communicatie", "superuser")
CAMPAIGN_READERS = ("member", "manager")
EDITOR_PAGE = answers(OK, only=CAMPAIGN_EDITORS)
NOT_CAMPAIGN_EDITORS = {a: 403 for a in AUTHENTICATED if a not in CAMPAIGN_EDITORS}


def editor_page(params) -> list[Case]:
    return [case(EDITOR_PAGE, params), unknown(answers(404), lambda w: {"pk": 0})]


def editor_post(params) -> list[Case]:
    return [
        post(answers(REDIRECT, only=CAMPAIGN_EDITORS), params),
        case(answers(405, only=CAMPAIGN_EDITORS), params, label="get"),
        post(answers(404), lambda w: {"pk": 0}, label="unknown"),
    ]


def editor_api(params) -> list[Case]:
    return [
        case(api(OK, **NOT_CAMPAIGN_EDITORS), params),
        unknown(api(404, **NOT_CAMPAIGN_EDITORS), lambda w: {"pk": 0}),
    ]


PUBLIC = answers(OK, anonymous=OK)
PAGE = answers(OK)

ROUTES: dict[str, list[Case]] = {
    # --- workplace --------------------------------------------------------------------
    "home": [case(PAGE)],
    "more": [case(PAGE)],
    "healthz": [case(PUBLIC)],
    "login": [case(answers(REDIRECT, anonymous=OK))],
    "pin_login": [post(answers(403, anonymous=403))],  # only a registered terminal may
    "activate": [case(PUBLIC)],
    "logout": [
        case(PAGE),  # a GET only asks: a link or a prefetch logs nobody out
        post(answers(LOGIN, anonymous=LOGIN)),
    ],
    # Only a shared terminal's session ends here; a personal device is sent home.
    "idle_logout": [case(answers(REDIRECT))],
    "session_activity": [
        post(answers(204, anonymous=401)),
        case(answers(405, anonymous=405), label="get"),
    ],
    "password_change": [case(PAGE)],
    "password_change_done": [case(PAGE)],
    "password_reset": [case(PUBLIC)],
    "password_reset_done": [case(PUBLIC)],
    "password_reset_confirm": [case(PUBLIC, lambda w: {"uidb64": "MQ", "token": "nope"})],
    "password_reset_complete": [case(PUBLIC)],
    "edit_profile": [case(PAGE)],
    "change_pin": [case(PAGE)],
    "api_tokens": [case(PAGE)],
    "set_language": [post(answers(REDIRECT, anonymous=REDIRECT))],
    "people": [case(PAGE)],
    "profile": [
        case(PAGE, lambda w: {"username": "alice"}),
        unknown(answers(404), lambda w: {"username": "nobody"}),
    ],
    # Every employee sees active colleagues' photos, through the view: no /media/ route.
    "avatar": [
        case(answers(OK), lambda w: {"username": "alice"}),
        unknown(answers(404), lambda w: {"username": "nobody"}),
        case(answers(404), lambda w: {"username": "bob"}, label="no photo"),
    ],
    "departments": [case(PAGE)],
    # Whatever else is asked under /api/: JSON 404 for everyone, no login page.
    "api_not_found": [case(answers(404, anonymous=404))],
    "department": [
        case(PAGE, lambda w: {"code": "FM"}),
        unknown(answers(404), lambda w: {"code": "XX"}),
    ],
    "api_people": [case(api(OK))],
    # staff_required: 403 for who is not staff, Werkplek's login for who is not logged in
    # (never the admin's, which staff_member_required used to send them to).
    "terminal_setup": [case(answers(403, staff=OK, superuser=OK))],
    "terminal_forget": [post(answers(403, staff=REDIRECT, superuser=REDIRECT))],
    "activation_letters": [case(answers(403, hr=OK, superuser=OK))],
    "activation_reset": [case(answers(403, hr=OK, superuser=OK))],
    "import_upload": [case(answers(403, hr=OK, superuser=OK))],
    # Without a pending import of one's own there is nothing to confirm: back to the upload.
    "import_confirm": [
        post(answers(403, hr=REDIRECT, superuser=REDIRECT)),
        case(answers(403, hr=REDIRECT, superuser=REDIRECT), label="get"),
    ],
    # --- two-step login and re-authentication (every actor's own account) -----------------
    "mfa_verify": [case(answers(OK, **WITHOUT_APP))],  # nothing to verify: sent on
    "reauth": [case(PAGE)],
    "mfa_manage": [case(PAGE)],
    "mfa_setup": [case(PAGE)],
    "mfa_recovery_codes": [
        post(answers(OK, **WITHOUT_APP)),  # new codes, shown once; without an app: sent back
        case(answers(405, anonymous=405), label="get"),
    ],
    "mfa_remove": [post(answers(REDIRECT)), case(answers(405, anonymous=405), label="get")],
    # --- KUS ----------------------------------------------------------------------------
    "kus:index": [case(PAGE)],
    "kus:to_read": [case(PAGE)],
    "kus:create": [case(answers(403, kus_editor=OK, manager=OK, superuser=OK))],
    "kus:edit": [
        case(answers(OK, only=EDITORS), lambda w: {"pk": w.draft.pk}, label="draft"),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "kus:workflow": [
        post(answers(REDIRECT, only=EDITORS), lambda w: {"pk": w.draft.pk, "step": "indienen"}),
        post(answers(404), lambda w: {"pk": w.draft.pk, "step": "onbekend"}, label="unknown"),
        case(answers(405), lambda w: {"pk": w.draft.pk, "step": "indienen"}),
    ],
    "kus:attachment": [
        case(answers(OK, only=AUDIENCE), lambda w: {"pk": w.attachment.pk}),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "kus:directive": [
        case(answers(OK, only=AUDIENCE), restricted, label="restricted"),
        unknown(answers(404), lambda w: {"number": "KUS-1999-0001"}),
    ],
    "kus:print": [case(answers(OK, only=AUDIENCE), restricted)],
    "kus:acknowledge": [post(answers(REDIRECT, only=AUDIENCE), restricted)],
    "kus:history": [case(answers(OK, only=AUDIENCE), restricted)],
    "kus:diff": [case(answers(OK, only=AUDIENCE), restricted)],
    "kus:version": [
        case(answers(OK, only=AUDIENCE), lambda w: {**restricted(w), "seq": 1}),
        unknown(answers(404), lambda w: {**restricted(w), "seq": 9}),
    ],
    # Progress: its editors, and the managers of the people addressed (names of their own).
    "kus:progress": [case(answers(OK, only=EDITORS), restricted)],
    # Reminding who has not acknowledged: its editors (everyone, or one department); a
    # manager who does not edit it only their own departments (tests/kus/test_reminders.py).
    "kus:remind": [
        post(answers(REDIRECT, only=EDITORS), restricted),
        case(answers(405), restricted, label="get"),
    ],
    # Briefing: anyone who manages a team; the superuser holds the manager role.
    "kus:briefing": [case(answers(OK, only=("manager", "superuser")), restricted)],
    "kus:api_directives": [case(api(OK))],
    "kus:api_directive": [
        case(api(OK, only=AUDIENCE), restricted),
        unknown(api(404), lambda w: {"number": "KUS-1999-0001"}),
    ],
    # Editors see the directive but are not addressed: nothing to acknowledge (400).
    "kus:api_acknowledge": [
        post(api(OK, only=AUDIENCE, kus_editor=400, superuser=400), restricted),
        case(api(405, anonymous=405), restricted, label="get"),
    ],
    # --- search -------------------------------------------------------------------------
    "search:index": [case(PAGE)],
    "search:api": [case(api(400)), case(api(OK), query="q=sleutel", label="query")],
    "search:api_suggest": [case(api(OK), query="q=sl")],
    "api/v1/search/suggest/": [case(api(OK), query="q=sl")],
    # --- streams ------------------------------------------------------------------------
    "streams:home": [case(PAGE)],
    "streams:new_items": [
        case(PAGE),
        case(
            answers(OK, only=("member",)),
            query="stream=space:{closed_space}",
            label="closed space",
        ),
    ],
    "streams:post_create": [case(PAGE)],
    "streams:post": [
        case(answers(OK, only=("member",)), closed_post, label="closed space"),
        case(PAGE, lambda w: {"post_id": w.open_post.pk}, label="open space"),
        unknown(answers(404), lambda w: {"post_id": 0}),
    ],
    "streams:post_edit": [
        case(answers(OK, only=("member",)), closed_post),
        # Readers of a post know it exists; only its author may change it.
        case(answers(403, member=OK), lambda w: {"post_id": w.open_post.pk}, label="open"),
    ],
    "streams:post_delete": [
        case(answers(OK, only=("member",)), closed_post),
        post(answers(403, member=REDIRECT), lambda w: {"post_id": w.open_post.pk}, label="open"),
    ],
    "streams:post_react": [post(answers(REDIRECT, only=("member",)), closed_post)],
    "streams:post_comment": [post(answers(REDIRECT, only=("member",)), closed_post)],
    "streams:post_report": [case(answers(OK, only=("member",)), closed_post)],
    # The space's manager and the communication team pin; the others may see but not pin.
    "streams:post_pin": [
        post(answers(REDIRECT, only=("member",)), closed_post),
        post(
            answers(403, member=REDIRECT, communicatie=REDIRECT, superuser=REDIRECT),
            lambda w: {"post_id": w.open_post.pk},
            label="open",
        ),
    ],
    "streams:post_moderate": [
        case(answers(404), closed_post),
        case(
            answers(OK, only=("communicatie", "superuser")),
            lambda w: {"post_id": w.open_post.pk},
            label="open",
        ),
    ],
    "streams:post_photo": [case(answers(OK, only=("member",)), closed_post)],
    "streams:post_file": [case(answers(OK, only=("member",)), closed_post)],
    "streams:comment_edit": [
        case(answers(OK, only=("member",)), lambda w: {"comment_id": w.comment.pk}),
        unknown(answers(404), lambda w: {"comment_id": 0}),
    ],
    "streams:comment_delete": [
        post(answers(REDIRECT, only=("member",)), lambda w: {"comment_id": w.comment.pk}),
    ],
    "streams:topic": [
        case(PAGE, lambda w: {"name": "werf"}),
        unknown(answers(404), lambda w: {"name": "onbekend"}),
    ],
    "streams:department": [
        case(PAGE, lambda w: {"code": "FM"}),
        unknown(answers(404), lambda w: {"code": "XX"}),
    ],
    "streams:profile": [
        case(PAGE, lambda w: {"username": "alice"}),
        unknown(answers(404), lambda w: {"username": "nobody"}),
    ],
    "streams:follow": [post(answers(404))],  # no target: nothing to follow
    "streams:following": [case(PAGE)],
    "streams:moderation": [case(answers(404, communicatie=OK, superuser=OK))],
    "streams:spaces": [case(PAGE)],
    "streams:space_create": [case(PAGE)],
    # Any space can be found by name, to ask to join; its content is for members.
    "streams:space": [
        case(PAGE, closed_space),
        unknown(answers(404), lambda w: {"slug": "onbekend"}),
    ],
    "streams:space_join": [post(answers(REDIRECT), closed_space)],
    "streams:space_leave": [post(answers(REDIRECT), closed_space)],
    "streams:space_members": [case(answers(OK, only=("member",)), closed_space)],
    "notifications": [case(PAGE)],
    "notifications_read": [post(answers(REDIRECT))],
    "preferences": [case(PAGE)],
    "notification": [
        case(
            answers(REDIRECT, only=("member",)),
            lambda w: {"notification_id": w.notification.pk},
        ),
    ],
    "streams:api_stream": [
        case(api(OK)),
        case(api(OK, only=("member",)), query="stream=space:{closed_space}", label="closed"),
    ],
    "streams:api_post_create": [post(api(400))],  # no body: nothing to post
    "streams:api_post": [
        case(api(OK, only=("member",)), closed_post),
        unknown(api(404), lambda w: {"post_id": 0}),
    ],
    "api_notifications": [case(api(OK))],
    "api_notifications_test": [post(api(202)), case(api(405, anonymous=405), label="get")],
    "working_hours": [post(answers(400))],  # no days chosen: the page with its errors
    "test_notification": [post(answers(REDIRECT))],
    "email_address_add": [post(answers(OK))],  # no address: the page with its error
    "email_confirm": [case(answers(REDIRECT), lambda w: {"token": "forged"})],
    "email_address_remove": [post(answers(REDIRECT))],
    "email_address_use": [post(answers(REDIRECT))],
    "email_digest": [post(answers(OK))],  # no choice: the page with its error
    # The one-click unsubscribe link works without a session: the token is the authority.
    "email_unsubscribe": [case(answers(400, anonymous=400), lambda w: {"token": "forged"})],
    "service_worker": [case(PUBLIC)],
    "api_push_key": [case(api(OK))],
    "api_push_subscriptions": [post(api(400)), case(api(405, anonymous=405), label="get")],
    # --- messaging ----------------------------------------------------------------------
    "messaging:inbox": [case(PAGE)],
    "messaging:new_direct": [case(PAGE)],
    "messaging:new_group": [case(PAGE)],
    "messaging:search": [case(PAGE)],
    "messaging:settings": [case(PAGE)],
    "messaging:conversation": [
        case(answers(OK, only=("member",)), group),
        unknown(answers(404), lambda w: {"conversation_id": 0}),
    ],
    "messaging:members": [case(answers(OK, only=("member",)), group)],
    "messaging:mute": [post(answers(REDIRECT, only=("member",)), group)],
    "messaging:edit": [case(answers(OK, only=("member",)), own_message)],
    "messaging:delete": [case(answers(OK, only=("member",)), own_message)],
    "messaging:attachment": [
        case(answers(OK, only=("member",)), lambda w: {"message_id": w.message.pk}),
        unknown(answers(404), lambda w: {"message_id": 0}),
    ],
    "messaging:thumbnail": [
        case(answers(OK, only=("member",)), lambda w: {"message_id": w.message.pk}),
        unknown(answers(404), lambda w: {"message_id": 0}),
    ],
    "messaging:api_conversations": [case(api(OK))],
    "messaging:api_unread": [case(api(OK))],
    "messaging:api_messages": [
        case(api(OK, only=("member",)), group),
        unknown(api(404), lambda w: {"conversation_id": 0}),
    ],
    # --- surveys ------------------------------------------------------------------------
    "surveys:list": [case(PAGE)],
    "surveys:start": [
        case(PAGE, survey),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "surveys:section": [case(PAGE, lambda w: {"pk": w.survey.pk, "number": 1})],
    "surveys:review": [case(PAGE, survey)],
    "surveys:done": [case(PAGE, survey)],
    "surveys:manage": [case(answers(403, hr=OK, superuser=OK))],
    "surveys:create": [case(answers(403, hr=OK, superuser=OK))],
    "surveys:edit": owner_page(survey),
    "surveys:settings": owner_page(survey),
    "surveys:status": owner_post(survey, owner=404),  # no action given: nothing to do
    "surveys:add_section": owner_page(survey),
    "surveys:edit_section": owner_page(survey_section),
    "surveys:add_question": owner_page(survey_section),
    "surveys:edit_question": owner_page(
        lambda w: {"pk": w.survey.pk, "question_pk": w.question.pk}
    ),
    "surveys:delete": owner_post(survey_item("section")),
    "surveys:move": owner_post(survey_item("question")),
    "surveys:preview": owner_page(lambda w: {"pk": w.survey.pk, "number": 1}),
    "surveys:poster": owner_page(survey),
    "surveys:results": owner_page(survey),
    "surveys:export": owner_page(survey),
    "surveys:api_open": [case(api(OK))],
    # The SMS number: a POST without a number is explained on the preferences page.
    "sms_number": [post(answers(REDIRECT))],
    "sms_confirm": [post(answers(REDIRECT))],
    "sms_remove": [post(answers(REDIRECT))],
    # Urgent messages: the senders' pages exist only for the communication team (and
    # crisis communication); an unknown message is 404 for everyone.
    "alerts:list": [case(answers(404, communicatie=OK, superuser=OK))],
    "alerts:compose": [case(answers(404, communicatie=OK, superuser=OK))],
    "alerts:message": [unknown(answers(404), lambda w: {"pk": 0})],
    "alerts:test": [post(answers(404), lambda w: {"pk": 0})],
    "alerts:send": [post(answers(404), lambda w: {"pk": 0})],
    "alerts:progress": [unknown(answers(404), lambda w: {"pk": 0})],
    "alerts:acknowledge": [post(answers(404), lambda w: {"pk": 0})],
    # --- campaigns ----------------------------------------------------------------------
    "campaigns:announcements": [case(PAGE)],
    "campaigns:announcement_new": [case(EDITOR_PAGE)],
    "campaigns:announcement": [
        case(answers(OK, only=CAMPAIGN_EDITORS + CAMPAIGN_READERS), announcement),
        case(EDITOR_PAGE, scheduled, label="scheduled"),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "campaigns:announcement_edit": editor_page(announcement),
    "campaigns:publish_now": editor_post(scheduled),
    "campaigns:withdraw": editor_post(announcement),
    # Counted for its audience only: the editors are not addressed (a GIF to a GET, 204 to
    # the script's POST); a scheduled one is nobody's yet.
    "campaigns:seen": [
        case(answers(OK, only=CAMPAIGN_READERS), announcement),
        post(answers(204, only=CAMPAIGN_READERS), announcement),
        case(answers(404), scheduled, label="scheduled"),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "campaigns:acknowledge": [
        post(answers(REDIRECT, only=CAMPAIGN_READERS), announcement),
        post(answers(404), scheduled, label="scheduled"),
        case(answers(405), announcement, label="get"),
    ],
    "campaigns:follow": [
        case(
            answers(REDIRECT, only=CAMPAIGN_READERS),
            lambda w: {"pk": w.announcement.pk, "what": "link"},
        ),
        case(answers(404), lambda w: {"pk": w.announcement.pk, "what": "enquete"}, label="none"),
        unknown(answers(404), lambda w: {"pk": 0, "what": "link"}),
    ],
    "campaigns:poster": editor_page(announcement),
    "campaigns:announcement_reach": editor_page(announcement),
    "campaigns:announcement_reach_csv": editor_page(announcement),
    "campaigns:campaigns": [case(EDITOR_PAGE)],
    "campaigns:campaign_new": [case(EDITOR_PAGE)],
    "campaigns:calendar": [case(EDITOR_PAGE)],
    "campaigns:campaign": [
        case(answers(OK, only=CAMPAIGN_EDITORS + CAMPAIGN_READERS), campaign),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "campaigns:campaign_edit": editor_page(campaign),
    "campaigns:campaign_hero": [
        case(answers(OK, only=CAMPAIGN_EDITORS + CAMPAIGN_READERS), campaign),
        unknown(answers(404), lambda w: {"pk": 0}),
    ],
    "campaigns:campaign_reach": editor_page(campaign),
    "campaigns:campaign_reach_csv": editor_page(campaign),
    "campaigns:api_campaigns": [
        case(api(OK, **NOT_CAMPAIGN_EDITORS)),
        post(api(400, **NOT_CAMPAIGN_EDITORS)),  # no body: nothing to save
    ],
    "campaigns:api_items": [
        post(api(400, **NOT_CAMPAIGN_EDITORS), campaign),
        post(api(404, **NOT_CAMPAIGN_EDITORS), lambda w: {"pk": 0}, label="unknown"),
        case(api(405, anonymous=405), campaign, label="get"),
    ],
    "campaigns:api_campaign_reach": editor_api(campaign),
    "campaigns:api_announcement_reach": editor_api(announcement),
    # A directive's reach exists once one that asks for acknowledgement was published
    # (tests/campaigns/test_directives.py): for the others, and for unknown ones, 404.
    "campaigns:directive_reach": [
        case(answers(404), restricted, label="unmeasured"),
        unknown(answers(404), lambda w: {"number": "KUS-1999-0001"}),
    ],
    "campaigns:directive_reach_csv": [
        case(answers(404), restricted, label="unmeasured"),
        unknown(answers(404), lambda w: {"number": "KUS-1999-0001"}),
    ],
    "campaigns:directive_seen": [
        post(answers(404), lambda w: {"pk": w.restricted.pk}, label="unmeasured"),
        post(answers(404), lambda w: {"pk": 0}, label="unknown"),
    ],
}
