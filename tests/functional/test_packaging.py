"""The wheel carries the built-in routines, so a non-editable install finds them."""

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_ships_the_builtin_routines_and_schema(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("mobility_coach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {Path(n).name for n in names if n.startswith("mobility_coach/routines/")}
    expected = {p.name for p in (REPO / "routines").iterdir()}
    assert expected and shipped == expected
    assert "mobility_coach/core/routines/loader.py" in names
    assert "mobility_coach/tui/app.tcss" in names
    assert {f"mobility_coach/sounds/{p.name}" for p in (REPO / "src/mobility_coach/sounds").glob("*.wav")} <= names
    assert not any("tests/" in n or "bench/" in n for n in names)
