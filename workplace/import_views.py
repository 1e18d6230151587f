"""HR's imports from the browser: upload a CSV, read the dry run, confirm (import_uploads)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workplace import import_uploads
from workplace.http import AuthenticatedRequest
from workplace.importers import CsvFileError, ImportReport
from workplace.reauth import recent_auth_required
from workplace.roles import Role, role_required


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What does the file hold?"),
        choices=[
            (import_uploads.EMPLOYEES, gettext_lazy("Employees")),
            (import_uploads.DEPARTMENTS, gettext_lazy("Departments")),
        ],
        initial=import_uploads.EMPLOYEES,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 (Excel: 'CSV UTF-8'), separated by ; or , with the column names on the "
            "first line, in Dutch or English."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        label=gettext_lazy("Deactivate employees who are not in the file"),
        required=False,
        help_text=gettext_lazy("Only for a complete staff list."),
    )
    welcome = forms.BooleanField(
        label=gettext_lazy("Welcome new employees in their department's stream"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Switch this off for the first import of the whole staff."),
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # The report names colleagues: a shared computer's browser keeps none of it.
    response["Cache-Control"] = "no-store"
    return response


def _report_page(request, pending, report: ImportReport, *, changed: bool = False):
    return _no_store(
        render(
            request,
            "workplace/import_report.html",
            {"pending": pending, "report": report, "changed_meanwhile": changed},
        )
    )


@role_required(Role.HR)
@recent_auth_required
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a file and see its dry run; nothing is written here."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = import_uploads.keep_upload(
                request,
                form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                deactivate_missing=form.cleaned_data["deactivate_missing"],
                announce_new=form.cleaned_data["welcome"],
            )
        except CsvFileError as error:
            form.add_error("file", str(error))
        else:
            report = import_uploads.check_import(request, pending, request.user)
            return _report_page(request, pending, report)
    return _no_store(render(request, "workplace/import_upload.html", {"form": form}))


@role_required(Role.HR)
@recent_auth_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Apply the file the dry run showed, as it showed it, or show what changed."""
    if request.method == "GET":
        # Back from re-entering the password, which ends in a GET: the dry run again,
        # to be confirmed (or the upload page, with nothing pending).
        pending = import_uploads.find_pending(request, None)
        if pending is None:
            return redirect("import_upload")
        report = import_uploads.check_import(request, pending, request.user)
        return _report_page(request, pending, report)
    pending = import_uploads.find_pending(request, request.POST.get("token", ""))
    if pending is None:
        messages.error(
            request, _("This check has expired or was already imported. Upload the file again.")
        )
        return redirect("import_upload")
    report, written = import_uploads.do_import(request, pending, request.user)
    if not written:
        return _report_page(request, pending, report, changed=True)
    messages.success(
        request,
        _(
            "Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
            "%(deactivated)d deactivated."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "deactivated": report.deactivated,
        },
    )
    return redirect("import_upload")
