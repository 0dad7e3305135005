"""Page forms of the key-post personnel: field types only; the rules are the services' (field-level Chinese errors
come back from ValidationFailed and are put on the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CertificateKind, Post, TrainingKind, TrainingResult

DATE = forms.DateInput(attrs={"type": "date"})


class PersonForm(forms.Form):
    name = forms.CharField(label=_("person's name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    posts = forms.MultipleChoiceField(
        label=_("posts"), choices=Post.choices, widget=forms.CheckboxSelectMultiple
    )
    hired_on = forms.DateField(label=_("hired on"), required=False, widget=DATE)
    left_on = forms.DateField(label=_("left on"), required=False, widget=DATE)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("certificate kind"), choices=CertificateKind.choices)
    job_code = forms.ChoiceField(label=_("operation job"), required=False)
    number = forms.CharField(label=_("certificate number"), max_length=40)
    issuing_authority = forms.CharField(label=_("issuing authority"), max_length=100)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE)
    expires_on = forms.DateField(label=_("expires on"), widget=DATE)
    review_extended = forms.BooleanField(
        label=_("review extended to 6 years (10 clean years)"), required=False
    )

    def __init__(self, *args: Any, jobs: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["job_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(code, f"{code} {name}") for code, (_c, name) in (jobs or {}).items()]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DATE)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("course"), max_length=200)
    kind = forms.ChoiceField(label=_("training kind"), choices=TrainingKind.choices)
    hours = forms.DecimalField(
        label=_("training hours"), max_digits=6, decimal_places=1, min_value=0.1, max_value=1000
    )
    held_on = forms.DateField(label=_("training date"), widget=DATE)
    result = forms.ChoiceField(label=_("training result"), choices=TrainingResult.choices)
    provider = forms.CharField(label=_("training provider"), max_length=200, required=False)
