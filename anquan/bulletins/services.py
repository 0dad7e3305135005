"""Reading bulletins: the scoped list with its filters, the JSON shape, the file response."""

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse

from anquan.core.scope import get_in_scope, restrict, within
from anquan.regions.models import Region

from . import periods
from .choices import DOCUMENT_NAMES, Kind
from .models import Bulletin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def scoped(user) -> QuerySet:
    return restrict(Bulletin, user).select_related("region", "created_by")


def filtered(user, params) -> QuerySet:
    qs = scoped(user)
    kind = params.get("kind")
    if kind:
        qs = qs.filter(kind=kind) if kind in Kind.values else qs.none()
    code = params.get("region")
    if code:
        region = Region.objects.filter(code=code).first()
        qs = qs.filter(within(region.prefix)) if region else qs.none()
    year = str(params.get("year") or "").strip()
    if year:  # a year outside the bulletins' range matches nothing (the API refuses it first)
        valid = year.isdigit() and periods.FIRST_YEAR <= int(year) <= periods.LAST_YEAR
        qs = qs.filter(period_start__year=int(year)) if valid else qs.none()
    return qs


def out(bulletin: Bulletin) -> dict:
    return {
        "id": bulletin.id,
        "kind": bulletin.kind,
        "kind_name": DOCUMENT_NAMES[bulletin.kind],
        "title": bulletin.title,
        "issue_number": bulletin.issue_number,
        "region": bulletin.region.code,
        "region_name": bulletin.region.full_name,
        "period": {
            "name": bulletin.period_name,
            "start": bulletin.period_start.isoformat(),
            "end": bulletin.period_end.isoformat(),
            "data_end": bulletin.data_end.isoformat(),
        },
        "size": bulletin.size,
        "created_by": bulletin.created_by.username if bulletin.created_by_id else None,
        "created_at": bulletin.created_at.isoformat(),
        "download_url": reverse("api:bulletin_download", kwargs={"bulletin_id": bulletin.id}),
    }


def file_response(user, pk: int) -> FileResponse:
    """The .docx named by its title; 404 when out of scope or when the file has gone."""
    bulletin = get_in_scope(scoped(user), user, pk=pk)
    try:
        handle = bulletin.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=f"{bulletin.title}.docx", content_type=DOCX)
