"""Every dataclass in the package has a docstring. On Python 3.11, ``@dataclass`` gives a
class without one a ``__doc__`` built from ``inspect.signature(cls)``, some 60-90 µs a
class, at import time, on every launch; a docstring costs nothing and tells a reader what
the class is for, which the generated signature does not."""

from __future__ import annotations

import ast
from pathlib import Path

import mobility_coach

PACKAGE = Path(mobility_coach.__file__).parent


def dataclasses_in(path: Path) -> list[ast.ClassDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any("dataclass" in ast.unparse(d) for d in node.decorator_list)
    ]


def test_every_dataclass_has_a_docstring() -> None:
    found = {path: dataclasses_in(path) for path in sorted(PACKAGE.rglob("*.py"))}
    assert sum(len(classes) for classes in found.values()) > 50  # the walk does find them
    missing = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
        for path, classes in found.items()
        for node in classes
        if ast.get_docstring(node) is None
    ]
    assert not missing, "dataclasses without a docstring:\n" + "\n".join(missing)
