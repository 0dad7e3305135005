"""/api/v1/bulletins: generate (POST), list, detail and download the generated .docx."""

from ninja import Router, Schema, Status

from anquan.accounts.scope import get_in_scope
from anquan.core.idempotency import key_from, run_once

from . import generate, services

router = Router(tags=["bulletins"])


class BulletinIn(Schema):
    """`kind`: monthly_dispatch (needs `month`), quarterly_bulletin (needs `quarter` 1–4) or yearly_evaluation;
    `region`: a region code in the caller's scope."""

    kind: str | None = None
    region: str | None = None
    year: int | None = None
    month: int | None = None
    quarter: int | None = None
    issue_number: str | None = None
    idempotency_key: str | None = None


@router.post("", response={201: dict})
def generate_bulletin(request, payload: BulletinIn):
    """Generate a bulletin from the statistics the caller may see: 201 with the bulletin, 403 for a role
    that does not issue bulletins, 422 for a bad kind or period, a period not yet begun, or a region out
    of scope."""

    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        bulletin = generate.generate(request.user, raw)
        return 201, services.out(services.scoped(request.user).get(pk=bulletin.pk))

    key = key_from(request, payload.idempotency_key)
    status, body = run_once(request, "bulletins.generate", key, create)
    return Status(status, body)


@router.get("", response=dict)
def list_bulletins(
    request,
    kind: str | None = None,
    region: str | None = None,
    year: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    qs = services.filtered(request.user, {"kind": kind, "region": region, "year": year})
    count = qs.count()
    offset, limit = max(0, offset), max(1, min(limit, 500))
    return {"items": [services.out(b) for b in qs[offset : offset + limit]], "count": count}


@router.get("/{bulletin_id}", response=dict)
def get_bulletin(request, bulletin_id: int):
    return services.out(get_in_scope(services.scoped(request.user), request.user, pk=bulletin_id))


@router.get("/{bulletin_id}/download", url_name="bulletin_download")
def download_bulletin(request, bulletin_id: int):
    """The .docx file (named by its title); 404 outside the caller's scope."""
    return services.file_response(request.user, bulletin_id)
