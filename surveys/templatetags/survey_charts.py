"""Inline SVG charts, built in Python: a chart of 8,000 answers per group has
hundreds of shapes, and the template engine would spend most of the page's time
on them. No ``style`` attributes: colours come from classes (the CSP forbids
inline styles)."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from surveys.charts import Bar, format_number, format_percent

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """``{{ rate|percent }}``: "42,5 %" in Dutch, "42.5%" in English, "" for None."""
    return "" if value is None else format_percent(value)


@register.filter
def score(value: float | int | None) -> str:
    """``{{ summary.score|score }}``: an average with one decimal, a whole score as is."""
    return format_number(value)


@register.simple_tag
def chart(
    bars: list[Bar], height: int, stacked: bool, title: str, legend: bool = True
) -> SafeString:
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 320 {}" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg">',
            height,
            title,
        )
    ]
    for bar in bars:
        label = escape(Truncator(bar.label).chars(52))
        parts.append(f'<text class="chart-label" x="0" y="{bar.label_y}">{label}</text>')
        if stacked:
            for segment in bar.segments:
                if not segment.count:
                    continue
                parts.append(
                    f'<rect class="{segment.css}" x="{segment.sx}" y="{bar.bar_y}" '
                    f'width="{segment.sw}" height="18"/>'
                )
                if segment.fits:
                    parts.append(
                        f'<text class="ci" x="{segment.tx}" y="{bar.text_y}">'
                        f"{escape(format_percent(segment.percent))}</text>"
                    )
            parts.append(f'<text class="cv" x="266" y="{bar.text_y}">n={bar.total}</text>')
        else:
            segment = bar.segments[0]
            parts.append(
                f'<rect class="chart-track" x="0" y="{bar.bar_y}" width="260" height="18"/>'
                f'<rect class="{segment.css}" x="0" y="{bar.bar_y}" width="{segment.sw}" '
                f'height="18"/><text class="cv" x="266" y="{bar.text_y}">'
                f"{escape(format_percent(segment.percent))} ({segment.count})</text>"
            )
    parts.append("</svg>")
    if stacked and legend and bars:
        items = "".join(
            f'<li><span class="swatch {segment.css}" aria-hidden="true"></span>'
            f"{escape(segment.label)}</li>"
            for segment in bars[0].segments
        )
        parts.append(f'<ul class="legend">{items}</ul>')
    # Every interpolated text above is escaped; numbers and class names are ours.
    return mark_safe("\n".join(parts))
