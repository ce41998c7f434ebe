"""The README's pictures are the app as it is: made again, each comes out byte for byte as
committed (after a change to what they show: .venv/bin/python docs/screenshots/make.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import REPO

PICTURES = REPO / "docs" / "screenshots"


def test_the_readme_pictures_show_the_app_as_it_is(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_pictures", PICTURES / "make.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    made = make.make(tmp_path)
    assert made, "no picture made"
    stale = [path.name for path in made if path.read_bytes() != (PICTURES / path.name).read_bytes()]
    assert stale == [], f"out of date (make them again: .venv/bin/python docs/screenshots/make.py): {stale}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/screenshots/{path.name}" in readme for path in made)
