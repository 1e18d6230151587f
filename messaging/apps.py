from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from messaging import consumers, events, frames, signals  # noqa: F401  (removal events)
        from workplace import realtime

        realtime.register_events(*events.EVENTS)
        realtime.register_frame(frames.MessageSendFrame, consumers.message_send)
        realtime.register_frame(frames.MessageEditFrame, consumers.message_edit)
        realtime.register_frame(frames.MessageDeleteFrame, consumers.message_delete)
        realtime.register_frame(frames.SyncFrame, consumers.sync)
        realtime.register_frame(frames.ReadFrame, consumers.read)
        realtime.register_frame(frames.TypingFrame, consumers.typing)
        realtime.register_frame(frames.PresenceFrame, consumers.presence)
        realtime.register_visibility(consumers.members_only, *events.MEMBERS_ONLY)
        realtime.register_visibility(consumers.presence_visible, events.PresenceStateEvent)
        realtime.register_forwarded(consumers.forget_membership, events.ConversationRemovedEvent)
        realtime.register_forwarded(consumers.tell_delivered, events.MessageNewEvent)
        realtime.register_closed(consumers.socket_closed)
        realtime.register_opened(consumers.join_conversations)
        from messaging.demo import seed_conversations
        from messaging.views import unread_badge
        from workplace.demo import register_seeder
        from workplace.shell import NavItem, register_nav

        register_nav(
            NavItem(
                "messages",
                _("Messages"),
                "messaging:inbox",
                "chat",
                30,
                badge=unread_badge,
                badge_url_name="messaging:api_unread",
                badge_field="total",
                badge_events=("message.new", "read"),
            )
        )
        register_seeder(50, seed_conversations)

        from messaging.actions import ATTACHMENTS, image_size
        from messaging.models import AttachmentStorage, Message
        from workplace.files.existing import StoredFiles, register_stored_files

        def columns(checked) -> dict:
            width, height = image_size(checked)
            if checked is None:
                return {"attachment_is_image": False, "attachment_width": 0, "attachment_height": 0}
            return {
                "attachment_is_image": checked.is_image,
                "attachment_size": checked.size,
                "attachment_width": width,
                "attachment_height": height,
            }

        register_stored_files(
            StoredFiles(
                Message,
                "attachment",
                ATTACHMENTS,
                folder="messaging",
                columns=columns,
                legacy_locations=lambda: [AttachmentStorage()],
            )
        )
