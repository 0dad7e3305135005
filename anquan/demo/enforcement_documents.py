"""Two official documents for the demo county (濂溪区): a rectification order and its review opinion, issued by the
demo inspector of 濂溪区应急管理局 to 江西化工集团九江有限公司 through the real service (numbers, .docx, hash)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.documents import services
from anquan.documents.choices import DocumentKind
from anquan.enterprises.models import Enterprise


def build_documents() -> int:
    inspector = User.objects.get(username="inspector")
    enterprise = Enterprise.objects.get(name="江西化工集团九江有限公司")
    unit = services.unit_of(inspector)
    party = services.party_of(enterprise)
    today = timezone.localdate()
    order = services.issue(
        DocumentKind.RECTIFICATION_ORDER,
        unit,
        enterprise,
        {
            "party": party,
            "problems": ["甲类仓库可燃气体报警器失效", "液氯储罐区防火堤局部破损"],
            "legal_basis": "《中华人民共和国安全生产法》第六十五条第（二）项",
            "deadline": (today + dt.timedelta(days=15)).isoformat(),
        },
        inspector,
    )
    services.issue(
        DocumentKind.REVIEW_OPINION,
        unit,
        enterprise,
        {
            "party": party,
            "order_number": order.number,
            "reviewed_on": today.isoformat(),
            "rectified": False,
            "opinion": "可燃气体报警器已更换，防火堤尚在修复中，请按期完成。",
        },
        inspector,
    )
    return 2
