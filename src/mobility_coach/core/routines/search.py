"""Which routines match what was typed in the home screen's filter, best first.

A routine whose name starts with the text comes first, then names holding every word,
then routines whose tags or positions hold them, then the rest that match at all (id or
summary). Ties keep the list's usual order, by name; Enter starts the top match."""

from __future__ import annotations

from collections.abc import Iterable

from mobility_coach.core.routines.model import Routine

NAME_STARTS, NAME_HAS, TAG_OR_POSITION, ID_OR_SUMMARY = range(4)


def match_rank(routine: Routine, query: str) -> int | None:
    """How well the routine matches the query (lower is better), or None for no match.
    Case and extra spaces in the query do not matter; every word must appear somewhere."""
    words = query.lower().split()
    name = routine.name.lower()
    if name.startswith(" ".join(words)):
        return NAME_STARTS
    if all(word in name for word in words):
        return NAME_HAS
    labels = " ".join([name, *routine.tags, *routine.positions]).lower()
    if all(word in labels for word in words):
        return TAG_OR_POSITION
    everything = " ".join([labels, routine.id, routine.summary]).lower()
    if all(word in everything for word in words):
        return ID_OR_SUMMARY
    return None


def rank_routines(routines: Iterable[Routine], query: str) -> list[Routine]:
    """The routines matching the query, best match first, then by name."""
    ranked = [(rank, routine) for routine in routines if (rank := match_rank(routine, query)) is not None]
    ranked.sort(key=lambda pair: (pair[0], pair[1].name.lower(), pair[1].id))
    return [routine for _, routine in ranked]
