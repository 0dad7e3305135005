"""/api/v1/regions: the division tree (public reference data, readable by every account)."""

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from anquan.core.contract import Page, PageParams, page, responses

from .models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    full_name: str
    parent: str | None


class RegionFilters(Schema):
    parent: str | None = Field(None, max_length=12, description="上级区域代码（默认：树的顶端）")
    q: str | None = Field(None, max_length=50, description="名称包含（在 parent 的下级中查找）")


class RegionPageParams(PageParams):
    limit: int = Field(200, ge=1, le=500, description="每页条数（1–500，默认200）")


def _out(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "full_name": region.full_name,
        "parent": region.parent.code if region.parent else None,
    }


@router.get("", response=responses(Page[RegionOut], 400, 404))
def list_regions(request, params: Query[RegionFilters], paging: Query[RegionPageParams]):
    """Children of `parent` (default: the top of the tree); with `q`, names containing it in that subtree.

    The division tree is public reference data (GB/T 2260 and the statistical codes), readable by every account.
    """
    node = None
    if params.parent:
        node = Region.objects.filter(code=params.parent).first()
        if node is None:
            raise Http404
    qs = Region.objects.select_related("parent").order_by("code")
    if params.q:
        qs = qs.filter(name__contains=params.q)
        if node is not None:
            qs = qs.filter(code__startswith=node.prefix)
    elif node is not None:
        qs = qs.filter(parent=node)
    else:
        qs = qs.filter(parent__isnull=True)
    return page(qs, paging, _out)


@router.get("/{code}", response=responses(RegionOut, 404))
def get_region(request, code: str = Path(..., max_length=12)):
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise Http404
    return _out(region)
