"""The benchmarks are run by hand, never in CI: this keeps what they import in step with
the code (a module moved by a refactoring broke `benchmarks/run.py` once, unnoticed).
It times nothing."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))


def _imports(path: Path):
    """Every `from X import Y` and `import X` in the script, at any depth (most are lazy)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module != "__future__":
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_name_a_benchmark_imports_exists(script, monkeypatch):
    # The same search path run.py sets up: the checkout, tests/ (helpers) and benchmarks/.
    for folder in (ROOT / "benchmarks", ROOT / "tests", ROOT):
        monkeypatch.syspath_prepend(str(folder))
    missing = []
    for module_name, names in _imports(script):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            missing.append(f"{module_name}: {exc}")
            continue
        missing += [f"{module_name}.{name}" for name in names if not hasattr(module, name)
                    and importlib.util.find_spec(f"{module_name}.{name}") is None]
    assert missing == [], missing
