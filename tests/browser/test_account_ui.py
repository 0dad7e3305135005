"""The account pages as a user meets them: from the name in the top bar to their API tokens, revoking
one with its button, and changing the password (which revokes the rest)."""

import pytest

from anquan.accounts import tokens
from anquan.accounts.models import ApiToken

from ..conftest import PASSWORD
from .pages import submit

pytestmark = [pytest.mark.browser]

NEW = "Gd7-safety-2026"


def test_user_revokes_a_token_and_changes_password(site, world):
    user = world.users["grid_worker"]
    phone, _ = tokens.issue(user, label="网格通手机")
    laptop, _ = tokens.issue(user, label="办公电脑")
    page = site.login("grid_worker")
    page.locator("[data-testid=account]").click()
    page.wait_for_url(site.base_url + "/account/tokens/")
    table = page.locator("[data-testid=tokens]")
    assert "网格通手机" in table.text_content() and "办公电脑" in table.text_content()
    site.screenshot("account-tokens")
    row = table.locator("tr", has_text="网格通手机")
    submit(page, row.locator("button"))
    assert "令牌已撤销" in page.text_content("main")
    assert "已撤销" in page.locator("[data-testid=tokens] tr", has_text="网格通手机").text_content()
    assert ApiToken.objects.get(pk=phone.pk).revoked_reason == "owner"
    assert ApiToken.objects.get(pk=laptop.pk).revoked_at is None

    page.get_by_role("link", name="修改密码").click()
    page.locator("#id_old_password").fill("wrong-old-one")
    page.locator("#id_new_password").fill("Anquan@2026")
    page.locator("#id_new_password2").fill("Anquan@2026")
    submit(page, page.locator("form.card button"))
    text = page.text_content("main")
    assert "原密码不正确" in text
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password").fill("Anquan@2026")
    page.locator("#id_new_password2").fill("Anquan@2026")
    submit(page, page.locator("form.card button"))
    assert "该密码已公开或被禁止使用" in page.text_content("main")
    site.screenshot("account-password-refused")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password").fill(NEW)
    page.locator("#id_new_password2").fill(NEW)
    submit(page, page.locator("form.card button"))
    page.wait_for_url(site.base_url + "/account/tokens/")
    assert "密码已修改" in page.text_content("main")  # still signed in
    assert ApiToken.objects.get(pk=laptop.pk).revoked_reason == "password_changed"
