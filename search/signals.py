"""From model changes to index tasks.

Haystack calls ``QueuedSignalProcessor`` (``HAYSTACK_SIGNAL_PROCESSOR``) on every
save and delete; it queues the indexed ones (``search.queue``) instead of
writing to the index in the user's request. Changes that alter other
documents than the saved object are followed here too: a renamed department
changes its members' entries, and an edited audience changes the principals
of every document addressed to it. Apps announce the other changes with their
own signals, which they hand to ``follow_announcements``.
"""

from __future__ import annotations

from django.db.models import signals
from django.dispatch import Signal
from haystack.signals import BaseSignalProcessor

from search import queue
from workplace.models import Audience, AudienceJobTitle, Department


class QueuedSignalProcessor(BaseSignalProcessor):
    def setup(self) -> None:
        signals.post_save.connect(self.handle_save)
        signals.post_delete.connect(self.handle_delete)
        signals.post_save.connect(department_saved, sender=Department)
        signals.post_save.connect(audience_changed, sender=Audience)
        for field in Audience._meta.many_to_many:
            signals.m2m_changed.connect(audience_changed, sender=field.remote_field.through)
        for signal in (signals.post_save, signals.post_delete):
            signal.connect(job_title_changed, sender=AudienceJobTitle)

    def teardown(self) -> None:
        signals.post_save.disconnect(self.handle_save)
        signals.post_delete.disconnect(self.handle_delete)
        signals.post_save.disconnect(department_saved, sender=Department)
        signals.post_save.disconnect(audience_changed, sender=Audience)
        for field in Audience._meta.many_to_many:
            signals.m2m_changed.disconnect(audience_changed, sender=field.remote_field.through)
        for signal in (signals.post_save, signals.post_delete):
            signal.disconnect(job_title_changed, sender=AudienceJobTitle)

    def _indexed(self, sender) -> bool:
        unified = self.connections["default"].get_unified_index()
        return sender in unified.get_indexed_models()

    def handle_save(self, sender, instance, update_fields=None, **kwargs) -> None:
        if not self._indexed(sender):
            return
        index = self.connections["default"].get_unified_index().get_index(sender)
        if update_fields and set(update_fields) <= getattr(index, "unindexed_fields", set()):
            return  # a login, a new password: nothing the index shows
        queue.enqueue(instance)

    def handle_delete(self, sender, instance, **kwargs) -> None:
        if self._indexed(sender):
            queue.enqueue(instance)


def department_saved(sender, instance: Department, created: bool, **kwargs) -> None:
    if not created:
        # Colleagues are found by their department's name.
        queue.enqueue(instance.employees.filter(is_active=True))


def audience_changed(sender, instance, **kwargs) -> None:
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    if isinstance(instance, Audience):
        requeue_audience(instance)


def job_title_changed(sender, instance: AudienceJobTitle, **kwargs) -> None:
    requeue_audience(instance.audience)


def requeue_audience(audience: Audience) -> None:
    """Queue every indexed object whose ``audience`` is this one."""
    from haystack import connections

    for model in connections["default"].get_unified_index().get_indexed_models():
        for field in model._meta.get_fields():
            if (
                field.name == "audience"
                and field.is_relation
                and field.related_model is Audience
                and (field.many_to_one or field.one_to_one)
            ):
                queue.enqueue(model._default_manager.filter(audience=audience))


def connect_index_dependencies() -> None:
    """Follow the dependencies the indexes declare.

    An index may declare ``dependencies()``: ``{Model: function(instance) -> object}``,
    the indexed object a saved or deleted instance of another model changes
    (a guardian grant changes who sees a directive, say).
    """
    from haystack import connections

    for index in connections["default"].get_unified_index().get_indexes().values():
        for model, target in getattr(index, "dependencies", dict)().items():
            receiver = _dependency_receiver(target)
            _receivers.append(receiver)  # signals hold weak references
            uid = f"search.{type(index).__name__}.{model._meta.label}"
            signals.post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
            signals.post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete")


_receivers: list = []


def _dependency_receiver(target):
    def requeue(sender, instance, **kwargs) -> None:
        obj = target(instance)
        if obj is not None:
            queue.enqueue(obj)

    return requeue


def follow_announcements(*announcements: Signal) -> None:
    """Re-index the object a signal names (``directive``, ``post``, ``comment`` or
    ``announcement``).

    An app whose objects change text or visibility in ways a save does not show
    (a publication, a grant) calls this from its ``AppConfig.ready()`` with the
    signals it sends after commit.
    """
    for signal in announcements:
        signal.connect(announced_change)


def announced_change(sender, **kwargs) -> None:
    """A module said an object's text or visibility changed: look at it again."""
    for name in ("directive", "post", "comment", "announcement"):
        target = kwargs.get(name)
        if target is not None:
            queue.enqueue(target)
            if name == "post":
                queue.enqueue(target.comments.all())
