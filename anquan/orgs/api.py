from ninja import Router

from .models import Department, Industry

router = Router(tags=["reference"])


@router.get("departments", response=dict)
def list_departments(request):
    items = [{"code": d.code, "name": d.name, "full_name": d.full_name} for d in Department.objects.all()]
    return {"items": items, "count": len(items)}


@router.get("industries", response=dict)
def list_industries(request, kind: str | None = None):
    qs = Industry.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    items = [
        {"code": i.code, "name": i.name, "kind": i.kind, "gb_section": i.gb_section, "high_risk": i.high_risk}
        for i in qs
    ]
    return {"items": items, "count": len(items)}
