from django import forms


def bootstrap(form: forms.Form) -> forms.Form:
    """Give every widget the CSS class Bootstrap expects."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = (
            "form-select"
            if isinstance(widget, forms.Select)
            else ("form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control")
        )
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form
