from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts by `key`, and by `-key` when clicked again (keeps the filters)."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["ordering"] = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    return format_html(
        '<a class="text-reset text-decoration-none" href="?{}">{}{}</a>', params.urlencode(), label, arrow
    )
