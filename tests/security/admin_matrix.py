"""The admin's URLs, by rule rather than one by one: what each actor gets there."""

from __future__ import annotations

from tests.security.matrix import ADMIN_LOGIN, LOGIN, OK, REDIRECT, Answer

STAFF = ("staff", "superuser")
# The staff actor holds one permission: it may view departments (and so the workplace app).
STAFF_VIEWS = {"workplace_department"}


def admin_answer(
    name: str, actor: str, *, model: str = "", may: dict[str, bool] | None = None, exists=True
) -> Answer:
    """What an admin URL answers: only staff get in; then each model's permission decides.

    ``name`` is the URL name, or "catch-all" and "object" for the two unnamed patterns;
    ``model`` is the ``app_model`` part of a model page's name; ``may`` holds what the
    model's admin allows a superuser (add, delete); ``exists``: the URL names a real row.
    """
    if name == "admin:login":
        return LOGIN  # the site's own login, with its lockout and second step
    if actor not in STAFF:
        # Everyone else is sent to the admin's login page (logout: to the index, then there).
        return REDIRECT if name == "admin:logout" else ADMIN_LOGIN
    if name == "admin:logout":
        return 405  # POST only
    if name == "catch-all":  # an unknown admin URL: 404, but only for staff
        return 404
    if name == "object":  # the old object URL, sent on to its change page
        return REDIRECT
    if name in ("admin:index", "admin:jsi18n", "admin:password_change"):
        return OK
    if name == "admin:password_change_done":
        return OK
    if name == "admin:autocomplete":
        return 403  # no field to complete
    if name == "admin:view_on_site":
        return REDIRECT
    superuser = actor == "superuser"
    if name == "admin:app_list":  # ``model`` is the app label here
        return OK if superuser or model == "workplace" else 404
    may = may or {}
    views = superuser or model in STAFF_VIEWS
    suffix = name.removeprefix(f"admin:{model}_")
    if suffix == "changelist":
        return OK if views else 403
    if suffix == "add":
        return OK if superuser and may.get("add", True) else 403
    if suffix == "change":
        return (OK if exists else REDIRECT) if views else 403
    if suffix == "history":  # existence is checked before permission here
        return REDIRECT if not exists else (OK if views else 403)
    if suffix == "delete":
        return (OK if exists else REDIRECT) if superuser and may.get("delete", True) else 403
    if suffix.startswith("permissions"):  # guardian: no change permission, back to the index
        return OK if superuser else REDIRECT
    if name == "admin:auth_user_password_change":
        return OK if superuser else 403
    raise AssertionError(f"admin URL {name} has no rule: add it to admin_answer()")
