"""Which of a site's listed captures to fetch so that every change of its policy text is found with the bracket an
exhaustive fetch would give, for a fraction of the fetches.

A site's fetchable captures, in time order, are probed at the two ends; a span is looked inside only when the
texts at its two ends differ, or when its ends are further apart than `max_unprobed_days` (so that a text put up
and taken back within a long unchanged-looking span, A -> B -> A, is still probed), down to adjacent captures.
So every change reported lies between two fetched captures with nothing unfetched between them: the bracket
(last capture with the old text, first capture with the new] of an exhaustive build.

What does not stand for a span: a capture that is not a policy (error page, soft 404, login or consent wall).
It is fetched, kept as what it is, and the span is probed again around it until real policy captures bound it.
Captures sharing an archive digest with a probed one are never fetched: they take its answer (`reused`).
The unprobed captures of a span whose ends agree are `inferred` from those two ends.

The one change bisection cannot see is a text that comes and goes inside a span whose ends agree (A, B, A).
The bound on unprobed days limits how long such a B can hide; the archive's record sizes, which the CDX
listing gives for free, catch most of the rest: captures of one text differ in size by their chrome (a nonce,
an ad slot: bytes to a few hundred), another text mostly by more. So inside a span whose ends agree, a capture
whose size is further than `SIZE_TOLERANCE` from both ends' sizes is probed before the span is inferred.

The planner is pure: `look(i)` fetches capture i (or reuses what its digest gave) and says what text it holds,
`same(a, b, i)` whether two answers are the same policy text as of capture i. Both come from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")  # what looking at a capture gave: the judge's answer, None for no policy text
# Chrome noise of one text's captures, as a share of the record size (at least SIZE_SLACK bytes): a longer or
# shorter capture inside a span of one text is probed. Smaller edits are the bound's to find.
SIZE_TOLERANCE = 0.01
SIZE_SLACK = 256


class TextJudge(Protocol):
    """What a bisecting fetch needs to know of a payload: its policy text, and whether two are the same version.

    The archive stage does not read texts itself; the build gives it one (`pipelines/history/probe.py`), so
    that "same text" here is exactly what versions call the same version.
    """

    def read(self, payload: bytes, content_type: str | None, captured_at: datetime) -> Any | None:
        """The payload's policy text in the judge's terms, None when it is not a privacy policy."""
        ...

    def same(self, a: Any, b: Any, captured_at: datetime) -> bool:
        """Whether two texts `read` gave are one version (`b` as captured at `captured_at`)."""
        ...


@dataclass
class Plan(Generic[T]):
    """The outcome for each capture: what looking at it gave, or the two looked-at captures it is inferred from."""

    answers: dict[int, T | None]  # captures looked at (fetched or reused), and what each holds
    inferred: dict[int, tuple[int, int]]  # capture -> (the policy capture before it, the one after it)


def plan_fetches(
    times: Sequence[datetime],
    keys: Sequence[Hashable],
    look: Callable[[int], T | None],
    same: Callable[[T, T, int], bool],
    max_unprobed_days: float,
    free: Callable[[int], bool] = lambda i: False,
    sizes: Sequence[int | None] | None = None,
) -> Plan[T]:
    """Look at the captures that decide the history and infer the others (see the module docstring).

    `times` are the captures' times (ascending), `keys` their archive digests (captures with one key hold one
    payload, so one look serves them all), `free(i)` whether capture i can be looked at without a request (its
    digest was fetched before): those are all looked at first, since what they say costs nothing. `sizes` are
    the captures' record sizes from the listing (None where unknown).
    """
    sizes = sizes if sizes is not None else [None] * len(times)
    n = len(times)
    answers: dict[int, T | None] = {}
    groups: dict[Hashable, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)

    def see(i: int) -> T | None:
        if i not in answers:
            got = look(i)
            for j in groups[keys[i]]:
                answers[j] = got
        return answers[i]

    for i in range(n):
        if free(i):
            see(i)
    lo = next((i for i in range(n) if see(i) is not None), None)
    if lo is None:  # no policy text anywhere: every capture has been looked at
        return Plan(answers, {})
    hi = next(i for i in range(n - 1, lo - 1, -1) if see(i) is not None)
    inferred: dict[int, tuple[int, int]] = {}
    max_seconds = max_unprobed_days * 86400
    spans = [(lo, hi)]
    while spans:
        _span(spans, answers, inferred, times, sizes, see, same, max_seconds)
        # A capture looked at after its span was inferred (it shares a digest with one probed later) holds
        # what it holds: if that is a policy text, its span is looked into again.
        reopened = {inferred.pop(j) for j in [j for j in inferred if answers.get(j) is not None]}
        for a, b in reopened:
            for j in [j for j, ends in inferred.items() if ends == (a, b)]:
                del inferred[j]
            spans.append((a, b))
    for j in answers:
        inferred.pop(j, None)  # looked at after all (a non-policy capture sharing a probed digest)
    return Plan(answers, inferred)


def _span(
    spans: list[tuple[int, int]],
    answers: dict[int, T | None],
    inferred: dict[int, tuple[int, int]],
    times: Sequence[datetime],
    sizes: Sequence[int | None],
    see: Callable[[int], T | None],
    same: Callable[[T, T, int], bool],
    max_seconds: float,
) -> None:
    """Work through `spans` (pairs of policy captures) until none is left to look into."""
    while spans:
        a, b = spans.pop()
        if b - a <= 1:
            continue
        policy = [j for j in range(a + 1, b) if answers.get(j) is not None]
        if policy:  # known policy captures inside (free ones, or reused digests): split at them
            cuts = [a, *policy, b]
            spans.extend(zip(cuts, cuts[1:], strict=False))
            continue
        open_ = [j for j in range(a + 1, b) if j not in answers]
        if not open_:  # all inside looked at and none a policy: a and b are adjacent policy captures
            continue
        pa, pb = answers[a], answers[b]
        assert pa is not None and pb is not None
        if (times[b] - times[a]).total_seconds() <= max_seconds and same(pa, pb, b):
            odd = [j for j in open_ if _other_size(sizes[j], sizes[a], sizes[b])]
            if not odd:
                inferred.update((j, (a, b)) for j in open_)
                continue
            open_ = odd
        see(open_[len(open_) // 2])
        spans.append((a, b))  # looked again: split at it if it is a policy, else probe around it


def _other_size(size: int | None, *ends: int | None) -> bool:
    """Whether a record of `size` is unlike every end's size by more than chrome noise (unknown sizes: no)."""
    if size is None or any(e is None for e in ends):
        return False
    return all(abs(size - e) > max(SIZE_SLACK, SIZE_TOLERANCE * e) for e in ends if e is not None)
