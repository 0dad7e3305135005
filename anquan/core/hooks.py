"""Hooks: where a lower layer calls code that a higher layer registered (docs/adr/0014-layers-and-hooks.md).

Imports point down only (the `[tool.importlinter]` contract in pyproject.toml). When a lower app must react to a
higher one — an enterprise that moves must move the hazards and risk points of the apps above it — the lower
module declares a named `Hook` and calls it; the higher app registers its function in its `AppConfig.ready()`.
Every hook is listed in the ADR, and a hook runs in its caller's transaction (a plain function call: nothing is
deferred or sent elsewhere), so the caller's "all or nothing" covers what the registered functions write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """A named list of functions a lower layer calls; filled by higher apps in `AppConfig.ready()`."""

    def __init__(self, name: str):
        self.name = name
        self.functions: list[Callable[..., Any]] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.functions)} registered>"

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Add `function` (once: registering it again is a no-op); usable as a decorator."""
        if function not in self.functions:
            self.functions.append(function)
        return function

    def call(self, *args, **kwargs) -> list[Any]:
        """Every registered function's result, in the order they were registered (INSTALLED_APPS order)."""
        return [function(*args, **kwargs) for function in self.functions]

    def one(self, *args, **kwargs) -> Any:
        """The result of the one function this hook needs; an error when none or several are registered
        (an app missing from INSTALLED_APPS is a configuration error, not something to skip silently)."""
        if len(self.functions) != 1:
            raise LookupError(f"hook {self.name} needs exactly one function, has {len(self.functions)}")
        return self.functions[0](*args, **kwargs)
