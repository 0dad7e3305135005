"""The scope world, built once per test module (one transaction, rolled back when the module ends), and a
page client (session) and an API client (bearer token) per persona."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from ..conftest import ensure_reference_data
from .world import ALL, ANONYMOUS, build

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("scope-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=MD5):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_reference_data()  # after a transactional test emptied the database
            built = build()
            built.media = media
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def clients(world, settings):
    settings.MEDIA_ROOT = world.media  # the files the world saved
    made = {}
    for name in ALL:
        if name == ANONYMOUS:
            made[name] = (Client(), Client())
            continue
        page = Client()
        page.force_login(world.users[name])
        made[name] = (page, Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[name]}"))
    return made


@pytest.fixture(autouse=True)
def _fresh(request):
    """Each test starts from the world as stored: a test that moved E refreshed shared objects in memory
    and its changes were rolled back, so read them all again."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    world.enterprise.refresh_from_db()
    world.other.refresh_from_db()
    for user in world.users.values():
        user.refresh_from_db()
    for records in world.records.values():
        for record in records:
            record.obj.refresh_from_db()
