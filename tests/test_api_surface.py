"""Every module of ``kg`` says what it exports: an ``__all__`` of exactly its public names."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import kg


def _modules() -> list[str]:
    found = ["kg", *(m.name for m in pkgutil.walk_packages(kg.__path__, "kg."))]
    return sorted(found)


def _defined(path: Path) -> set[str]:
    """Public names a module binds itself at its top level (def, class, assignment).

    Names it imports are not its own (it may still list them, to re-export them); names
    bound only under ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":`` do not exist
    at run time.
    """
    names: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(n.id for t in node.targets for n in ast.walk(t)
                             if isinstance(n, ast.Name))
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                if isinstance(node.target, ast.Name):
                    names.add(node.target.id)
            elif isinstance(node, ast.If):
                test = ast.unparse(node.test)
                if "TYPE_CHECKING" not in test and "__name__" not in test:
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {n for n in names if not n.startswith("_")}


def _check(module: ModuleType) -> list[str]:
    """What is wrong with ``module``'s ``__all__`` (nothing: an empty list)."""
    listed = vars(module).get("__all__")
    if listed is None:
        return [f"{module.__name__} has no __all__"]
    problems = []
    if len(set(listed)) != len(listed):
        problems.append(f"{module.__name__}.__all__ lists a name twice")
    problems += [f"{module.__name__}.__all__ lists {name!r}, which it does not define"
                 for name in listed if not hasattr(module, name)]
    assert module.__file__ is not None
    problems += [f"{module.__name__} defines the public {name!r} but does not list it "
                 "(list it, or make it private with a leading _)"
                 for name in sorted(_defined(Path(module.__file__)) - set(listed))
                 if name != "__all__"]
    return problems


def test_walks_every_module() -> None:
    names = _modules()
    files = sorted(Path(kg.__file__).parent.rglob("*.py"))
    assert len(names) == len(files) > 70
    assert {"kg", "kg.__main__", "kg.data.index", "kg.web.worker"} <= set(names)


@pytest.mark.parametrize("name", _modules())
def test_every_module_lists_its_public_names(name: str) -> None:
    assert _check(importlib.import_module(name)) == []


def test_the_check_finds_a_missing_all_a_phantom_name_and_an_unlisted_one(
        tmp_path: Path) -> None:
    (tmp_path / "bare.py").write_text("def f() -> None:\n    pass\n", encoding="utf-8")
    (tmp_path / "ghost.py").write_text('__all__ = ["f", "g"]\n\n\ndef f() -> None:\n'
                                       "    pass\n", encoding="utf-8")
    (tmp_path / "quiet.py").write_text('__all__ = ["f"]\nLIMIT = 3\n\n\ndef f() -> None:\n'
                                       "    pass\n", encoding="utf-8")
    found = []
    for stem in ("bare", "ghost", "quiet"):
        spec = importlib.util.spec_from_file_location(f"_probe_{stem}", tmp_path / f"{stem}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found += _check(module)
    assert found == ["_probe_bare has no __all__",
                     "_probe_ghost.__all__ lists 'g', which it does not define",
                     "_probe_quiet defines the public 'LIMIT' but does not list it "
                     "(list it, or make it private with a leading _)"]
