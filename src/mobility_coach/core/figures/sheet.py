"""Still pictures of an exercise, side by side with captions, as plain lines of text:
what ``show --figures`` prints and the home screen's preview shows."""

from __future__ import annotations

from collections.abc import Sequence

from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.motion import peak_pose
from mobility_coach.core.figures.raster import picture

PICTURE_COLUMNS = 26
PICTURE_ROWS = 8


def side_by_side(blocks: Sequence[Sequence[str]], gap: int = 3) -> tuple[str, ...]:
    """Blocks of lines set next to each other, tops level; trailing blanks trimmed."""
    if not blocks:
        return ()
    height = max(len(block) for block in blocks)
    widths = [max((len(line) for line in block), default=0) for block in blocks]
    rows = []
    for row in range(height):
        cells = [
            (block[row] if row < len(block) else "").ljust(width) for block, width in zip(blocks, widths, strict=True)
        ]
        rows.append((" " * gap).join(cells).rstrip())
    return tuple(rows)


def captioned(lines: Sequence[str], caption: str, width: int) -> tuple[str, ...]:
    """The picture with a caption centred under it (cut to the picture's width)."""
    return (*lines, caption[:width].center(width).rstrip())


SHEET_WIDTH = 78  # an 80-column terminal, less the indent ``show --figures`` prints with


def key_pictures(
    figure: Figure,
    columns: int = PICTURE_COLUMNS,
    rows: int = PICTURE_ROWS,
    mirrored: bool = False,
    width: int = SHEET_WIDTH,
) -> tuple[str, ...] | None:
    """The starting position and every key position a rep passes through (the cat-cow's
    cow and cat both), captioned, as many to a row as ``width`` holds; a key drawn exactly
    like one before it is left out. None when the pictures would not be legible at this size."""
    blocks: list[tuple[str, ...]] = []
    drawn: set[tuple[str, ...]] = set()
    for pose, label in enumerate(figure.labels):
        lines = picture(figure, pose, columns, rows, mirrored)
        if lines is None:
            return None
        if lines not in drawn:
            drawn.add(lines)
            blocks.append(captioned(lines, label, columns))
    gap = 3
    per_row = max(1, (width + gap) // (columns + gap))
    return in_rows(blocks, per_row, gap)


def in_rows(blocks: Sequence[Sequence[str]], per_row: int, gap: int) -> tuple[str, ...]:
    """``blocks`` side by side, ``per_row`` to a row, the rows an empty line apart."""
    found: list[str] = []
    for first in range(0, len(blocks), per_row):
        if found:
            found.append("")
        found += side_by_side(blocks[first : first + per_row], gap)
    return tuple(found)


STRIP_COLUMNS = 16
STRIP_ROWS = 5


def figure_strip(
    items: Sequence[tuple[str, Figure]], width: int, columns: int = STRIP_COLUMNS, rows: int = STRIP_ROWS
) -> tuple[str, ...]:
    """Small still pictures (each figure's key position), captioned, as many to a row as
    ``width`` holds; none at all when not even one fits."""
    gap = 2
    per_row = (width + gap) // (columns + gap)
    if per_row < 1:
        return ()
    blocks = []
    for caption, figure in items:
        lines = picture(figure, peak_pose(figure), columns, rows)
        if lines is not None:
            blocks.append(captioned(lines, caption, columns))
    return in_rows(blocks, per_row, gap)
