from django.http import Http404
from ninja import Router, Schema

from .models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    full_name: str
    parent: str | None


def _out(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "full_name": region.full_name,
        "parent": region.parent.code if region.parent else None,
    }


@router.get("", response=dict)
def list_regions(request, parent: str | None = None, q: str | None = None, limit: int = 200, offset: int = 0):
    """Children of `parent` (default: the top of the tree); with `q`, names containing it in that subtree.

    The division tree is public reference data (GB/T 2260 and the statistical codes), readable by every account.
    """
    node = None
    if parent:
        node = Region.objects.filter(code=parent).first()
        if node is None:
            raise Http404
    qs = Region.objects.select_related("parent")
    if q:
        qs = qs.filter(name__contains=q)
        if node is not None:
            qs = qs.filter(code__startswith=node.prefix)
    elif node is not None:
        qs = qs.filter(parent=node)
    else:
        qs = qs.filter(parent__isnull=True)
    count = qs.count()
    limit = max(1, min(limit, 1000))
    return {"items": [_out(r) for r in qs[offset : offset + limit]], "count": count}


@router.get("/{code}", response=RegionOut)
def get_region(request, code: str):
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404
    return _out(region)
