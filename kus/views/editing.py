"""KUS editing pages: a new directive, its working copy, and the approval steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kus import actions, duplicates
from kus.access import access_editable, can_create, editable_directives
from kus.forms import (
    AttachmentForm,
    DirectiveForm,
    PublishForm,
    TextForm,
)
from kus.models import Directive
from kus.text import highlight_hard_parts, readability
from kus.views.reading import attachments_of
from workplace.forms import AudienceForm
from workplace.http import AuthenticatedRequest
from workplace.untrusted import parse_id

# --- editing -------------------------------------------------------------------------------------


def _editor_aids(directive: Directive | None, text: str, summary: str, user) -> dict:
    """Readability of the text and summary, and the existing directives this one resembles."""
    result = readability(text)
    summary_result = readability(summary)
    return {
        "readability": result,
        "highlighted": highlight_hard_parts(text, result) if text else "",
        "summary_readability": summary_result,
        "duplicates": duplicates.near_duplicates(
            user, text, exclude=directive.pk if directive else None
        ),
    }


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    text_form = TextForm(request.POST or None)
    meta_form = DirectiveForm(
        request.POST or None,
        user=request.user,
        initial={"owner_department": request.user.department_id, "contact": request.user.username},
    )
    audience_form = AudienceForm(
        request.POST or None, prefix="audience", initial={"all_staff": True}
    )
    if request.method == "POST" and all(
        [text_form.is_valid(), meta_form.is_valid(), audience_form.is_valid()]
    ):
        data = meta_form.cleaned_data
        try:
            directive = actions.create_directive(
                request.user,
                text=actions.Text(**text_form.cleaned_data),
                owner_department=data["owner_department"],
                category=data["category"],
                audience=audience_form,
                tags=data["tags"],
                contact=data["contact"],
                requires_ack=data["requires_ack"],
                ack_by=data["ack_by"],
                restricted=data["restricted"],
                effective_from=data["effective_from"],
                review_by=data["review_by"],
                expires_on=data["expires_on"],
            )
        except actions.ActionError as error:
            text_form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("kus:edit", directive.pk)
    return render(
        request,
        "kus/edit.html",
        {"text_form": text_form, "meta_form": meta_form, "audience_form": audience_form},
    )


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    directive = access_editable(request.user, pk)
    published = directive.current_version_id is not None
    draft = actions.draft_of(directive)
    working = draft or directive.current_version
    initial = {"title": working.title, "summary": working.summary, "body": working.body}
    if draft is not None:
        initial.update(change_note=draft.change_note, material=draft.material)
    post = request.POST if request.method == "POST" else None
    text_form = TextForm(post, initial=initial, published=published)
    meta_form = DirectiveForm(post, instance=directive, user=request.user)
    audience_form = AudienceForm(post, prefix="audience", instance=directive.audience)
    if post is not None and all(
        [text_form.is_valid(), meta_form.is_valid(), audience_form.is_valid()]
    ):
        text = actions.Text(**{"change_note": "", "material": False, **text_form.cleaned_data})
        unchanged = draft is None and (text.title, text.summary, text.body) == (
            working.title,
            working.summary,
            working.body,
        )
        data = meta_form.cleaned_data
        try:
            actions.save_changes(
                request.user,
                directive,
                text=None if unchanged else text,
                tags=data["tags"],
                audience_form=audience_form if audience_form.has_changed() else None,
                **{name: data[name] for name in DirectiveForm.Meta.fields},
            )
        except actions.ActionError as error:
            text_form.add_error(None, error.message)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("kus:edit", directive.pk)
    body = text_form.data.get("body", working.body) if post else working.body
    summary = text_form.data.get("summary", working.summary) if post else working.summary
    return render(
        request,
        "kus/edit.html",
        {
            "directive": directive,
            "draft": draft,
            "text_form": text_form,
            "meta_form": meta_form,
            "audience_form": audience_form,
            "attachment_form": AttachmentForm(),
            "publish_form": PublishForm(),
            "attachments": attachments_of(working),
            "four_eyes_ok": draft is not None
            and draft.submitted_at is not None
            and request.user.pk not in (draft.submitted_by_id, draft.edited_by_id),
            **_editor_aids(directive, body, summary, request.user),
        },
    )


@login_required
@require_POST
def workflow(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    directive = access_editable(request.user, pk)
    user = request.user
    try:
        if step == "indienen":
            actions.submit_for_review(user, directive)
            messages.success(request, _("Submitted: another editor can now approve and publish."))
        elif step == "terugsturen":
            actions.return_to_draft(user, directive)
            messages.success(request, _("Sent back to draft."))
        elif step == "publiceren":
            form = PublishForm(request.POST)
            form.is_valid()
            numbers = form.cleaned_data.get("replaces", [])
            replaced = list(editable_directives(user).filter(number__in=numbers))
            if len(replaced) != len(set(numbers)):
                raise actions.ActionError(_("You can only replace directives you may edit."))
            version = actions.publish(user, directive, replaces=replaced)
            directive.refresh_from_db()
            messages.success(
                request,
                _("%(number)s version %(seq)s is published.")
                % {"number": directive.number, "seq": version.seq},
            )
            return redirect(directive)
        elif step == "archiveren":
            actions.archive(user, directive)
            messages.success(request, _("The directive is archived."))
        elif step == "bijlage":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise actions.ActionError(_("Choose a file to attach."))
            upload = form.cleaned_data["file"]
            if upload.size > 15 * 1024 * 1024:
                raise actions.ActionError(_("A file can be at most %(mb)s MB.") % {"mb": 15})
            actions.add_attachment(user, directive, upload.name, upload.read())
            messages.success(request, _("The attachment is added."))
        elif step == "bijlage-weg":
            actions.remove_attachment(
                user, directive, parse_id(request.POST.get("attachment")) or 0
            )
            messages.success(request, _("The attachment is removed."))
        else:
            raise Http404
    except actions.ActionError as error:
        messages.error(request, error.message)
    except ValueError:
        raise Http404 from None
    return redirect("kus:edit", directive.pk)
