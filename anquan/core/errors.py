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
