"""A runtime-only install (``pip install .``, no extras), as a user gets it.

The web extra (starlette, uvicorn, jinja2) is not there, so ``exokg site`` and ``exokg serve``
must each end in a one-line error that names the extra, never a traceback. The package is
installed from a copy of the repository into a fresh virtual environment (its dependencies
come from the package index), so this test is slow and needs the network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def runtime_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv holding exokg installed without extras."""
    base = tmp_path_factory.mktemp("runtime-only")
    src = base / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("kg", "triples"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           str(src)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"pip install . failed (no package index?): {done.stderr[-500:]}")
    return venv / "bin"


@pytest.mark.slow
def test_the_runtime_only_install_has_no_web_extra(runtime_only: Path) -> None:
    code = ("import importlib.util as u; "
            "print([m for m in ('jinja2', 'starlette', 'uvicorn') if u.find_spec(m)])")
    done = subprocess.run([str(runtime_only / "python"), "-c", code], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize("command", [["site", "-o", "DIR"], ["serve", "--port", "1"]])
def test_web_commands_without_the_extra_are_one_clear_line(runtime_only: Path, tmp_path: Path,
                                                           command: list[str]) -> None:
    args = [str(tmp_path / "site") if a == "DIR" else a for a in command]
    done = subprocess.run([str(runtime_only / "exokg"), *args], capture_output=True,
                          text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin",
                                                        "EXOKG_CACHE": "off"})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"Error: exokg {command[0]} needs the web extra ("
        + ("jinja2" if command[0] == "site" else "starlette, uvicorn, jinja2")
        + " not installed): pip install 'exokg[web]'"]
    assert not (tmp_path / "site").exists()
