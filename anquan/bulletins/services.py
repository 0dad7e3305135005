"""Reading bulletins: the scoped list (its filters in filters.py), the JSON shape, the file response."""

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse

from anquan.core.scope import restrict
from anquan.core.uploads import scoped_file

from .choices import DOCUMENT_NAMES
from .models import Bulletin

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def scoped(user) -> QuerySet:
    return restrict(Bulletin, user).select_related("region", "created_by")


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
    return scoped_file(
        user, scoped(user), pk, name=lambda bulletin: f"{bulletin.title}.docx", content_type=DOCX
    )
