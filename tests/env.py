"""Loaded by pytest before Django's settings (`-p tests.env` in pyproject.toml's addopts), so that a plain
`.venv/bin/pytest` works: settings refuse the embedded demo key with DEBUG off, so the test run gets a random
SECRET_KEY unless one is given (scripts/test exports one). Set in the environment, it reaches the xdist workers
and any server or command a test starts as a child process."""

import os
import secrets

if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = "test-" + secrets.token_urlsafe(40)
if not os.environ.get("ANQUAN_AUDIT_KEY", "").strip():  # required like SECRET_KEY (settings: the audit chain)
    os.environ["ANQUAN_AUDIT_KEY"] = "test-audit-" + secrets.token_urlsafe(40)
# the audit anchors of code running outside a test (session set-up, commands a test starts) go nowhere unless the
# test names a file (tests/conftest.py gives each test its own)
os.environ.setdefault("AUDIT_ANCHOR_FILE", os.devnull)
if not os.environ.get(
    "ANQUAN_IDENTITY_KEY", ""
).strip():  # required like the audit key (settings: tip-off identities)
    os.environ["ANQUAN_IDENTITY_KEY"] = "test-identity-" + secrets.token_urlsafe(40)
