from django import template

from anquan.core.help import help_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_help(context: template.Context) -> str:
    """The 操作指引 of the page being rendered (`core.help.HELP`, by URL name), or ""."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return help_for(match.view_name if match else None)
