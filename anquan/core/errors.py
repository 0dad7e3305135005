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
