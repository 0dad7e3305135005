"""GB 32100-2015 check character, on real published codes and on single-character changes."""

import pytest

from anquan.enterprises import uscc

REAL = [
    "91350100M000100Y43",  # the example code printed in GB 32100-2015
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert uscc.validate(code) is None
    assert uscc.check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL)
def test_changing_the_check_character_is_caught(code):
    for other in uscc.CHARSET:
        if other != code[17]:
            assert "校验位错误" in uscc.validate(code[:17] + other)


def test_forbidden_letters_and_length():
    assert "不允许的字符“I”" in uscc.validate("91350100M000100I43")
    assert "18位" in uscc.validate("91350100M000100Y4")


def test_made_codes_are_valid_and_carry_a_valid_organisation_code():
    code = uscc.make("91", "360402", "MA3FK2L0")
    assert uscc.validate(code) is None
    assert code[16] == uscc.org_code_check(code[8:16])
