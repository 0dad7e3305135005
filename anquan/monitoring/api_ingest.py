"""The HTTP door for gateways (issue #16): `POST /api/v1/monitoring/readings` with the gateway's key as
`Authorization: Bearer <key>` (a gateway key, not a user's token: no session, no CSRF). The body is the payload of
anquan/monitoring/ingest/parse.py; the answer counts what was stored, what was there already and what was refused
by reason. docs/adr/0040-monitoring-ingestion.md."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from anquan.core.contract import responses

from .ingest import gateways, parse
from .ingest.store import ingest
from .models import Gateway

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_READINGS = 10_000


class GatewayKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Gateway | None:
        return gateways.authenticate(token)


router = Router(tags=["监测数据接入"], auth=GatewayKey())


class MonitoringIngestOut(Schema):
    stored: int = Field(description="新存入的读数条数")
    duplicates: int = Field(description="已存在或本批重复、未重复存入的条数")
    rejected: dict[str, int] = Field(
        description="拒收条数，按原因（malformed、unknown_device、not_numeric……）"
    )


_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "description": '读数列表，或 {"readings": [...]}；每条 {device_id, ts（带时区的ISO 8601或秒级时间戳）, value}',
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "device_id": {"type": "string"},
                            "ts": {"type": "string"},
                            "value": {"type": "number"},
                        },
                    },
                }
            }
        },
    }
}


def _refusal(status: int, code: str, message: str) -> Status[dict[str, Any]]:
    if status == 413:
        return Status(status, {"detail": message})
    return Status(status, {"detail": [{"field": "", "code": code, "message": message}]})


@router.post(
    "/readings",
    response=responses(MonitoringIngestOut, 400, 413),
    openapi_extra=_BODY,
    url_name="monitoring_ingest",
)
def post_readings(request: HttpRequest) -> Any:
    """A gateway's readings (at most 10,000 and 4 MB per request). Readings already stored are counted as
    duplicates, never stored twice; a refused reading is counted by reason and shown to the enterprise."""
    gateway: Gateway = request.auth  # type: ignore[attr-defined]
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        return _refusal(
            413, "too_large", f"请求体过大（上限{MAX_BODY_BYTES // 1024 // 1024} MB），请分批发送"
        )
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _refusal(
            413, "too_large", f"请求体过大（上限{MAX_BODY_BYTES // 1024 // 1024} MB），请分批发送"
        )
    items = parse.items_of(body)
    if items is not None and len(items) > MAX_READINGS:
        return _refusal(422, "too_many", f"一次最多提交{MAX_READINGS}条读数，请分批发送")
    result = ingest(gateway, body, items)
    if items is None:
        return _refusal(400, "invalid_json", '请求体应为读数列表或 {"readings": [...]} 形式的JSON')
    return result.as_dict()
