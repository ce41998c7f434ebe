"""The core stays pure: no Textual, no sound, so it is fast and testable without a screen."""

import ast
from pathlib import Path

import mobility_coach

PACKAGE = Path(mobility_coach.__file__).parent
FORBIDDEN = ("textual", "rich", "playsound3")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_ui_or_sound_libraries() -> None:
    files = sorted((PACKAGE / "core").rglob("*.py"))
    assert len(files) > 5
    offenders = {f.name: imported_modules(f) & set(FORBIDDEN) for f in files}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_checker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import textual.app\nfrom rich import print\n", encoding="utf-8")
    assert imported_modules(sample) == {"textual", "rich"}


def test_the_app_talks_to_the_reminder_only_through_its_protocol() -> None:
    """The TUI is a client of the headless reminder, never a host of its face."""
    for path in sorted((PACKAGE / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {
            f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert "mobility_coach.remind" not in modules, path.name
