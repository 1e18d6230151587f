"""Signals for other modules (the streams post invitations and notify the audience).

Both are sent after the transaction commits, with ``survey`` (a ``Survey``)
and ``recipients`` (a queryset of the active employees the survey addresses).
"""

from __future__ import annotations

from django.dispatch import Signal

# A survey opened: at its open date (``manage.py surveys_tick``) or by hand.
survey_opened = Signal()
# A survey closed: answers are no longer accepted, results are final.
survey_closed = Signal()
# HR asked to remind the employees who have not answered yet (``recipients``).
survey_reminder = Signal()
