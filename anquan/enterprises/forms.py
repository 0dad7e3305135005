"""The enterprise form: widgets only; validation is `validation.clean_enterprise`, shared with API and import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anquan.core.forms import bootstrap
from anquan.core.permissions import Perm, has_perm
from anquan.orgs.models import Department, Industry

from .models import Enterprise
from .validation import DEFAULTS, FIELDS


def enterprise_form(user, data=None, initial=None, *, editing: bool = False) -> forms.Form:
    """The fields this user may set (supervision fields only for supervisors), labelled with the
    registry's names, starting from the same defaults as the API and the Excel import. An existing
    enterprise's status is not a field: it changes through the named transitions on its page."""
    form = forms.Form(data=data, initial={**DEFAULTS, **(initial or {})})
    for f in FIELDS:
        if f.perm == Perm.ENTERPRISE_SUPERVISE and not has_perm(user, f.perm):
            continue
        if editing and f.name == "status":
            continue
        label = Enterprise._meta.get_field(f.name).verbose_name
        if f.kind == "region":
            field = forms.CharField(label=label, required=False, widget=forms.HiddenInput)
        elif f.kind in ("industry", "department", "choice"):
            if f.kind == "industry":
                options = [("", "—")] + [(i.code, i.name) for i in Industry.objects.all()]
            elif f.kind == "department":
                options = [("", _("By industry (三管三必须)"))] + [
                    (d.name, d.name) for d in Department.objects.all()
                ]
            else:
                options = [(m.value, m.label) for m in f.choices]
                if f.name == "key_supervision_level":
                    options.insert(0, ("", "—"))
            field = forms.ChoiceField(label=label, required=False, choices=options)
        elif f.kind == "bool":
            field = forms.BooleanField(label=label, required=False)
        else:
            field = forms.CharField(label=label, required=False)
        field.required_mark = f.required
        form.fields[f.name] = field
    return bootstrap(form)


def raw_from_post(post, form: forms.Form) -> dict:
    """Form data → raw input for clean_enterprise: only the fields the form showed (unchecked box → False,
    an empty territorial region → the enterprise's own region)."""
    raw = {}
    for f in FIELDS:
        if f.name not in form.fields:
            continue
        if f.kind == "bool":
            raw[f.name] = f.name in post
        elif f.name in post:
            raw[f.name] = post.get(f.name, "")
    if not raw.get("territorial_region"):
        raw.pop("territorial_region", None)
    return raw


def mark_invalid(form: forms.Form) -> None:
    """Red borders on the fields that carry errors (Bootstrap's is-invalid)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
