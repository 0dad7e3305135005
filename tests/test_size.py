"""Sizes a newcomer can read (issue #11, docs/adr/0012-size-limits.md): no Python file of the application over
600 lines, no function over 80, no app over 20 % of the application's Python lines. Migrations are generated
and not counted. Each exception is listed below with its reason; an exception that no longer applies fails
too, so the list never outlives what it excuses."""

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "anquan"

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80
MAX_APP_SHARE = 0.20

ADR = "docs/adr/0012-size-limits.md"
# path (or path:function, or app) -> why it may exceed the limit; permanent ones are explained in the ADR
FILE_EXCEPTIONS: dict[str, str] = {}
FUNCTION_EXCEPTIONS: dict[str, str] = {}
APP_EXCEPTIONS: dict[str, str] = {}


def _sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.relative_to(APP).parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _functions(path: Path):
    """(qualified name, first line, length in lines from `def` to its last line) of every function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                yield name, child.lineno, child.end_lineno - child.lineno + 1
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)

    return list(walk(tree, ""))


def _check(over: dict[str, str], exceptions: dict[str, str], what: str) -> None:
    """Everything over the limit is excused, and every excuse is still needed."""
    unexcused = {key: detail for key, detail in over.items() if key not in exceptions}
    stale = sorted(set(exceptions) - set(over))
    message = []
    if unexcused:
        message.append(
            f"{what} over the limit (split it, or list it with its reason here and in {ADR}):\n"
            + "\n".join(f"  {detail}" for detail in unexcused.values())
        )
    if stale:
        message.append(f"exceptions no longer needed (remove them here and in {ADR}): {', '.join(stale)}")
    assert not message, "\n".join(message)


def test_no_file_over_600_lines():
    over = {}
    for path in _sources():
        count = _lines(path)
        if count > MAX_FILE_LINES:
            over[_name(path)] = f"{_name(path)}:1: {count} lines (limit {MAX_FILE_LINES})"
    _check(over, FILE_EXCEPTIONS, "files")


def test_no_function_over_80_lines():
    over = {}
    for path in _sources():
        for name, line, length in _functions(path):
            if length > MAX_FUNCTION_LINES:
                over[f"{_name(path)}:{name}"] = (
                    f"{_name(path)}:{line}: {name} is {length} lines (limit {MAX_FUNCTION_LINES})"
                )
    _check(over, FUNCTION_EXCEPTIONS, "functions")


def test_no_app_over_a_fifth_of_the_application():
    per_app: Counter[str] = Counter()
    total = 0
    for path in _sources():
        count = _lines(path)
        total += count
        parts = path.relative_to(APP).parts
        if len(parts) > 1:  # anquan/settings.py, urls.py … are the project, not an app
            per_app[parts[0]] += count
    over = {
        app: f"anquan/{app}: {count} of {total} lines, {count / total:.0%} (limit {MAX_APP_SHARE:.0%})"
        for app, count in per_app.items()
        if count > MAX_APP_SHARE * total
    }
    _check(over, APP_EXCEPTIONS, "apps")


def test_a_function_is_measured_from_def_to_its_last_line(tmp_path):
    """The measure itself: methods and nested functions count on their own, decorators and blank lines
    after the body do not."""
    body = "\n".join(f"        x{i} = {i}" for i in range(79))
    source = (
        f"class A:\n    @staticmethod\n    def long():\n        def inner():\n            pass\n{body}\n\n\n"
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert [(name, length) for name, _, length in _functions(path)] == [("A.long", 82), ("A.long.inner", 2)]
    assert _lines(path) == 86  # the two blank lines at the end count for the file
