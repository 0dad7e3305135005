from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core import audit
from anquan.core.hooks import Hook
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import region_in_scope, restrict

from .models import Grid, Region, counts_by_child
from .picker import picker_context

GRID_NAME_MAX = Grid._meta.get_field("name").max_length


@login_required
def picker(request):
    """HTMX: re-render the picker after a select changed (`_pick` empty means "the whole parent")."""
    code = request.GET.get("_pick") or request.GET.get("parent") or request.GET.get("code")
    empty = request.GET.get("empty") == "1"
    if empty and not request.GET.get("_pick") and request.GET.get("parent") == request.user.region.code:
        # "" in the first select of an optional picker means "not set" again
        code = None  # back to "not set"
    context = picker_context(request.user, request.GET.get("name", "region"), code, empty)
    return render(request, "regions/_picker.html", context)


# Hook `regions.views.enterprise_counts`: function(user, region) → [(child region, enterprises in its subtree the
# user sees)] (`counts_by_child`), registered by the enterprises app for the region page.
enterprise_counts = Hook("regions.views.enterprise_counts")


@login_required
def browse(request, code=None):
    user = request.user
    region = Region.objects.filter(code=code).first() if code else user.region
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    grid_counts = dict(counts_by_child(restrict(Grid, user), region))
    children = [
        {"region": child, "enterprises": n, "grids": grid_counts[child]}
        for child, n in enterprise_counts.one(user, region)
    ]
    grids = restrict(Grid, user).filter(region=region).prefetch_related("workers")
    return render(
        request,
        "regions/browse.html",
        {
            "region": region,
            "ancestors": [a for a in region.ancestors() if region_in_scope(user, a.code)],
            "children": children,
            "grids": grids,
            "can_manage": has_perm(user, Perm.ORG_MANAGE),
        },
    )


@login_required
@require_POST
def grid_create(request, code):
    if not has_perm(request.user, Perm.ORG_MANAGE):
        raise PermissionDenied
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(request.user, region.code):
        raise Http404
    name = request.POST.get("name", "").strip()
    if region.level < 4:
        messages.error(request, _("Grids belong to a township or a village."))
    elif not name:
        messages.error(request, _("Enter the grid's name."))
    elif len(name) > GRID_NAME_MAX:
        messages.error(request, _("The grid's name is at most %(n)s characters.") % {"n": GRID_NAME_MAX})
    else:
        number = Grid.objects.filter(region=region).count() + 1
        grid = Grid.objects.create(region=region, name=name, code=f"{region.code}G{number:03d}")
        audit.record_create(grid, actor=request.user)
        messages.success(request, _("Grid %(name)s created.") % {"name": grid.name})
    return redirect("regions:region", code=region.code)
