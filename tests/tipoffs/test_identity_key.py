"""The identity key (ANQUAN_IDENTITY_KEY) like the audit key: required with DEBUG off, at least 32 characters; and a
retired key still opens what it encrypted."""

import os
import subprocess
import sys


def load(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("ANQUAN_IDENTITY_KEY", "DEBUG")}
    command = [sys.executable, "-c", "import anquan.settings"]
    return subprocess.run(command, env={**base, **env}, capture_output=True, text=True, timeout=60)


def test_the_identity_key_is_required_with_debug_off_and_must_be_long():
    missing = load()
    assert missing.returncode != 0 and "ANQUAN_IDENTITY_KEY is not set" in missing.stderr
    assert load(DEBUG="true").returncode == 0  # the demo: derived from SECRET_KEY
    short = load(ANQUAN_IDENTITY_KEY="too-short")
    assert short.returncode != 0 and "at least 32 characters" in short.stderr
    assert load(ANQUAN_IDENTITY_KEY="k" * 40).returncode == 0


def test_a_rotated_key_still_reads_old_identities_and_a_lost_one_says_so(settings):
    from anquan.tipoffs import identity

    settings.IDENTITY_KEY, settings.IDENTITY_OLD_KEYS = "a" * 40, []
    token = identity.encrypt("13800001111")
    assert "13800001111" not in token and identity.decrypt(token) == "13800001111"
    old_hash = identity.phone_hash("13800001111")
    settings.IDENTITY_KEY, settings.IDENTITY_OLD_KEYS = "b" * 40, ["a" * 40]
    assert identity.decrypt(token) == "13800001111"
    assert identity.phone_hash("13800001111") != old_hash  # the hash is the current key's
    settings.IDENTITY_OLD_KEYS = []
    assert "无法解密" in identity.decrypt(token)
    assert identity.normalise_phone("+86 138-0000-1111") == "13800001111"
