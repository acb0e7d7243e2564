"""The applicant's forms, one module a feature: `intake` (the steps of a new request) and `follow`
(the pages under the secret link). Here, what every form of the project shares."""

from django import forms


class IntakeBoundField(forms.BoundField):
    """Ties each input to its hint and error texts, with DSFR error styles."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        described_by = [f"{self.auto_id}-hint"] if self.help_text else []
        if self.errors:
            described_by.append(f"{self.auto_id}-error")
            if base := widget.attrs.get("class"):
                attrs["class"] = f"{base} {base}--error"
        if described_by and not self.use_fieldset:
            attrs["aria-describedby"] = " ".join(described_by)
        return attrs
