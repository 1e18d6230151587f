"""Signals other apps (search) listen to. Both are sent after the transaction commits.

- ``post_visibility_changed(sender=Post, post, change)``: ``change`` is one of
  "created", "edited", "hidden", "restored", "deleted". Re-read
  ``post.principals()`` (empty when nobody may see it any more).
- ``comment_changed(sender=Comment, comment, change)``: "created", "edited", "deleted".
"""

from __future__ import annotations

from django.dispatch import Signal

post_visibility_changed = Signal()
comment_changed = Signal()
