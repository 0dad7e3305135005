"""Field-level errors shared by forms, the API ({"detail": [{"field","code","message"}]}) and imports."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class ValidationFailed(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class Conflict(Exception):
    """A state or uniqueness conflict (API 409)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class NotPermitted(Exception):
    """The user's role does not allow the action (API 403); out-of-scope objects are 404 instead."""

    code = "not_permitted"

    def __init__(self, message: str = "无权执行此操作"):
        super().__init__(message)
        self.message = message


def form_errors(exc: ValidationFailed | Conflict | NotPermitted) -> dict[str, str]:
    """{field: message} for a page to show beside its inputs ("" = about the whole form)."""
    if isinstance(exc, ValidationFailed):
        return {e.field: e.message for e in exc.errors}
    return {"": exc.message}


def http_status(exc: ValidationFailed | Conflict | NotPermitted) -> int:
    """The status a page answers with when it shows the refusal again: 409, 403 or 422."""
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, NotPermitted):
        return 403
    return 422


# pydantic's error types → the Chinese message a caller reads (ctx values filled in)
_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "不能大于{le}",
    "date_parsing": "日期格式应为“年-月-日”，如 2026-01-31",
    "date_from_datetime_parsing": "日期格式应为“年-月-日”，如 2026-01-31",
    "date_type": "日期格式应为“年-月-日”，如 2026-01-31",
    "datetime_parsing": "时间格式应为ISO 8601（如2026-12-01T08:30:00+08:00）",
    "datetime_from_date_parsing": "时间格式应为ISO 8601（如2026-12-01T08:30:00+08:00）",
    "datetime_type": "时间格式应为ISO 8601（如2026-12-01T08:30:00+08:00）",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "too_long": "最多{max_length}项",
    "too_short": "至少{min_length}项",
    "literal_error": "取值应为：{expected}",
    "enum": "取值应为：{expected}",
    "extra_forbidden": "不接受此字段",
    "json_invalid": "不是有效的JSON",
    "url_parsing": "网址格式不正确",
    "value_error": "{error}",
    "assertion_error": "{error}",
}


def pydantic_message(error: dict) -> str:
    """The Chinese message for one pydantic/ninja validation error."""
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
    if template is None:
        return "取值无效"
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:  # pydantic lists choices in English: "'red', 'orange' or 'blue'"
        ctx["expected"] = str(ctx["expected"]).replace("' or '", "'、'").replace("', '", "'、'")
    try:
        text = template.format(**{k: v for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：") or "取值无效"
    if error.get("type") in ("value_error", "assertion_error"):
        text = text.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return text
