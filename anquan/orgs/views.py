from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, has_perm

from . import services
from .models import Department, Industry, IndustryDepartmentRule, SafetyCommittee, department_for_industry


@login_required
def rules(request):
    """三管三必须: which department supervises each industry here, and where that comes from."""
    region = request.user.region
    local = {r.industry_id: r for r in IndustryDepartmentRule.objects.filter(region=region)}
    rows = []
    for industry in Industry.objects.filter(kind="category"):
        rows.append(
            {
                "industry": industry,
                "department": department_for_industry(industry, region.code),
                "local": local.get(industry.pk),
            }
        )
    committee = SafetyCommittee.objects.filter(region=region).prefetch_related("members").first()
    return render(
        request,
        "orgs/rules.html",
        {
            "rows": rows,
            "departments": Department.objects.all(),
            "region": region,
            "committee": committee,
            "can_edit": has_perm(request.user, Perm.ORG_MANAGE) and not request.user.department_id,
        },
    )


@login_required
@require_POST
def rule_set(request):
    industry = Industry.objects.filter(code=request.POST.get("industry")).first()
    department = Department.objects.filter(code=request.POST.get("department")).first()
    if industry is None or (request.POST.get("department") and department is None):
        messages.error(request, _("Choose an industry and a department."))
        return redirect("orgs:rules")
    try:
        services.set_rule(
            actor=request.user, region=request.user.region, industry=industry, department=department
        )
    except NotPermitted:
        messages.error(request, _("You may not change department duties."))
    except ValidationFailed as exc:
        messages.error(request, exc.errors[0].message)
    else:
        messages.success(request, _("Duties for %(industry)s saved.") % {"industry": industry.name})
    return redirect("orgs:rules")
