"""Allows ``python -m mobility_coach``."""

from mobility_coach.cli import main

raise SystemExit(main())
