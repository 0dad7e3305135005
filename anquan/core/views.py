from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anquan.core.permissions import Perm, has_perm

from . import audit
from .choices import AuditAction, NotificationKind
from .context import is_field
from .models import Notification
from .paging import paginate, remember_filters
from .todo import items_for, total

GROUP_PREVIEW = 5  # the latest notifications shown under each kind


@login_required
@remember_filters
def audit_log(request):
    if not has_perm(request.user, Perm.AUDIT_VIEW):
        raise PermissionDenied
    wanted = {k: request.GET.get(k, "")[:150] for k in ("model", "object_id", "actor", "action")}
    qs = audit.filtered(request.user, wanted)
    page = paginate(request, qs, 50)
    return render(request, "core/audit_log.html", {"page": page, "actions": AuditAction.choices})


@login_required
def notifications(request):
    """The user's notifications grouped by kind (issue #12): each kind with its unread count and latest
    ones; `?kind=` lists one kind page by page. POST marks read (one kind, or all)."""
    mine = Notification.objects.filter(user=request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in NotificationKind.values:
        kind = ""
    if request.method == "POST":
        (mine.filter(kind=kind) if kind else mine).filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect(f"{reverse('core:notifications')}?kind={kind}" if kind else "core:notifications")
    counts = {
        row["kind"]: row
        for row in mine.order_by()
        .values("kind")
        .annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)), latest=Max("id"))
    }
    groups = [
        {"kind": k, "label": NotificationKind(k).label, **counts[k]}
        for k in sorted(counts, key=lambda k: (counts[k]["unread"] == 0, -counts[k]["latest"]))
    ]
    context: dict = {"groups": groups, "kind": kind}
    if kind:
        context["label"] = NotificationKind(kind).label
        context["page"] = paginate(request, mine.filter(kind=kind), 30)
    else:
        for group in groups:
            group["latest_items"] = list(mine.filter(kind=group["kind"])[:GROUP_PREVIEW])
    return render(request, "core/notifications.html", context)


@login_required
def notification_open(request, pk):
    note = Notification.objects.filter(user=request.user, pk=pk).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:notifications")


@login_required
def todo(request):
    """The to-do centre (待办): what waits for the user, from every module, one click to each list."""
    items = items_for(request.user)
    context = {"todo_items": items, "todo_count": total(items), "todo_inline": True}
    return render(request, "core/todo.html", context)


def todo_badge(request):
    """The menu's to-do count, asked for by every page after it has loaded (base.html): a page is not held up by
    counting every module's waiting records (docs/adr/0059-to-do-badge-after-the-page.md). The answer replaces the
    page's loader and fills the badges' places out of band. A session that has ended meanwhile gets nothing (204:
    htmx leaves the page as it is) rather than the login page swapped into the menu."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    # the places the page has (base.html): the menu button, the to-do entry, a field role's bottom bar
    spots = ["toggler", "nav"] + (["bottom"] if is_field(request.user) else [])
    context = {"todo_count": total(items_for(request.user)), "spots": spots}
    response = render(request, "core/_todo_badges.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
