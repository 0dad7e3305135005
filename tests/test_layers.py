"""The layer contract (pyproject.toml `[tool.importlinter]`, docs/adr/0014-layers-and-hooks.md): imports point
down only — it holds for the code as it is, and the same contract, run by the same command, fails and names the
file and line when an upward import is added (also one inside a function), or when an app is in no layer."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the project's pyproject.toml in `cwd`, importing the `anquan` package found there."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "pyproject.toml"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_project(tmp_path: Path) -> Path:
    """The project's Python sources and its pyproject.toml (the contract itself, unchanged) under `tmp_path`."""
    shutil.copytree(
        ROOT / "anquan",
        tmp_path / "anquan",
        ignore=lambda folder, names: [
            n for n in names if n in {"locale", "static", "templates", "__pycache__"} or n.endswith(".pyc")
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_the_layer_contract():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Anquan layers point down KEPT" in run.stdout
    assert "1 kept, 0 broken" in run.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    project = copy_of_project(tmp_path)
    (project / "anquan" / "core" / "upward.py").write_text(
        '"""core reaching up into a domain app, hidden inside a function."""\n'
        "\n"
        "\n"
        "def open_hazards():\n"
        "    from anquan.hazards.models import Hazard\n"
        "\n"
        "    return Hazard.objects.all()\n",
        encoding="utf-8",
    )
    run = lint_imports(project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Anquan layers point down BROKEN" in run.stdout
    assert "anquan.core is not allowed to import anquan.hazards" in run.stdout
    assert "anquan.core.upward -> anquan.hazards.models (l.5)" in run.stdout


def test_an_enterprise_app_importing_a_domain_app_breaks_the_contract(tmp_path):
    """What the hooks replaced: enterprises knowing the hazards and risk models above them."""
    project = copy_of_project(tmp_path)
    moves = project / "anquan" / "enterprises" / "moves.py"
    moves.write_text(
        moves.read_text(encoding="utf-8")
        + "\nfrom anquan.riskpoints.models import RiskPoint  # noqa: E402\n",
        encoding="utf-8",
    )
    line = moves.read_text(encoding="utf-8").count("\n")
    run = lint_imports(project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "anquan.enterprises is not allowed to import anquan.riskpoints" in run.stdout
    assert f"anquan.enterprises.moves -> anquan.riskpoints.models (l.{line})" in run.stdout


def test_an_app_in_no_layer_breaks_the_contract(tmp_path):
    """A new app must be given its place in the layers (the contract is exhaustive)."""
    project = copy_of_project(tmp_path)
    (project / "anquan" / "newapp").mkdir()
    (project / "anquan" / "newapp" / "__init__.py").write_text("", encoding="utf-8")
    run = lint_imports(project)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "- anquan.newapp" in run.stdout
    assert "marked as 'exhaustive'" in run.stdout


def test_every_hook_is_named_in_the_adr_and_filled_at_start_up():
    """A hook nobody fills would silently skip what the higher app must do (move hazards with their
    enterprise, say); one missing from the ADR is a path a newcomer cannot find."""
    from anquan.core.hooks import Hook

    adr = (ROOT / "docs" / "adr" / "0014-layers-and-hooks.md").read_text(encoding="utf-8")
    hooks = {
        value.name: value
        for name, module in list(sys.modules.items())
        if name.startswith("anquan.")
        for value in list(vars(module).values())
        if type(value) is Hook
    }
    assert {
        "enterprises.moves.current_records",
        "enterprises.views.detail_panels",
        "orgs.services.rule_changed",
        "regions.views.enterprise_counts",
        "riskpoints.levels.raising",
        "jobs.worker.sweeps",
    } <= set(hooks)
    for name, hook in hooks.items():
        assert f"`{name}`" in adr, f"hook {name} is not named in docs/adr/0014-layers-and-hooks.md"
        assert hook.functions, f"no app registers a function in hook {name}"


def test_every_job_kind_has_a_handler():
    from anquan.jobs import runner
    from anquan.jobs.models import JobKind

    assert set(runner.HANDLERS) == set(JobKind.values)
    assert "`jobs.runner.register(kind, handler, undo=)`" in (
        ROOT / "docs" / "adr" / "0014-layers-and-hooks.md"
    ).read_text(encoding="utf-8")
