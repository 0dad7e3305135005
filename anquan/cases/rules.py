"""The figures an enforcement case applies, as versioned rule data (anquan.rules, docs/adr/0022).

- `enforcement.procedure`: the case-time limit and the other days of the procedure. MEM Order 15 (2015) gives
  them for cases opened before 2026-02-01; MEM Order 18 replaced it on that date but its text is not held, so the
  version from 2026-02-01 carries the Administrative Penalty Law's own figures (art. 60: 90 days) and is marked
  `not_found` until someone enters the real ones (a new version: cases already opened keep theirs).
- `enforcement.penalty_articles`: the Safety Law's penalty articles with their fine ranges, for the unit and for
  the responsible persons (a fine outside its article's range is refused).
- `enforcement.credit_list`: the management period of the serious-dishonesty list (Order 11, partly verified).

A case stores the id of the procedure version in force on its 立案 date (`EnforcementCase.rules_version`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from pydantic import BaseModel, Field

from anquan.rules.registry import Default, RuleKind, register

from .choices import MeasureKind

LAW = "《行政处罚法》（2021修订）"
ORDER15 = "原安监总局令第15号（2015修正）"


class ProcedureFigures(BaseModel):
    decision_days: int = Field(title="办案期限：立案之日起作出决定（日）", ge=1, le=365)
    extension_head_total_days: int | None = Field(
        None, title="经本部门负责人批准可延长至（日，空表示无规定）", ge=1, le=365
    )
    extension_above_total_days: int | None = Field(
        None, title="经上一级批准可延长至（日，空表示无规定）", ge=1, le=730
    )
    statement_days: int | None = Field(None, title="告知后陈述申辩期限（日，空表示无规定）", ge=1, le=60)
    hearing_request_days: int = Field(title="告知后要求听证期限（日）", ge=1, le=60)
    hearing_notice_days: int = Field(title="听证前通知（日）", ge=1, le=60)
    delivery_days: int = Field(title="决定书送达期限（日）", ge=1, le=60)
    payment_days: int = Field(title="罚款缴纳期限（日）", ge=1, le=90)
    surcharge_percent_per_day: Decimal = Field(title="逾期每日加处罚款（%）", ge=0, le=100)
    surcharge_capped_at_fine: bool = Field(True, title="加处罚款不超过罚款数额")
    collective_discussion_fine_yuan: int | None = Field(
        None, title="罚款达到该数额须集体讨论（元，空表示无规定）", ge=1
    )
    collective_discussion_measures: list[str] = Field(
        default_factory=list, title="须集体讨论的处罚种类（停产停业、吊销、关闭等）"
    )
    hearing_threshold_person_yuan: int | None = Field(None, title="较大数额罚款：个人（元）", ge=1)
    hearing_threshold_organisation_yuan: int | None = Field(None, title="较大数额罚款：单位（元）", ge=1)


_LAW_DAYS = {
    "hearing_request_days": 5,
    "hearing_notice_days": 7,
    "delivery_days": 7,
    "payment_days": 15,
    "surcharge_percent_per_day": "3",
    "surcharge_capped_at_fine": True,
}

PROCEDURE = RuleKind(
    key="enforcement.procedure",
    label="行政处罚程序期限",
    description="办案期限及其延长、陈述申辩与听证、送达、缴款和加处罚款；案件按立案之日施行的版本办理",
    schema=ProcedureFigures,
    value_labels=dict(MeasureKind.choices),
    defaults=[
        Default(
            effective_from=date(2015, 5, 1),
            values={
                "decision_days": 30,
                "extension_head_total_days": 90,
                "extension_above_total_days": 180,
                "statement_days": 3,
                **_LAW_DAYS,
                "collective_discussion_fine_yuan": 50_000,
                "collective_discussion_measures": ["suspend", "license_revoke", "close"],
                "hearing_threshold_person_yuan": 20_000,
                "hearing_threshold_organisation_yuan": 50_000,
            },
            source=(
                f"{ORDER15}第三十二条（办案期限30日，负责人同意延长总计不超过90日，上一级批准可延至180日）、"
                "第十八条（陈述申辩3日）、第二十九条（集体讨论：5万元以上罚款、责令停产停业、吊销、关闭）、"
                "第三十三条（较大数额：个人2万元、单位5万元）；"
                f"{LAW}第六十一条（送达7日）、第六十四条（听证申请5日、通知7日前）、第六十七条（缴纳15日）、"
                "第七十二条（每日加处3%，不超过罚款数额）"
            ),
            verified="verified",
            note="第15号令第十八条的听证申请3日已被行政处罚法第六十四条的5日取代；适用于2026-02-01前立案的案件",
        ),
        Default(
            effective_from=date(2026, 2, 1),
            values={
                "decision_days": 90,
                "extension_head_total_days": None,
                "extension_above_total_days": None,
                "statement_days": None,
                **_LAW_DAYS,
                "collective_discussion_fine_yuan": None,
                "collective_discussion_measures": [],
                "hearing_threshold_person_yuan": None,
                "hearing_threshold_organisation_yuan": None,
            },
            source=(
                f"应急管理部令第18号（2026-02-01施行，条文未取得）；暂用{LAW}第六十条（立案之日起90日）、"
                "第六十一条、第六十四条、第六十七条、第七十二条"
            ),
            verified="not_found",
            note=(
                "第18号令条文未取得：办案期限暂按行政处罚法第六十条的90日（法律允许规章另有规定）；"
                "延长期限、陈述申辩天数、集体讨论和较大数额门槛均无依据，取得条文后请添加新版本"
            ),
        ),
    ],
)


class PenaltyArticle(BaseModel):
    code: str = Field(title="代码", min_length=1, max_length=20, json_schema_extra={"hidden": True})
    article: str = Field(title="条款", min_length=1, max_length=60)
    summary: str = Field(title="违法行为", max_length=500)
    organisation_min_yuan: int | None = Field(None, title="对单位罚款下限（元）", ge=0)
    organisation_max_yuan: int | None = Field(None, title="对单位罚款上限（元）", ge=1)
    person_min_yuan: int | None = Field(None, title="对个人罚款下限（元）", ge=0)
    person_max_yuan: int | None = Field(None, title="对个人罚款上限（元）", ge=1)
    source: str = Field("", title="出处", max_length=300)


class PenaltyArticles(BaseModel):
    articles: list[PenaltyArticle] = Field(title="罚则条款")


SAFETY_LAW = "《安全生产法》（2021修正）"
_W = 10_000


def _a(
    code: str, article: str, summary: str, org: tuple[int, int] | None, person: tuple[int, int] | None
) -> dict[str, Any]:
    return {
        "code": code,
        "article": article,
        "summary": summary,
        "organisation_min_yuan": org[0] if org else None,
        "organisation_max_yuan": org[1] if org else None,
        "person_min_yuan": person[0] if person else None,
        "person_max_yuan": person[1] if person else None,
        "source": f"{SAFETY_LAW}{article.split('（')[0]}",
    }


# from safety_law_penalties.json; "N万元以下" is 0 to N (inclusive); articles whose fine is a share of the
# responsible person's income (95, 110) or a multiple (112, 114 ×2–5) take no fixed range and are left out
ARTICLES = [
    _a("94", "第九十四条", "主要负责人未履行安全生产管理职责（责令限期改正）", None, (2 * _W, 5 * _W)),
    _a(
        "94-overdue",
        "第九十四条（逾期未改正）",
        "主要负责人未履行安全生产管理职责，逾期未改正",
        None,
        (5 * _W, 10 * _W),
    ),
    _a("96", "第九十六条", "其他负责人和安全生产管理人员未履行安全生产管理职责", None, (1 * _W, 3 * _W)),
    _a(
        "97",
        "第九十七条",
        "未按规定设置安全机构、配备人员，未培训、未如实记录，特种作业人员未持证上岗等",
        (0, 10 * _W),
        None,
    ),
    _a(
        "97-overdue",
        "第九十七条（逾期未改正）",
        "同第九十七条，逾期未改正",
        (10 * _W, 20 * _W),
        (2 * _W, 5 * _W),
    ),
    _a(
        "98",
        "第九十八条",
        "高危建设项目未安全评价、无安全设施设计或未审查、未按设计施工、未验收",
        (10 * _W, 50 * _W),
        (2 * _W, 5 * _W),
    ),
    _a(
        "98-overdue",
        "第九十八条（逾期未改正）",
        "同第九十八条，逾期未改正",
        (50 * _W, 100 * _W),
        (5 * _W, 10 * _W),
    ),
    _a(
        "99",
        "第九十九条",
        "未设置安全警示标志、安全设备不符合标准、未维护检测、关闭破坏监控报警设备等",
        (0, 5 * _W),
        None,
    ),
    _a(
        "99-overdue",
        "第九十九条（逾期未改正）",
        "同第九十九条，逾期未改正",
        (5 * _W, 20 * _W),
        (1 * _W, 2 * _W),
    ),
    _a(
        "101",
        "第一百零一条",
        "危险物品、重大危险源、危险作业未采取规定措施，未建立隐患排查治理制度等",
        (0, 10 * _W),
        None,
    ),
    _a(
        "101-overdue",
        "第一百零一条（逾期未改正）",
        "同第一百零一条，逾期未改正",
        (10 * _W, 20 * _W),
        (2 * _W, 5 * _W),
    ),
    _a("102", "第一百零二条", "未采取措施消除事故隐患", (0, 5 * _W), None),
    _a(
        "102-refused", "第一百零二条（拒不执行）", "未采取措施消除事故隐患，拒不执行", None, (5 * _W, 10 * _W)
    ),
    _a("103", "第一百零三条第二款", "未签订安全生产管理协议或未统一协调管理", (0, 5 * _W), (0, 1 * _W)),
    _a("104", "第一百零四条", "同一作业区域交叉作业未签协议、未指定专职人员协调", (0, 5 * _W), (0, 1 * _W)),
    _a(
        "105",
        "第一百零五条",
        "危险物品车间仓库与宿舍距离不足，出口、疏散通道不符合要求或被占用",
        (0, 5 * _W),
        (0, 1 * _W),
    ),
    _a("108", "第一百零八条", "拒绝、阻碍监督检查（拒不改正）", (2 * _W, 20 * _W), (1 * _W, 2 * _W)),
    _a("109", "第一百零九条", "高危行业领域未投保安全生产责任保险", (5 * _W, 10 * _W), None),
    _a("109-overdue", "第一百零九条（逾期未改正）", "同第一百零九条，逾期未改正", (10 * _W, 20 * _W), None),
    _a(
        "114-ordinary",
        "第一百一十四条（一般事故）",
        "对事故负有责任的生产经营单位：一般事故",
        (30 * _W, 100 * _W),
        None,
    ),
    _a(
        "114-larger",
        "第一百一十四条（较大事故）",
        "对事故负有责任的生产经营单位：较大事故",
        (100 * _W, 200 * _W),
        None,
    ),
    _a(
        "114-major",
        "第一百一十四条（重大事故）",
        "对事故负有责任的生产经营单位：重大事故",
        (200 * _W, 1000 * _W),
        None,
    ),
    _a(
        "114-especially",
        "第一百一十四条（特别重大事故）",
        "对事故负有责任的生产经营单位：特别重大事故",
        (1000 * _W, 2000 * _W),
        None,
    ),
]

PENALTY_ARTICLES = RuleKind(
    key="enforcement.penalty_articles",
    label="安全生产法罚则条款及罚款幅度",
    description="作出罚款决定时，金额须在所引条款对单位或对个人规定的幅度内",
    schema=PenaltyArticles,
    defaults=[
        Default(
            effective_from=date(2021, 9, 1),
            values={"articles": ARTICLES},
            source=f"{SAFETY_LAW}第九十四至一百一十四条",
            verified="verified",
            note="“N万元以下”按0至N万元（含本数）；按年收入比例或倍数计算的罚款（第九十五、一百一十条，第一百一十四条2至5倍）未列入",
        )
    ],
)


class CreditListFigures(BaseModel):
    period_years: int = Field(title="管理期限（年）", ge=1, le=10)
    early_removal_after_months: int = Field(title="列入满该月数可申请提前移出", ge=1, le=120)


CREDIT_LIST = RuleKind(
    key="enforcement.credit_list",
    label="安全生产严重失信主体名单期限",
    description="列入名单的管理期限和申请提前移出的最短时间",
    schema=CreditListFigures,
    defaults=[
        Default(
            effective_from=date(2023, 10, 1),
            values={"period_years": 3, "early_removal_after_months": 12},
            source="应急管理部令第11号（2023-10-01施行）；期限据山西省实施文件报道，部令原条文未读到",
            verified="partial",
            note="提前移出的具体条件未取得",
        )
    ],
)


def register_all() -> None:
    for kind in (PROCEDURE, PENALTY_ARTICLES, CREDIT_LIST):
        register(kind)


# ---- reading --------------------------------------------------------------------------------------


def procedure(version: Any) -> ProcedureFigures:
    return cast(ProcedureFigures, version.typed)


def procedure_in_force(on: date, region_code: str) -> Any:
    from anquan.rules.services import in_force

    return in_force(PROCEDURE.key, on=on, region_code=region_code)


def articles_in_force(on: date, region_code: str) -> tuple[Any, dict[str, PenaltyArticle]]:
    """The penalty-article version in force and its articles by code."""
    from anquan.rules.services import in_force

    version = in_force(PENALTY_ARTICLES.key, on=on, region_code=region_code)
    figures = cast(PenaltyArticles, version.typed)
    return version, {a.code: a for a in figures.articles}


def credit_list_in_force(on: date, region_code: str) -> tuple[Any, CreditListFigures]:
    from anquan.rules.services import in_force

    version = in_force(CREDIT_LIST.key, on=on, region_code=region_code)
    return version, cast(CreditListFigures, version.typed)
