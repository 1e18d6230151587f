"""KUS directives in the search, with the same visibility rules as ``kus.access``.

Readers see published, superseded and archived directives; an unrestricted one
is visible to all staff, a restricted one to its audience, to guardian grants
(``view_restricted_directive`` or ``change_directive``, on a user or a group),
to the KUS editors and to superusers. Drafts are not indexed.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils.html import strip_tags
from haystack import indexes

from kus.access import CHANGE, VIEW_RESTRICTED
from kus.models import (
    PUBLIC_STATUSES,
    Directive,
    DirectiveGroupObjectPermission,
    DirectiveUserObjectPermission,
)
from kus.models import Status as DirectiveStatus
from kus.text import render_markdown
from search.indexes import EVERYONE, SUPERUSER, DocumentIndex, Kind, Status, number_words
from workplace.audiences import Principals, principals
from workplace.roles import Role

STATUSES = {
    DirectiveStatus.PUBLISHED: Status.CURRENT,
    DirectiveStatus.SUPERSEDED: Status.SUPERSEDED,
    DirectiveStatus.ARCHIVED: Status.ARCHIVED,
}


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, without its syntax (snippets show no ``|`` or ``##``)."""
    html = render_markdown(markdown)
    # Block ends become line breaks so that cells and paragraphs do not run together.
    html = html.replace("</td>", " </td>").replace("</th>", " </th>").replace("</p>", "</p>\n")
    return " ".join(strip_tags(html).split())


class DirectiveIndex(DocumentIndex, indexes.Indexable):
    kind_name = Kind.DIRECTIVE

    def get_model(self) -> type[Directive]:
        return Directive

    def index_queryset(self, using=None) -> QuerySet[Directive]:
        return (
            Directive.objects.filter(status__in=PUBLIC_STATUSES, number__isnull=False)
            .select_related("current_version", "category", "owner_department", "audience")
            .prefetch_related("tags", "current_version__attachments")
        )

    @staticmethod
    def dependencies() -> dict:
        """Object grants change who sees a restricted directive."""
        return {
            DirectiveUserObjectPermission: lambda grant: grant.content_object,
            DirectiveGroupObjectPermission: lambda grant: grant.content_object,
        }

    def principals(self, obj: Directive) -> Principals:
        return principals(obj.audience) if obj.restricted else EVERYONE

    def grants(self, obj: Directive) -> set[str]:
        if not obj.restricted:
            return set()
        codenames = [CHANGE, VIEW_RESTRICTED]
        tokens = {SUPERUSER}
        tokens |= {
            f"group:{pk}"
            for pk in Group.objects.filter(name=Role.KUS_EDITORS).values_list("pk", flat=True)
        }
        tokens |= {
            f"user:{pk}"
            for pk in DirectiveUserObjectPermission.objects.filter(
                content_object=obj, permission__codename__in=codenames
            ).values_list("user_id", flat=True)
        }
        tokens |= {
            f"group:{pk}"
            for pk in DirectiveGroupObjectPermission.objects.filter(
                content_object=obj, permission__codename__in=codenames
            ).values_list("group_id", flat=True)
        }
        return tokens

    def prepare_title(self, obj: Directive) -> str:
        return obj.current_version.title if obj.current_version_id else obj.title

    def prepare_body(self, obj: Directive) -> str:
        version = obj.current_version
        parts = [version.summary, plain_text(version.body)] if version else [obj.summary]
        if version:
            parts += [attachment.text for attachment in version.attachments.all()]
        parts += [
            " ".join(tag.name for tag in obj.tags.all()),
            obj.category.name,
            obj.owner_department.name,
        ]
        return "\n".join(part for part in parts if part)

    def prepare_number(self, obj: Directive) -> str:
        return obj.number or ""

    def prepare_names(self, obj: Directive) -> str:
        return f"{obj.number} {number_words(obj.number)}" if obj.number else ""

    def prepare_department(self, obj: Directive) -> str:
        return obj.owner_department.code

    def prepare_department_name(self, obj: Directive) -> str:
        return obj.owner_department.name

    def prepare_category(self, obj: Directive) -> str:
        return obj.category.name

    def prepare_status(self, obj: Directive) -> str:
        return STATUSES.get(obj.status, "")

    def prepare_date(self, obj: Directive):
        return obj.updated or obj.published_at

    def prepare_detail(self, obj: Directive) -> str:
        return obj.category.name
