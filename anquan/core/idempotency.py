"""Replaying creating calls that carry a client key (DESIGN rule 6).

A phone on a weak network may send the same report twice; with the same key the second call
gets the first call's answer and nothing new is created. The record keeps a fingerprint of the
request: the same key sent to the API with a different request is refused (422), so a client that
reuses keys by mistake learns it instead of silently receiving another record's answer.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from .errors import FieldError, ValidationFailed
from .models import IdempotencyRecord

# what a browser's form carries besides the user's input: a fresh CSRF token per rendering, the key itself
_FORM_NOISE = frozenset({"csrfmiddlewaretoken", "form_key"})


def key_from(request, body_key: str | None = None) -> str | None:
    key = request.headers.get("Idempotency-Key") or body_key
    return key.strip()[:100] if key and key.strip() else None


def fingerprint(request) -> str:
    """SHA-256 of what the request asks for: a JSON body as canonical JSON (key order and spacing do not
    matter), form fields by name (without the CSRF token) and uploaded files by name, size and content."""
    digest = hashlib.sha256()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            digest.update(b"raw\0" + request.body)
        else:
            digest.update(json.dumps(body, sort_keys=True, ensure_ascii=False).encode())
        return digest.hexdigest()
    for name, values in sorted(request.POST.lists()):
        if name not in _FORM_NOISE:
            digest.update(json.dumps([name, values], ensure_ascii=False).encode())
    for name, uploads in sorted(request.FILES.lists()):
        for upload in uploads:
            digest.update(json.dumps([name, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _reused(request, previous: IdempotencyRecord, request_hash: str) -> bool:
    """A different request under a key already answered. Only the API's keys are the client's own: a page's
    form key is made by the server per rendering, and its form resubmitted after Back replays."""
    return (
        request.path.startswith("/api/")
        and previous.request_hash != ""
        and previous.request_hash != request_hash
    )


def _refuse() -> ValidationFailed:
    return ValidationFailed(
        [
            FieldError(
                "idempotency_key",
                "idempotency_key_reused",
                "该幂等键已用于另一份内容不同的请求；新的请求请使用新的幂等键",
            )
        ]
    )


def run_once(
    request, scope: str, key: str | None, create: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run `create` unless this user already used `key` on `scope`; return (status, body).

    The same key with a different request raises ValidationFailed (API 422)."""
    if key is None:
        return create()
    user = request.user
    request_hash = fingerprint(request)
    previous = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if previous is not None:
        if _reused(request, previous, request_hash):
            raise _refuse()
        return previous.status_code, previous.body
    status, body = create()
    if status < 300:
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    user=user, scope=scope, key=key, status_code=status, body=body, request_hash=request_hash
                )
        except IntegrityError:  # a concurrent retry won the race: its answer stands, ours rolls back
            previous = IdempotencyRecord.objects.get(user=user, scope=scope, key=key)
            transaction.set_rollback(True)
            if _reused(request, previous, request_hash):
                raise _refuse() from None
            return previous.status_code, previous.body
    return status, body


def run_payload_once(
    request,
    scope: str,
    payload: Any,
    make: Callable[[dict[str, Any]], tuple[int, dict]],
    *,
    exclude_none: bool = True,
) -> tuple[int, dict]:
    """An API create or step: `make(raw)` with the payload's fields (its `idempotency_key` left out), run once per
    the key (the Idempotency-Key header, else the body's `idempotency_key`); returns (status, body)."""

    def create() -> tuple[int, dict]:
        raw = payload.dict(exclude_none=exclude_none)
        raw.pop("idempotency_key", None)
        return make(raw)

    return run_once(request, scope, key_from(request, getattr(payload, "idempotency_key", None)), create)
