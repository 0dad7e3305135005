"""ID numbers: the GB 11643-1999 check digit and the masked display."""

from anquan.personnel import idnumber


def test_known_valid_numbers_pass_including_an_x_check_digit():
    assert idnumber.problem("11010519491231002X") is None  # the standard's own example, check digit X
    assert idnumber.problem(idnumber.normalise("11010519491231002x ")) is None
    assert idnumber.problem("440524188001010014") is None


def test_invalid_numbers_are_refused_in_chinese():
    assert "校验位" in idnumber.problem("110105194912310021")
    assert "校验位" in idnumber.problem("440524188001010015")
    assert "18位" in idnumber.problem("44052418800101001")
    assert "出生日期" in idnumber.problem("440524188002300014")


def test_masked_display_keeps_four_and_four():
    assert idnumber.mask("36040219850101123X") == "3604**********123X"
    token = idnumber.encrypt("36040219850101123X")
    assert "3604021985" not in token and idnumber.decrypt(token) == "36040219850101123X"
    assert idnumber.id_hash("36040219850101123X") == idnumber.id_hash("36040219850101123X") != ""
