from django import forms
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Role
from anquan.orgs.models import Department


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
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)  # rules: passwords.py


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("new_password2")
            and data["new_password"] != data["new_password2"]
        ):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data
