from django import forms
from django.utils.translation import gettext_lazy as _

from anquan.orgs.models import Department

from .roles import Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = forms.CharField(label=_("Region"), required=False, widget=forms.HiddenInput)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, to_field_name="name"
    )
    enterprise = forms.CharField(label=_("Enterprise credit code"), max_length=18, required=False)
    grid = forms.CharField(label=_("Grid code (grid workers)"), max_length=32, required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, min_length=8)
