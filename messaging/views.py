"""Pages that work without JavaScript: a list, a conversation, a form post."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messaging import access, actions, queries
from messaging.actions import MessagingError
from messaging.forms import EditForm, GroupForm, MessageForm, NewGroupForm, PreferencesForm
from messaging.models import Conversation
from workplace import files
from workplace.directory import find_employees
from workplace.http import AuthenticatedRequest
from workplace.models import Employee
from workplace.untrusted import parse_id

PAGE_SIZE = 50
PAGE_TEXT_BUDGET = 40_000  # characters of message text per page


def unread_badge(request: HttpRequest) -> int:
    if not request.user.is_authenticated:
        return 0
    return queries.unread_total(request.user)


# base.html tests ``item.badge``; a template would otherwise call it without a request.


@dataclass(frozen=True)
class InboxRow:
    """One line of the list: the conversation as I see it."""

    chat: Conversation
    title: str
    other: Employee | None  # the other person of a direct conversation
    presence: dict | None  # theirs, when we both share it (queries.presence_for)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(queries.conversations_for(request.user), 30).get_page(request.GET.get("page"))
    others = {
        chat.pk: chat.other_member(request.user) for chat in page.object_list if chat.is_direct
    }
    presence = queries.presence_for([o for o in others.values() if o], request.user)
    rows = [
        InboxRow(
            chat=chat,
            title=chat.title_for(request.user),
            other=(other := others.get(chat.pk)),
            presence=presence.get(other.pk) if other else None,
        )
        for chat in page.object_list
    ]
    return render(request, "messaging/inbox.html", {"page": page, "rows": rows})


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = access.access_conversation(request.user, conversation_id)
    chat = membership.conversation
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                message, _created = actions.send_message(
                    request.user,
                    chat.pk,
                    form.cleaned_data["body"],
                    form.cleaned_data["client_id"],
                    reply_to=form.cleaned_data["reply_to"],
                    attachment=form.cleaned_data["attachment"],
                )
            except MessagingError as error:
                field = "attachment" if error.code.startswith("attachment") else "body"
                form.add_error(field, error.detail)
            else:
                return redirect(f"{chat.get_absolute_url()}#m{message.pk}")
    before = parse_id(request.GET.get("before"))
    messages = queries.messages_of(chat).order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    newest_first = list(messages[: PAGE_SIZE + 1])
    # Fifty short messages, or fewer long ones: a page stays light on a phone.
    shown, budget = [], PAGE_TEXT_BUDGET
    for message in newest_first[:PAGE_SIZE]:
        if shown and len(message.body) > budget:
            break
        budget -= len(message.body)
        shown.append(message)
    older = len(newest_first) > len(shown)
    shown.reverse()
    if shown and not before and shown[-1].pk > membership.last_read_id:
        actions.mark_read(request.user, chat.pk, shown[-1].pk)
    reply_to = parse_id(request.GET.get("reply"))
    if reply_to is not None and not form.is_bound:
        form.initial["reply_to"] = reply_to
    replying = chat.messages.filter(pk=form.initial.get("reply_to") or 0).first()
    members = list(chat.memberships.select_related("user"))
    chat._prefetched_objects_cache = {"memberships": members}
    readers = queries.readers_of(chat, request.user)
    other = chat.other_member(request.user) if chat.is_direct else None
    context = {
        "chat": chat,
        "membership": membership,
        "title": chat.title_for(request.user),
        "chat_messages": shown,
        "older": shown[0].pk if older and shown else None,
        "form": form,
        "replying": replying,
        "members": members,
        "readers": readers,
        "other": other,
        "presence": queries.presence_of(other, request.user) if other else {},
    }
    receipts = read_states(shown, request.user, readers, chat.is_direct)
    for message in shown:
        message.receipt = receipts.get(message.pk, "")
    return render(
        request, "messaging/conversation.html", context, status=400 if form.errors else 200
    )


def read_states(messages, user, readers: dict[int, int], direct: bool) -> dict[int, str]:
    """For my own messages: "gelezen" (direct) or "gelezen door N" (group)."""
    states = {}
    for message in messages:
        if message.sender_id != user.pk or message.is_deleted:
            continue
        count = sum(1 for last in readers.values() if last >= message.pk)
        if count:
            states[message.pk] = _("read") if direct else _("read by %(count)s") % {"count": count}
    return states


@login_required
@require_POST
def mute(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actions.set_muted(request.user, conversation_id, request.POST.get("muted") == "1")
    return redirect("messaging:conversation", conversation_id)


@login_required
def edit_message(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    message = access.access_message(request.user, message_id)
    if message.conversation_id != conversation_id or message.sender_id != request.user.pk:
        raise Http404
    form = EditForm(
        request.POST if request.method == "POST" else None, initial={"body": message.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_message(request.user, message.pk, form.cleaned_data["body"])
        except MessagingError as error:
            form.add_error("body", error.detail)
        else:
            return redirect(message.get_absolute_url())
    return render(
        request,
        "messaging/edit.html",
        {"form": form, "message": message, "can_edit": message.can_edit(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
def delete_message(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    message = access.access_message(request.user, message_id)
    if message.conversation_id != conversation_id or message.sender_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        actions.delete_message(request.user, message.pk)
        flash.success(request, _("Message deleted."))
        return redirect(message.get_absolute_url())
    return render(request, "messaging/delete.html", {"message": message})


@login_required
def attachment(request: HttpRequest, message_id: int) -> HttpResponseBase:
    message = access.access_message(request.user, message_id)
    if message.is_deleted:
        raise Http404
    return files.file_response(request, message.attachment, message.attachment_name)


@login_required
def thumbnail(request: AuthenticatedRequest, message_id: int) -> HttpResponseBase:
    message = access.access_message(request.user, message_id)
    if message.is_deleted or not message.attachment_thumbnail:
        raise Http404
    return files.file_response(request, message.attachment_thumbnail, message.attachment_name)


@login_required
def new_direct(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        other = get_object_or_404(Employee, username=request.POST.get("username", ""))
        try:
            chat, _created = actions.get_or_create_direct(request.user, other)
        except MessagingError as error:
            flash.error(request, error.detail)
            return redirect("messaging:new_direct")
        return redirect(chat)
    query = request.GET.get("q", "").strip()
    people = find_employees(query).exclude(pk=request.user.pk)[:30] if query else []
    return render(request, "messaging/new_direct.html", {"query": query, "people": people})


@login_required
def new_group(request: HttpRequest) -> HttpResponse:
    form = NewGroupForm(
        request.POST if request.method == "POST" else None,
        spaces=actions.spaces_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            chat = actions.create_group(
                request.user, form.cleaned_data["name"], [], form.cleaned_data.get("space")
            )
        except MessagingError as error:
            form.add_error("name", error.detail)
        else:
            flash.success(request, _("Group created. Now add your colleagues."))
            return redirect("messaging:members", chat.pk)
    return render(request, "messaging/new_group.html", {"form": form})


@login_required
def members(request: HttpRequest, conversation_id: int) -> HttpResponse:
    membership = access.access_conversation(request.user, conversation_id)
    chat = membership.conversation
    if request.method == "POST":
        return _change_members(request, chat.pk)
    query = request.GET.get("q", "").strip()
    people = []
    if query and membership.is_admin and not chat.is_direct:
        people = (
            find_employees(query)
            .exclude(memberships__conversation=chat)
            .select_related(None)
            .select_related("department")[:30]
        )
    roster = chat.memberships.select_related("user", "user__department").order_by(
        "user__last_name", "user__first_name"
    )
    return render(
        request,
        "messaging/members.html",
        {
            "chat": chat,
            "membership": membership,
            "title": chat.title_for(request.user) if chat.is_direct else chat.name,
            "roster": roster,
            "query": query,
            "people": people,
            "rename_form": GroupForm(initial={"name": chat.name}),
        },
    )


def _change_members(request: HttpRequest, conversation_id: int) -> HttpResponse:
    action = request.POST.get("action")
    target = None
    if username := request.POST.get("username"):
        target = get_object_or_404(Employee, username=username)
    back = reverse("messaging:members", args=[conversation_id])
    try:
        if action == "add" and target:
            actions.add_members(request.user, conversation_id, [target])
            flash.success(request, _("%(name)s is now in the group.") % {"name": target})
        elif action == "remove" and target:
            actions.remove_member(request.user, conversation_id, target)
            flash.success(request, _("%(name)s is no longer in the group.") % {"name": target})
        elif action in ("admin", "member") and target:
            actions.set_admin(request.user, conversation_id, target, action == "admin")
        elif action == "leave":
            actions.remove_member(request.user, conversation_id, request.user)
            flash.success(request, _("You left the group."))
            return redirect("messaging:inbox")
        elif action == "rename":
            actions.rename_group(request.user, conversation_id, request.POST.get("name", ""))
        else:
            flash.error(request, _("Choose what to change."))
    except MessagingError as error:
        flash.error(request, error.detail)
    return redirect(back)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(queries.search_messages(request.user, query), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "messaging/search.html", {"query": query, "page": page})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    prefs = queries.preferences(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        actions.update_preferences(
            request.user,
            read_receipts=form.cleaned_data["read_receipts"],
            show_presence=form.cleaned_data["show_presence"],
        )
        flash.success(request, _("Your choices are saved."))
        return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form})
