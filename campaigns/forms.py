"""The editors' forms: a campaign, an announcement. Rules that need the user (which
audience, which campaign) are checked in ``campaigns.actions``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Announcement, Campaign
from kus.models import Directive, Status
from surveys.forms import DateTimeInput
from surveys.models import Status as SurveyStatus
from surveys.models import Survey
from workplace import files

MAX_HERO_BYTES = 5 * 1024 * 1024
HEROES = files.UploadPolicy(
    name="campaigns-hero",
    types=files.IMAGES,
    max_bytes=MAX_HERO_BYTES,
    image_max_side=1600,
    as_jpeg=True,
    too_large=_("A hero image can be at most %(mb)s MB."),
    refused=_("Choose a JPEG, PNG, WebP or GIF image."),
    not_an_image=_("This file is not an image we can read."),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class CampaignForm(forms.ModelForm):
    hero_image = files.UploadField(HEROES, label=_("Hero image"), required=False)

    class Meta:
        model = Campaign
        fields = ["title", "goal", "theme", "starts", "ends"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "starts": DateInput(),
            "ends": DateInput(),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", _("The campaign cannot end before it starts."))
        return data


class AnnouncementForm(forms.ModelForm):
    audience_choice = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=[
            ("own", _("The audience below")),
            ("campaign", _("The campaign's audience")),
        ],
        initial="own",
        widget=forms.RadioSelect,
        required=False,
    )
    link_url = forms.URLField(
        label=_("Link for more information"), required=False, max_length=500, assume_scheme="https"
    )
    directive_number = forms.CharField(
        label=_("Linked directive (number)"),
        required=False,
        max_length=30,
        help_text=_("The number of a published directive, e.g. KUS-2026-014."),
    )

    class Meta:
        model = Announcement
        fields = [
            "title",
            "body",
            "campaign",
            "publish_at",
            "pinned_until",
            "requires_ack",
            "survey",
            "link_url",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "publish_at": DateTimeInput(),
            "pinned_until": DateTimeInput(),
        }
        help_texts = {
            "body": _("Markdown: **bold**, *italic*, lists and links."),
            "publish_at": _("It appears for its audience at this moment, not before."),
            "pinned_until": _("Leave empty to not pin it on the start page."),
        }

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        field.queryset = campaigns if campaigns is not None else Campaign.objects.none()
        field.empty_label = _("(no campaign)")
        self.fields["survey"].queryset = Survey.objects.filter(
            status__in=[SurveyStatus.SCHEDULED, SurveyStatus.OPEN]
        )
        self.fields["survey"].empty_label = _("(no survey)")
        if self.instance.directive_id:
            self.fields["directive_number"].initial = self.instance.directive.number
        if self.instance.published is not None:
            # Published: its moment and its campaign are history, and its reach was
            # measured against them.
            for name in ("publish_at", "campaign"):
                self.fields[name].disabled = True
            del self.fields["audience_choice"]

    def clean_directive_number(self) -> Directive | None:
        number = self.cleaned_data["directive_number"].strip()
        if not number:
            return None
        directive = Directive.objects.filter(number__iexact=number, status=Status.PUBLISHED).first()
        if directive is None:
            raise forms.ValidationError(_("No published directive has this number."))
        return directive

    def clean(self):
        data = super().clean()
        publish_at, pinned_until = data.get("publish_at"), data.get("pinned_until")
        if publish_at and pinned_until and pinned_until <= publish_at:
            self.add_error("pinned_until", _("Pin it until a moment after it is published."))
        campaign = data.get("campaign")
        if data.get("audience_choice") == "campaign" and not campaign:
            self.add_error("audience_choice", _("Choose the campaign whose audience it gets."))
        if campaign and publish_at:
            day = timezone.localdate(publish_at)
            if not campaign.starts <= day <= campaign.ends:
                self.add_error(
                    "publish_at",
                    _(
                        "This campaign runs from %(starts)s to %(ends)s: "
                        "publish it within that period."
                    )
                    % {
                        "starts": campaign.starts.strftime("%d/%m/%Y"),
                        "ends": campaign.ends.strftime("%d/%m/%Y"),
                    },
                )
        return data
