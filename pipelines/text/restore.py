"""Sections of the main container that trafilatura dropped, put back in place in its reading."""

from __future__ import annotations

from pipelines.text.prose import WORD, comparable, prose_count, prose_words
from pipelines.text.walk import Walk

# trafilatura drops a whole block when its class reads like boilerplate ("navigation-block", "print" ...), which on
# some pages is a section of the text. A run of our walk's lines, inside the main container, that trafilatura's
# reading lacks and that holds at least this many words of running text (a few sentences, at the density asked
# of trafilatura's own reading) is such a section: it is put back. Menus, link lists and captions have no prose;
# teasers and banners a sentence or two, and lie outside the main container.
RESTORE_PROSE = 40
# Sections are holes in a reading that holds the text: when what is missing is a sizeable share of what was kept,
# trafilatura chose a part of the page on purpose (one part of a combined page, one tab, one of several articles),
# and nothing is put back.
RESTORE_SHARE = 0.1
_SHINGLE = 4  # words; a walk line is found in trafilatura's reading when half its 4-word shingles are


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:], words[3:], strict=False))  # _SHINGLE words


def _bare(line: str) -> str:
    """A markdown line reduced for exact comparison: no heading or list marks, normalized."""
    return comparable(line.lstrip("#- |"))


class _Seen:
    """What a markdown text holds, to tell whether a walk line is in it: its 4-word shingles, and its short lines
    (too short for a shingle) whole."""

    def __init__(self, markdown: str) -> None:
        self.shingles = _shingles(markdown)
        self.short = {_bare(line) for line in markdown.split("\n") if len(line.split()) < _SHINGLE + 2}

    def holds(self, line: str) -> bool:
        """Whether half the line's shingles are held; its first, middle and last held settle it (most lines are)."""
        words = WORD.findall(line.lower())
        n = len(words) - _SHINGLE
        if n < 0:
            return _bare(line) in self.short
        if all(tuple(words[j : j + _SHINGLE]) in self.shingles for j in (0, n // 2, n)):
            return True
        shingles = set(zip(words, words[1:], words[2:], words[3:], strict=False))
        return len(shingles & self.shingles) >= 0.5 * len(shingles)

    def add(self, line: str) -> None:
        self.shingles |= _shingles(line)
        self.short.add(_bare(line))


def restore_dropped(markdown: str, walk: Walk, span: tuple[int, int] | None) -> str:
    """trafilatura's markdown with the prose sections of the main container it dropped put back, each after the
    line it follows on the page (see RESTORE_PROSE and RESTORE_SHARE)."""
    kept = prose_words(markdown)
    # the main container must hold a section's worth more prose than the reading, or nothing sizeable is missing
    if span is None or sum(walk.prose[span[0] : span[1]]) < kept + RESTORE_PROSE:
        return markdown
    seen = _Seen(markdown)
    sections: list[tuple[int, list[str]]] = []  # (walk line the section follows, -1 for none; its lines)
    anchor = -1
    run: list[int] = []  # walk lines missing from the output, from a heading or sentence on

    back = _Seen("")  # what was put back: a page's other copy of it (a layout for other screens) is found there

    def flush() -> None:
        lines = []
        for line in _section(walk, run, seen):
            if _shingles(line) and back.holds(line):
                continue
            lines.append(line)
            back.add(line)
            seen.add(line)
        if lines:
            sections.append((anchor, lines))
        run.clear()

    for i in range(*span):
        line = walk.lines[i]
        if walk.hidden[i]:  # hidden text (a collapsed footer note, a pop-up) is not put back, and ends a run
            flush()
        elif walk.prose[i]:  # a sentence found in the output ends a run, one missing starts or extends it
            if seen.holds(line):
                flush()
                anchor = i
            else:
                run.append(i)
        elif run:  # a short line (a heading, "Email:", a list item) in a run belongs to it, found or not
            run.append(i)
        elif line.startswith("#"):  # a section may open with its heading; one found places what follows
            if seen.holds(line):
                anchor = i
            else:
                run.append(i)
        # other short lines before any missing sentence are menus and labels: never put back on their own
    flush()
    added = sum(prose_count(line) for _, lines in sections for line in lines)
    if not added or added > RESTORE_SHARE * kept:
        return markdown
    out = markdown.split("\n")
    held = [_shingles(line) for line in out]
    places: list[tuple[int, list[str]]] = []
    for a, lines in sections:  # in page order: each after the one before when its anchor is there too
        after = places[-1][0] + 1 if places else 0
        places.append((_place(walk.lines[a], out, held, after) if a >= 0 else -1, lines))
    return _insert(out, places)


def _place(line: str, out: list[str], held: list[set[tuple[str, ...]]], after: int) -> int:
    """Index of the output line holding most of this line's shingles (the line itself, when it is short), the
    first from `after` on among the best; `held` are the output lines' shingles."""
    shingles = _shingles(line)
    bare = _bare(line)
    counts = [len(shingles & held[i]) if shingles else int(_bare(text) == bare) for i, text in enumerate(out)]
    top = max(counts, default=0)
    if not top:
        return -1
    best = [i for i, n in enumerate(counts) if n == top]
    return next((i for i in best if i >= after), best[0])


def _insert(out: list[str], sections: list[tuple[int, list[str]]]) -> str:
    """The lines with each section's lines put after the line of its index (before the first for -1)."""
    after: dict[int, list[str]] = {}
    for at, lines in sections:
        after.setdefault(at, []).extend(lines)
    restored = ["\n\n".join(after[-1]), ""] if -1 in after else []
    for i, line in enumerate(out):
        restored.append(line)
        if i in after:
            restored += ["", "\n\n".join(after[i]), ""]
    return "\n".join(restored)


def _section(walk: Walk, run: list[int], seen: _Seen) -> list[str]:
    """The lines of a run of walk lines missing from the output when they make a section, else none. The section
    ends at the run's last line not found in the output."""
    lines = list(run)
    while lines and not walk.prose[lines[-1]] and seen.holds(walk.lines[lines[-1]]):
        lines.pop()
    prose = sum(walk.prose[i] for i in lines)
    words = sum(len(walk.lines[i].split()) for i in lines)
    return [walk.lines[i] for i in lines] if prose >= RESTORE_PROSE and prose >= 0.5 * words else []
