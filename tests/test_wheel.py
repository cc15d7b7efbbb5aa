"""What ``pip install .`` gives a user works without the checkout: the wheel holds the
templates and the default config (``configs/`` reached through package data), and its
``briefing`` command runs a tiny briefing from a folder that is not the repository.

The wheel is built and installed with ``--no-deps``; the fresh venv reaches the
dependencies (torch, transformers, Prefect) through a ``.pth`` line pointing at this
environment's site-packages, so nothing is downloaded. That line is appended after the
venv's own site-packages, so ``pipeline`` and ``flows`` are the wheel's, which the test
checks first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "000_bc84fd529d18192b.txt"

pytestmark = pytest.mark.e2e


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin directory."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("pipeline", "flows", "configs"):
        shutil.copytree(
            REPO / name,
            source / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    dist = root / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist), str(source)],
        cwd=root,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = dist.glob("briefing-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pipeline/config/defaults/default.yaml" in names
    assert "pipeline/config/defaults/glossary.yaml" in names
    assert "pipeline/render/templates/briefing.html.j2" in names

    venv = root / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    assert made.returncode == 0, made.stderr[-3000:]
    python = venv / "bin" / "python"
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root
    )
    (Path(site.stdout.strip()) / "briefing-test-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    install = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], root
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return venv / "bin"


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "BRIEFING_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update({"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "HF_HUB_OFFLINE": "1"})
    env.update(extra)
    return env


def test_the_wheel_is_what_runs(installed: Path, tmp_path: Path) -> None:
    where = _run(
        [str(installed / "python"), "-c", "import flows, pipeline; print(pipeline.__file__)"],
        tmp_path,
        _env(),
    )
    assert where.returncode == 0, where.stderr[-3000:]
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)


def test_installed_briefing_run_help_works(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed / "briefing"), "run", "--help"], tmp_path, _env())
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Brief the sources" in result.stdout


def test_installed_briefing_runs_a_tiny_briefing_with_its_default_config(
    installed: Path, tiny_models_dir: Path, tmp_path: Path
) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    source = work / "nieuws.txt"
    shutil.copy2(SAMPLE, source)
    result = _run(
        [str(installed / "briefing"), "run", str(source), "-o", str(work / "out")],
        work,
        _env(
            BRIEFING_MODELS_DIR=str(tiny_models_dir),
            BRIEFING_CACHE_DIR=str(tmp_path / "cache"),
            PREFECT_HOME=str(tmp_path / "prefect"),
        ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((work / "out" / "briefing.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in data["sources"]] == ["ok"]
    assert data["test_models"] is True
