"""What the documents app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from __future__ import annotations

from typing import Any

from anquan.enterprises import views as enterprise_views
from anquan.enterprises.models import Enterprise

from . import services


def detail_panel(user: Any, enterprise: Enterprise) -> dict[str, Any]:
    """The 执法文书 section of the enterprise's page: its latest ten documents in the user's scope."""
    documents = services.for_enterprise(enterprise, user)
    return {"documents": list(documents[:10]), "document_count": documents.count()}


def register() -> None:
    enterprise_views.detail_panels.register(detail_panel)
