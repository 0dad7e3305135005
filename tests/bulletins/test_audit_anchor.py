"""The monthly dispatch prints the audit chain's length and head (docs/adr/0006-audit-chain.md): a copy
outside the database against which a shrunken or rewritten log shows."""

import pytest

from anquan.bulletins import generate
from anquan.core import audit
from anquan.core.models import AuditChainHead

from .conftest import TODAY, docx_text, read_docx

pytestmark = pytest.mark.django_db


def test_the_monthly_dispatch_closes_with_the_audit_anchor(world):
    audit.chain_pending()
    head = AuditChainHead.objects.get(pk=1)
    raw = {"kind": "monthly_dispatch", "region": "360400", "year": 2026, "month": 11}
    bulletin = generate.generate(world.users["city_office"], raw, today=TODAY)
    with bulletin.file.open("rb") as handle:
        text = docx_text(read_docx(handle.read()))
    assert f"审计日志校验：共{head.length}条，链头{head.last_hash[:16]}" in text
