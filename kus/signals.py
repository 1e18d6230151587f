"""What KUS tells other modules (streams, notifications, search).

Every signal is sent from ``kus.actions`` and only after the transaction that
made the change has committed, so a receiver always finds the rows it is told
about. Receivers must check visibility themselves (``kus.access``): a
restricted directive may only reach its audience.
"""

from __future__ import annotations

from django.dispatch import Signal

#: First publication and every new version.
#: Arguments: ``directive``, ``version``, ``material`` (bool: everyone must read it
#: again), ``requires_ack`` (bool), ``first`` (bool: the first publication),
#: ``request_ack`` (bool: ask the audience to acknowledge it now; false for a bulk
#: import unless it asks), ``batch`` (None, or the moment a bulk import started: its
#: directives are announced together, never one by one).
directive_published = Signal()

#: A directive was replaced. Arguments: ``directive`` (the old one), ``replaced_by``.
directive_superseded = Signal()

#: A directive was archived (by hand or because it expired). Arguments: ``directive``.
directive_archived = Signal()

#: Who may see or has to read a directive changed (audience or restriction).
#: Arguments: ``directive``.
directive_audience_changed = Signal()

#: A published directive's review date is near or past. Arguments: ``directive``,
#: ``weeks`` (4, 2, or 0 when overdue). The owners should be reminded.
directive_review_due = Signal()

#: Someone in the audience read a directive that asks for acknowledgement: opened its
#: page (``stage="opened"``) or acknowledged it (``stage="acknowledged"``). Sent by the
#: reading views once the action is done. Arguments: ``directive``, ``user``,
#: ``request`` (for the channel it came through), ``stage``.
directive_read = Signal()
