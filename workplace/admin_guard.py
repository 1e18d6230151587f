"""The admin, hardened against hostile ids in its URLs and forms.

Two places where Django's admin and guardian's pages trust an id they were sent:
an autocomplete widget re-rendering a form whose bound value is not a key (it
filters ``pk__in=["abc"]``), and guardian's permission pages (``pk="abc"``). Both
raise and answer 500; with these mixins they answer like any unknown object.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import Http404
from guardian.admin import GuardedModelAdmin

from workplace.untrusted import MAX_INT, MIN_INT, parse_id


def _is_key(model_field, value) -> bool:
    remote = model_field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or "pk")
    try:
        key = target.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or MIN_INT <= key <= MAX_INT


class _OnlyKeys:
    """Shows only the bound values that can be keys; the form reports the rest."""

    def optgroups(self, name, value, attr=None):
        keys = [item for item in value if _is_key(self.field, item)]
        return super().optgroups(name, keys, attr)


class TolerantAutocompleteSelect(_OnlyKeys, AutocompleteSelect):
    pass


class TolerantAutocompleteSelectMultiple(_OnlyKeys, AutocompleteSelectMultiple):
    pass


class TolerantAutocompleteMixin:
    """For a ModelAdmin with ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TolerantGuardedModelAdmin(GuardedModelAdmin):
    """guardian's object permission pages, with 404 for an id that cannot exist."""

    def _object_key(self, object_pk: str):
        try:
            key = self.model._meta.pk.to_python(object_pk)
        except ValidationError:
            raise Http404 from None
        if isinstance(key, int) and not MIN_INT <= key <= MAX_INT:
            raise Http404
        return object_pk

    def obj_perms_manage_view(self, request, object_pk):
        return super().obj_perms_manage_view(request, self._object_key(object_pk))

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        if parse_id(user_id) is None:
            raise Http404
        return super().obj_perms_manage_user_view(request, self._object_key(object_pk), user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        if parse_id(group_id) is None:
            raise Http404
        return super().obj_perms_manage_group_view(request, self._object_key(object_pk), group_id)
