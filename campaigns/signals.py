"""Signals campaigns sends after its transactions commit.

``announcement_changed(announcement)``: an announcement was published, edited after
publication, or withdrawn; the search looks at it again.
"""

from __future__ import annotations

from django.dispatch import Signal

announcement_changed = Signal()
