from __future__ import annotations

from django.contrib import admin

from surveys.models import Question, Section, Survey


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "anonymity", "opens_at", "closes_at"]
    list_filter = ["status", "anonymity"]
    inlines = [SectionInline]
    filter_horizontal = ["owners"]
    raw_id_fields = ["audience", "previous_edition"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "code", "kind", "section"]
    list_filter = ["kind"]
    raw_id_fields = ["section", "condition_question"]


# Responses and participations are deliberately not in the admin: nobody browses
# anonymous answers one by one, and the results page applies the thresholds.
