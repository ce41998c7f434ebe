from pathlib import Path

import platformdirs

from mobility_coach.core.paths import Paths, builtin_routines_dir


def test_default_locations_come_from_platformdirs() -> None:
    paths = Paths.from_environment({})
    assert paths.config_dir == Path(platformdirs.user_config_dir("mobility-coach", appauthor=False))
    assert paths.data_dir == Path(platformdirs.user_data_dir("mobility-coach", appauthor=False))
    assert paths.routines_dir == paths.config_dir / "routines"


def test_home_variable_moves_everything_under_one_folder(tmp_path: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(tmp_path)})
    assert paths.config_dir == tmp_path / "config" and paths.data_dir == tmp_path / "data"
    assert paths.config_file == tmp_path / "config" / "config.yaml"


def test_builtin_routines_are_found() -> None:
    assert (builtin_routines_dir() / "exercises.yaml").is_file()
