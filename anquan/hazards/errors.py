from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed


class SeparationOfDuties(Conflict):
    def __init__(self):
        super().__init__("separation_of_duties", "提交整改的人不能验收同一隐患")


class Stale(Conflict):
    def __init__(self):
        super().__init__("stale", "该隐患已被他人处理，请刷新后重试")


class RoleRefused(NotPermitted):
    """The actor's role may not take this step on this hazard (403 with code `not_permitted`)."""


def required(field: str, label: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, "required", f"{label}不能为空")])


__all__ = [
    "Conflict",
    "FieldError",
    "RoleRefused",
    "SeparationOfDuties",
    "Stale",
    "ValidationFailed",
    "required",
]
