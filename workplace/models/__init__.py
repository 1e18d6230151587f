from workplace.models.access import ActivationCode, ApiToken, PinLockout, Terminal
from workplace.models.audiences import Audience, AudienceJobTitle
from workplace.models.audit import AuditAction, AuditEvent
from workplace.models.jobs import JobFailure
from workplace.models.people import Department, Employee, WorkSite

__all__ = [
    "ActivationCode",
    "ApiToken",
    "Audience",
    "AudienceJobTitle",
    "AuditAction",
    "AuditEvent",
    "Department",
    "Employee",
    "JobFailure",
    "PinLockout",
    "Terminal",
    "WorkSite",
]
