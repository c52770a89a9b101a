"""The installed console script works from any folder: prompts and the taxonomy ship with the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def installed_script() -> Path | None:
    candidate = Path(sys.executable).parent / "summarize"
    if candidate.exists():
        return candidate
    found = shutil.which("summarize")
    return Path(found) if found else None


@pytest.mark.skipif(installed_script() is None, reason="summarize is not installed in this environment (make test installs it)")
def test_installed_script_runs_from_another_folder(tmp_path: Path, data_dir: Path):
    sample = tmp_path / "page.txt"
    sample.write_bytes((data_dir / "hf_page_sample.txt").read_bytes())
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(installed_script()), "run", str(sample), "--engine", "rules", "--out", "out", "--db", "s.db"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len((tmp_path / "out" / "papers.jsonl").read_text().splitlines()) == 54


@pytest.mark.skipif(installed_script() is None, reason="summarize is not installed in this environment (make test installs it)")
def test_installed_package_carries_the_taxonomy(tmp_path: Path):
    code = "import agent.resources as r; p = r.prompts_dir(); print(p); assert (p / 'tags.toml').is_file()"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "site-packages" in proc.stdout, "resolved the source tree, not the installed package"
