"""Nothing the package reads from disk is unpickled: loading a pickle runs whatever code
it names, so whoever could write a file we read back (a shared cache or home folder, a
HOME kept under sudo) would run code as the user. The package imports no pickle, marshal
or shelve at all; plain data (JSON, YAML, SQLite) is read as data."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_architecture import PACKAGE, imported_modules

CODE_LOADERS = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle"}


def test_no_module_of_the_package_imports_a_code_loader() -> None:
    found = {
        str(path.relative_to(PACKAGE)): sorted(imported_modules(path) & CODE_LOADERS)
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {name: loaders for name, loaders in found.items() if loaders} == {}


def test_the_check_sees_a_late_import(tmp_path: Path) -> None:
    module = tmp_path / "late.py"
    module.write_text("def f():\n    import pickle\n    from marshal import loads\n", encoding="utf-8")
    assert imported_modules(module) & CODE_LOADERS == {"pickle", "marshal"}
