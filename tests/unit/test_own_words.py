"""Health content in our own words: no run of eight or more words from the articles in
``../shared/seeds/`` appears in anything the user can see (the routines, the texts in
the source, the README). Skipped where the articles are not checked out beside the repo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8  # words in a row that would be copying


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")  # typographic apostrophes
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def runs(text: str, length: int = RUN) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + length]) for i in range(len(found) - length + 1)}


def shipped_texts() -> list[Path]:
    return sorted(
        [
            *(ROOT / "routines").glob("*.yaml"),
            *(ROOT / "src" / "mobility_coach").rglob("*.py"),
            ROOT / "README.md",
            *(ROOT / "docs").glob("*.md"),  # the README's reference pages
        ]
    )


def test_the_run_finder_finds_a_copied_run() -> None:
    article = "Joints can pop when the pressure inside them changes quickly, says the article."
    assert runs("As noted: joints can pop when the pressure inside them changes!") & runs(article)
    assert not runs("Joints may pop as pressure changes.") & runs(article)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the articles (../shared/seeds) are not checked out here")
def test_no_run_of_eight_words_from_the_articles_is_shipped() -> None:
    articles: set[tuple[str, ...]] = set()
    for seed in sorted(SEEDS.glob("*.txt")):
        articles |= runs(seed.read_text(encoding="utf-8", errors="replace"))
    assert articles, "no article text found"
    copied = {
        path.relative_to(ROOT).as_posix(): sorted(
            " ".join(run) for run in runs(path.read_text(encoding="utf-8")) & articles
        )
        for path in shipped_texts()
    }
    assert {path: found for path, found in copied.items() if found} == {}
