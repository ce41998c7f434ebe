"""``mobility-coach completion SHELL``: the shell's completion script, made by shtab from the
command line's own parser, so it never falls behind a new command or option."""

from __future__ import annotations

from typing import TextIO

from mobility_coach.cli.parser import build_parser


def completion(shell: str, out: TextIO) -> int:
    import shtab  # only here: no other command pays for it

    parser, _ = build_parser(files=shtab.FILE)
    out.write(shtab.complete(parser, shell=shell))
    return 0
