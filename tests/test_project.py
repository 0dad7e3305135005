"""Project hygiene that a user would notice: migrations complete, API schema stable, UI fully translated."""

import json
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "openapi.json"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command(
        "makemigrations", "--check", "--dry-run", stdout=out
    )  # exits non-zero when a migration is missing


@pytest.mark.django_db
def test_openapi_schema_matches_the_committed_contract():
    """The schema is part of the API contract; regenerate with UPDATE_OPENAPI=1 and review the diff."""
    live = Client().get("/api/v1/openapi.json").json()
    if os.environ.get("UPDATE_OPENAPI"):
        SCHEMA.write_text(
            json.dumps(live, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert live == committed


def test_every_ui_message_is_translated():
    text = (ROOT / "anquan" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text, flags=re.M)
    untranslated = [msgid for msgid, msgstr in entries if msgid.strip() != '""' and msgstr.strip() == '""']
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_every_module_of_the_application_imports():
    """Each module loads — management commands and views no test calls included — so a broken import after a
    move (a command an operator runs once a year) fails here, not in production."""
    import importlib
    import pkgutil

    import anquan

    broken = {}
    for module in pkgutil.walk_packages(anquan.__path__, "anquan."):
        if ".migrations" in module.name or module.name in ("anquan.manage", "anquan.wsgi"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as error:  # noqa: BLE001 — every kind of failure to load is the finding
            broken[module.name] = repr(error)
    assert not broken, broken
