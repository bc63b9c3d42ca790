"""Every row of the self-assessment reference data quotes a seed, at the line it names.

Reads the seeds from `../shared/seeds` beside the repository. Text is compared after the repairs
SELF-ASSESSMENT.md lists: whitespace and line wrapping ignored, hyphens and dashes ignored (the
PDF extraction breaks "long-\nterm"), typographic quotes made plain, footnote superscripts dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keepitlocal.framework import principles as data
from keepitlocal.framework.principles import Citation

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
WINDOW = 25  # a quote must start on its line and end within this many lines
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]")
IGNORED = re.compile(r"[\s\-‐‑–—]+")


def normalise(text: str) -> str:
    return IGNORED.sub("", SUPERSCRIPTS.sub("", text.translate(PLAIN))).casefold()


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed reports are not at {SEEDS}: the traceability test needs them")
    found = {p.name[:3]: p.read_text(encoding="utf-8").splitlines() for p in SEEDS.glob("*.txt")}
    if not found:
        pytest.skip(f"no seed reports in {SEEDS}")
    return found


def quoted_at(seeds: dict[str, list[str]], citation: Citation) -> str | None:
    """None when the quote starts on its line; else what is wrong."""
    lines = seeds.get(citation.seed)
    if lines is None:
        return f"no seed {citation.seed}"
    if not citation.quote.strip():
        return "empty quote"
    if not 1 <= citation.line <= len(lines):
        return f"line {citation.line} is outside seed {citation.seed}"
    first = normalise(lines[citation.line - 1])
    window = "".join(
        normalise(line) for line in lines[citation.line - 1 : citation.line - 1 + WINDOW]
    )
    at = window.find(normalise(citation.quote))
    if at < 0:
        return f"not found in {citation.seed}:{citation.line}-{citation.line + WINDOW - 1}"
    if at >= len(first):
        return f"found, but starting after line {citation.line}"
    return None


def all_citations() -> list[tuple[str, Citation]]:
    cited: list[tuple[str, Citation]] = [(p.id, p.citation) for p in data.principles()]
    for row in data.sources().values():
        cited.append((row.id, row.citation))
        if row.summary is not None:
            cited.append((f"{row.id} summary", row.summary))
    cited += [(c.id, c.citation) for c in data.commitments()]
    cited += [(f"level {m.level}", m.citation) for m in data.maturity_scale() if m.citation]
    return cited


def test_every_quoted_row_is_in_its_seed_at_its_line(seeds):
    wrong = [
        f"{name}: {problem}"
        for name, citation in all_citations()
        if (problem := quoted_at(seeds, citation))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_fails_on_a_wrong_line_or_words(seeds):
    tip = data.sources()["T03"].citation
    assert quoted_at(seeds, tip) is None
    assert quoted_at(seeds, Citation(tip.seed, tip.line + 1, tip.quote))
    assert quoted_at(seeds, Citation(tip.seed, tip.line, tip.quote + " quickly"))
    assert quoted_at(seeds, Citation(tip.seed, tip.line - 5, tip.quote))


def test_the_counts_the_seeds_give():
    kinds = [row.kind for row in data.sources().values()]
    assert len(data.principles()) == 6
    assert kinds.count("tip") == 11  # 000 lines 814-824
    assert kinds.count("lesson") == 18  # 004 lines 26-210
    assert {c.id for c in data.commitments() if c.kind == "commitment"} == {
        "endorsed",
        "champions",
        "locality",
        "conversation",
    }
    assert [m.level for m in data.maturity_scale()] == [0, 1, 2, 3, 4]


def test_every_row_names_a_seed_line():
    for name, citation in all_citations():
        assert citation.seed in {"000", "001", "002", "003", "004"}, name
        assert citation.line > 0, name
    unsourced = [m.level for m in data.maturity_scale() if m.citation is None]
    assert unsourced == [0], "only 'Not started' is the project's own level"


def test_every_statement_cites_existing_sources_of_its_principle():
    rows = data.sources()
    principle_ids = {p.id for p in data.principles()}
    for statement in data.statements():
        assert statement.principle in principle_ids, statement.id
        assert statement.sources, statement.id
        for source in statement.sources:
            assert source in rows, f"{statement.id} cites unknown {source}"
            own = rows[source].principle
            assert own in (None, statement.principle), f"{statement.id} cites {source} of {own}"
    for p in principle_ids:
        assert any(s.principle == p for s in data.statements()), f"{p} has no statements"
    cited = {s for statement in data.statements() for s in statement.sources}
    for kind in ("tip", "recommendation"):
        rows_of_kind = {r.id for r in rows.values() if r.kind == kind}
        assert rows_of_kind <= cited, f"{kind}s no statement draws on: {rows_of_kind - cited}"
