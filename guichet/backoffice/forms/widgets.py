"""Widgets of the pages agents reload all day, written without Django's widget templates."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def html_attributes(attrs: dict) -> SafeString:
    """A widget's attributes as Django's django/forms/widgets/attrs.html writes them."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class Select(forms.Select):
    """Django's select, written as its templates write it (select.html, select_option.html and
    attrs.html, whitespace included: each option's template ends with a newline) but by Python:
    the agenda, reloaded all day at every counter, has one, and those templates, rendered for
    each option and each list of attributes, made its form cost twice as much.

    Named Select as Django's: a bound field's `widget_type` (« select ») is the class's name."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"{}>', widget["name"], html_attributes(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        option["value"],
                        html_attributes(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))


class DateInput(forms.DateInput):
    """Django's date input, written as its templates write it (date.html, input.html and
    attrs.html; Django strips what they end with) but by Python, as Select is."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value,
            html_attributes(widget["attrs"]),
        )
