from django import template

from anquan.regions.picker import picker_context

register = template.Library()


@register.inclusion_tag("regions/_picker.html", takes_context=True)
def region_picker(context, name, value=None, empty=False):
    return picker_context(context["request"].user, name, value, empty)
