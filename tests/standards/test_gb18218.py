"""GB 18218-2018 identification and grading, on the pure functions (no database).

Worked examples: the acceptance cases of shared/reference README §1, and cases built from the
standard's own clauses (4.1.2, 4.2.1, 4.3, 表1–表6) at every boundary.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from anquan.core.errors import ValidationFailed
from anquan.standards import gb18218
from anquan.standards.gb18218 import HeldCategory, SubstanceIn, identify

LPG_W2 = {52: HeldCategory(("W2",), verified=True)}


def sub(quantity, name=None, cas=None, *categories):
    return SubstanceIn(quantity_t=Decimal(str(quantity)), name=name, cas=cas, categories=tuple(categories))


def errors_of(excinfo) -> dict[str, str]:
    return {e.field: e.code for e in excinfo.value.errors}


# --- the tables as loaded ------------------------------------------------------------------------


def test_tables_have_every_row_of_the_standard():
    t = gb18218.tables()
    assert len(t.table1) == 85
    assert len(t.table2) == 24
    assert len(t.table3_by_name) == 14
    assert len(t.table3_by_no) == 13  # 一氧化碳 has no 表1 row
    assert {r.no: r.critical_t for r in t.table1}[6] == Decimal("0.3")  # 碳酰氯（光气）


def test_every_cas_number_of_table1_passes_its_check_digit():
    assert all(gb18218.valid_cas(cas) for row in gb18218.tables().table1 for cas in row.cas)
    assert not gb18218.valid_cas("7782-50-6")
    assert not gb18218.valid_cas("77825-0-5")


# --- reference acceptance cases (README §1) -----------------------------------------------------


def test_case1_chlorine_and_ammonia_storage_unit():
    result = identify("storage", [sub(3, "氯"), sub(6, "氨")], exposed_persons=60)
    assert result.s == Fraction(6, 5)  # 3/5 + 6/10
    assert result.is_major
    assert result.alpha == Decimal("1.5")  # 表5: 50–99 persons
    assert result.r == Fraction(27, 5)  # 1.5 × (4×0.6 + 2×0.6) = 5.4
    assert result.grade == 4
    assert [(line.table1_no, line.critical_t, line.beta, line.beta_source) for line in result.lines] == [
        (12, 5, 4, "table3"),
        (1, 10, 2, "table3"),
    ]


def test_case2_methanol_400_t_is_not_major_and_needs_no_beta():
    result = identify("storage", [sub(400, "甲醇")])
    assert result.s == Fraction(4, 5)
    assert not result.is_major
    assert result.r is None and result.grade is None and result.alpha is None
    assert result.lines[0].beta is None  # 甲醇 is outside 表3 and no category is held for it


@pytest.mark.parametrize("category", [("W2",), ()])
def test_case3_lpg_200_t_with_100_persons_is_grade_three(category):
    """β of LPG from its category W2 (表4: 1.5) — the caller's, else the one Anquan holds."""
    result = identify("storage", [sub(200, "液化石油气", None, *category)], 100, held=LPG_W2)
    assert result.s == 4  # Q = 50 t (表1 第52项)
    assert result.alpha == 2
    assert result.r == 12  # 2 × 1.5 × 4
    assert result.grade == 3
    assert result.lines[0].beta_source == ("request" if category else "catalogue")


def test_unverified_held_category_is_marked_on_the_line():
    held = {52: HeldCategory(("W2",), verified=False)}
    result = identify("storage", [sub(200, "液化石油气")], 100, held=held)
    assert result.lines[0].beta_source == "catalogue_unverified"


# --- 4.2.1: a single named substance at exactly its critical quantity ------------------------


@pytest.mark.parametrize(
    ("name", "quantity", "categories"),
    [
        ("氯", "5", ()),
        ("光气", "0.3", ()),
        ("异氰酸甲酯", "0.75", ()),
        ("液氯", "5", ()),
        ("甲醇", "500", ("W5.3",)),
        ("氢气", "5", ("W2",)),
    ],
)
def test_exactly_the_critical_quantity_is_major(name, quantity, categories):
    result = identify("production", [sub(quantity, name, None, *categories)], 0)
    assert result.s == 1  # exact: no 0.9999… from binary floats
    assert result.is_major


def test_just_below_the_critical_quantity_is_not_major():
    result = identify("storage", [sub("4.999", "氯")])
    assert result.s == Fraction(4999, 5000)
    assert not result.is_major


def test_fractions_that_floats_get_wrong_add_up_exactly():
    """0.1 t + 0.2 t of phosgene (Q 0.3 t) is exactly the critical quantity."""
    result = identify("storage", [sub("0.1", "碳酰氯"), sub("0.2", "光气")], 0)
    assert result.s == 1 and result.is_major


def test_match_by_cas_alias_full_width_and_case():
    by_cas = identify("storage", [sub(1, None, "7782-50-5")]).lines[0]
    assert (by_cas.table1_no, by_cas.substance) == (12, "氯")
    assert identify("storage", [sub(1, "tdi")]).lines[0].table1_no == 23
    assert identify("storage", [sub(1, "氯化氢(无水)")]).lines[0].table1_no == 11
    assert identify("storage", [sub(1, "天然气")]).lines[0].table1_no == 49
    assert identify("storage", [sub(1, "丙烷", "74-98-6")]).lines[0].table1_no == 52  # CAS in LPG's list


# --- a mixture of substances and a substance by category (4.1.2 b) ------------------------------


def test_a_substance_outside_table1_by_its_category():
    result = identify("production", [sub(10, "某易燃液体", None, "W5.1")], 30)
    line = result.lines[0]
    assert (line.table1_no, line.critical_t, line.beta, line.beta_source) == (
        None,
        10,
        Decimal("1.5"),
        "request",
    )
    assert result.s == 1 and result.alpha == Decimal("1.2")
    assert result.r == Fraction(9, 5)  # 1.2 × 1.5 × 1


def test_several_hazards_take_the_lowest_critical_quantity():
    """4.1.2: J2 (50 t) and W2 (10 t) → Q = 10 t; β: Anquan takes the highest (W2 1.5)."""
    line = identify("storage", [sub(5, "某有毒易燃气体", None, "J2", "W2")]).lines[0]
    assert line.critical_t == 10
    assert line.beta == Decimal("1.5")
    assert line.ratio == Fraction(1, 2)


def test_mixture_of_named_and_category_substances():
    """氨 4 t (4/10) + 苯 10 t (10/50) + a W2 gas 4 t (4/10): S = 0.4 + 0.2 + 0.4 = 1."""
    result = identify(
        "storage",
        [sub(4, "氨"), sub(10, "苯", None, "W5.1"), sub(4, "混合燃气", None, "W2")],
        exposed_persons=1,
    )
    assert result.s == 1 and result.is_major
    assert result.alpha == 1
    assert result.r == Fraction(2 * 4, 10) + Fraction(3, 2) * Fraction(1, 5) + Fraction(3, 2) * Fraction(2, 5)


def test_table3_wins_over_a_given_category():
    line = identify("storage", [sub(1, "硫化氢", None, "W2")]).lines[0]
    assert (line.beta, line.beta_source) == (5, "table3")


def test_carbon_monoxide_is_in_table3_though_not_in_table1():
    line = identify("storage", [sub(5, "一氧化碳", None, "W2", "J3")]).lines[0]
    assert line.table1_no is None and line.critical_t == 10  # min(W2 10 t, J3 50 t)
    assert (line.beta, line.beta_source) == (2, "table3")


# --- 4.3, 表5 α and 表6 grades at every boundary -----------------------------------------------


@pytest.mark.parametrize(
    ("persons", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (5000, "2"),
    ],
)
def test_alpha_by_exposed_persons(persons, alpha):
    assert gb18218.alpha_for(persons) == Decimal(alpha)


@pytest.mark.parametrize(
    ("quantity", "persons", "r", "grade"),
    [
        # 硫化氢: Q 5 t, β 5 (表3); α 2 → R = 2 × 5 × q/5 = 2q
        ("50", 100, Fraction(100), 1),
        ("49.995", 100, Fraction(9999, 100), 2),
        ("25", 100, Fraction(50), 2),
        ("24.995", 100, Fraction(4999, 100), 3),
        ("5", 100, Fraction(10), 3),
        # α 0.5 (nobody within 500 m) → R = 0.5 × 5 × q/5 = q/2
        ("19.98", 0, Fraction(999, 100), 4),
        ("20", 0, Fraction(10), 3),
        ("200", 0, Fraction(100), 1),
    ],
)
def test_grade_boundaries(quantity, persons, r, grade):
    result = identify("storage", [sub(quantity, "硫化氢")], persons)
    assert result.is_major
    assert result.r == r
    assert result.grade == grade


def test_grade_function_at_the_boundaries_of_table6():
    assert [gb18218.grade_for(Fraction(x)) for x in ("100", "99.99", "50", "49.99", "10", "9.99", "0")] == [
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


# --- what cannot be determined is a field error naming the substance ----------------------------


def test_unknown_substance_without_category():
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [sub(1, "氯"), sub(1, "某未知物")])
    (error,) = excinfo.value.errors
    assert (error.field, error.code) == ("substances.1.category", "required")
    assert "某未知物" in error.message


def test_a_qualified_row_is_not_chosen_by_a_bare_name_or_cas():
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [sub(1, "甲醛"), sub(1, None, "50-00-0")])
    assert errors_of(excinfo) == {"substances.0.category": "required", "substances.1.category": "required"}
    assert "第8项" in excinfo.value.errors[0].message
    # with a category it is a 表2 substance (e.g. formalin); with the full name it is 表1 第8项
    assert identify("storage", [sub(1, "甲醛溶液", "50-00-0", "J5")]).lines[0].critical_t == 500
    assert identify("storage", [sub(1, "甲醛（含量＞90%)")]).lines[0].critical_t == 5


def test_major_unit_with_a_substance_without_beta():
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [sub(600, "甲醇")], exposed_persons=10)
    (error,) = excinfo.value.errors
    assert (error.field, error.code) == ("substances.0.category", "beta_unknown")
    assert "甲醇" in error.message
    graded = identify("storage", [sub(600, "甲醇", None, "W5.3")], exposed_persons=10)
    assert graded.r == Fraction(6, 5) and graded.grade == 4


def test_major_unit_without_exposed_persons():
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [sub(5, "氯")])
    assert errors_of(excinfo) == {"exposed_persons": "required"}


def test_bad_input_is_reported_field_by_field():
    with pytest.raises(ValidationFailed) as excinfo:
        identify(
            "warehouse",
            [
                sub(-1, "氯"),
                sub(1, "某物", None, "W12"),
                sub(1, "硝化棉"),
                sub(1, "氯", "7664-41-7"),
                sub(1, None, "7782-50-6"),
                SubstanceIn(quantity_t=None, name="氨"),
                sub(1),
            ],
            exposed_persons=-3,
        )
    assert errors_of(excinfo) == {
        "unit_type": "invalid_choice",
        "exposed_persons": "negative",
        "substances.0.quantity_t": "invalid",
        "substances.1.category": "invalid_choice",
        "substances.2.name": "ambiguous",
        "substances.3.cas": "mismatch",
        "substances.4.cas": "invalid",
        "substances.5.quantity_t": "required",
        "substances.6.name": "required",
    }


def test_absurd_quantities_are_refused_before_any_arithmetic():
    """Exact arithmetic on 1E+999999999 would never finish; no installation holds 10⁹ t anyway."""
    huge = SubstanceIn(quantity_t=Decimal("1E+999999999"), name="氯")
    tiny = SubstanceIn(quantity_t=Decimal("1E-999999999"), name="氯")
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [huge, tiny, sub("0.0000001", "氯")])
    assert set(errors_of(excinfo).values()) == {"out_of_range"} and len(excinfo.value.errors) == 3
    assert identify("storage", [sub("0.000001", "氯"), sub("1000000000", "某物", None, "W5.4")], 0).is_major


def test_no_substances():
    with pytest.raises(ValidationFailed) as excinfo:
        identify("storage", [])
    assert errors_of(excinfo) == {"substances": "required"}
