from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StreamsConfig(AppConfig):
    name = "streams"
    verbose_name = _("Streams")

    def ready(self) -> None:
        from django.urls import reverse

        from streams import access, consumers, events, frames, receivers
        from streams.views import home_panel
        from workplace import realtime
        from workplace.shell import HomePanel, ObjectLink, register_home_panel, register_object_link

        register_home_panel(HomePanel("streams/home_panel.html", home_panel, order=10))
        register_object_link(
            "profile",
            ObjectLink(
                _("Posts and activity"), lambda e: reverse("streams:profile", args=[e.username])
            ),
        )
        register_object_link(
            "department",
            ObjectLink(
                _("The department's stream"), lambda d: reverse("streams:department", args=[d.code])
            ),
        )
        # The queue is found from "More" by whoever moderates; nobody else sees the link.
        register_object_link(
            "more",
            ObjectLink(
                _("Moderation"),
                lambda user: reverse("streams:moderation") if access.is_moderator(user) else "",
            ),
        )
        receivers.connect()

        realtime.register_events(events.StreamActivityEvent, events.StreamsSubscribedEvent)
        realtime.register_frame(frames.StreamsSubscribeFrame, consumers.subscribe)
        realtime.register_visibility(consumers.may_see_activity, events.StreamActivityEvent)

        from search.signals import follow_announcements
        from streams import signals

        follow_announcements(signals.post_visibility_changed, signals.comment_changed)

        from streams.demo import seed
        from workplace.demo import register_seeder

        register_seeder(40, seed)

        from streams.models import Post
        from streams.uploads import FILES, PHOTOS
        from workplace.files.existing import StoredFiles, register_stored_files

        register_stored_files(
            StoredFiles(Post, "photo", PHOTOS, folder="streams/photos", drop_refused=True)
        )
        register_stored_files(StoredFiles(Post, "attachment", FILES, folder="streams/files"))

        from notifications.targets import register_target
        from streams.models import Comment, Space

        # A hidden or deleted post takes its notifications (and its comments') off the list.
        register_target(
            Post,
            listed=lambda: Post.objects.filter(deleted=None, hidden=None).select_related("space"),
        )
        register_target(
            Comment, listed=lambda: Comment.objects.filter(post__deleted=None, post__hidden=None)
        )
        register_target(Space, listed=lambda: Space.objects.all())
