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


@pytest.mark.django_db
def test_no_two_api_schemas_share_a_name():
    """django-ninja names an OpenAPI component after its class: two schema classes of the same name (an
    `ImportOut` in two apps) silently become one, and one operation documents the other's fields."""
    from collections import defaultdict

    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    Client().get("/api/v1/openapi.json")  # every router imported
    named = defaultdict(set)
    for schema in subclasses(Schema):
        if schema.__module__.startswith("anquan."):
            named[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    components = set(json.loads(SCHEMA.read_text(encoding="utf-8"))["components"]["schemas"])
    assert {
        name: sorted(where) for name, where in named.items() if len(where) > 1 and name in components
    } == {}


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
