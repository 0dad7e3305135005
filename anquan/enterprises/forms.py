"""The enterprise form: widgets only; validation is `validation.clean_enterprise`, shared with API and import."""

from django import forms

from anquan.core.forms import bootstrap
from anquan.orgs.models import Department, Industry

from .validation import FIELDS


def enterprise_form(data=None, initial=None) -> forms.Form:
    form = forms.Form(data=data, initial=initial)
    for f in FIELDS:
        if f.kind in ("region",):
            widget = forms.HiddenInput
            field = forms.CharField(label=f.label, required=False, widget=widget)
        elif f.kind == "industry":
            field = forms.ChoiceField(
                label=f.label,
                required=False,
                choices=[("", "—")] + [(i.code, i.name) for i in Industry.objects.all()],
            )
        elif f.kind == "department":
            field = forms.ChoiceField(
                label=f.label,
                required=False,
                choices=[("", "按行业自动确定（三管三必须）")]
                + [(d.name, d.name) for d in Department.objects.all()],
            )
        elif f.kind == "choice":
            field = forms.ChoiceField(
                label=f.label,
                required=False,
                choices=([("", "—")] if f.name == "key_supervision_level" else [])
                + [(m.value, m.label) for m in f.choices],
            )
        elif f.kind == "bool":
            field = forms.BooleanField(label=f.label, required=False)
        elif f.kind == "text" and f.max_length > 100:
            field = forms.CharField(label=f.label, required=False)
        else:
            field = forms.CharField(label=f.label, required=False)
        field.required_mark = f.required
        form.fields[f.name] = field
    return bootstrap(form)


def raw_from_post(post) -> dict:
    """Form data → raw input for clean_enterprise (unchecked box → False; territorial region blank → keep)."""
    raw = {}
    for f in FIELDS:
        if f.kind == "bool":
            raw[f.name] = f.name in post
        elif f.name in post:
            raw[f.name] = post.get(f.name, "")
    if not raw.get("territorial_region"):
        raw.pop("territorial_region", None)
    return raw
