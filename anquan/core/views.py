from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.core.permissions import Perm, has_perm

from . import audit
from .choices import AuditAction
from .models import Notification
from .paging import paginate, remember_filters


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
    qs = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notifications")
    page = paginate(request, qs, 30)
    return render(request, "core/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    note = Notification.objects.filter(user=request.user, pk=pk).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:notifications")
