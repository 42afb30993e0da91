"""The bisecting fetch planner (`archive/bisect.py`) against exhaustive looking, on made-up histories."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pipelines.archive.bisect import plan_fetches

DAY0 = datetime(2010, 1, 1)


def _boundaries(texts: list[str | None]) -> list[tuple[int, int]]:
    """(last capture with the old text, first with the new) over the policy captures (None: not a policy)."""
    policy = [i for i, t in enumerate(texts) if t is not None]
    return [(a, b) for a, b in zip(policy, policy[1:], strict=False) if texts[a] != texts[b]]


def _plan(
    texts: list[str | None],
    days: list[float],
    max_days: float = 180,
    keys: list | None = None,
    free=None,
    sizes: list[int] | None = None,
):
    looked: list[int] = []

    def look(i: int) -> str | None:
        looked.append(i)
        return texts[i]

    plan = plan_fetches(
        [DAY0 + timedelta(days=d) for d in days],
        keys if keys is not None else list(range(len(texts))),
        look,
        lambda a, b, i: a == b,
        max_days,
        free=free or (lambda i: False),
        sizes=sizes,
    )
    return plan, looked


def _found(plan, n: int) -> list[tuple[int, int]]:
    """The boundaries a build sees from the looked-at captures alone (inferred ones join no version)."""
    return _boundaries([plan.answers.get(i) for i in range(n)])


def test_every_change_has_the_exhaustive_bracket_on_random_histories() -> None:
    rng = random.Random(5)
    for _ in range(300):
        n = rng.randrange(1, 120)
        texts, t = [], "A"
        for _ in range(n):
            if rng.random() < 0.05:
                t = rng.choice("ABCDEFG")  # may return to an earlier text
            texts.append(None if rng.random() < 0.1 else t)
        days = sorted(rng.uniform(0, 60) for _ in range(n))  # all within max_unprobed_days
        plan, looked = _plan(texts, days)
        # a return inside a span whose ends agree is the one thing bisection cannot see, and max_unprobed_days
        # bounds it; these histories are too short for that guard, so only check histories without one
        runs = [texts[i] for i in range(n) if texts[i] is not None]
        changes = [a for a, b in zip(runs, runs[1:], strict=False) if a != b]
        if len(set(runs)) == len(changes) + 1:
            assert _found(plan, n) == _boundaries(texts)
        assert len(looked) == len(set(looked))  # nothing looked at twice
        assert set(plan.answers) | set(plan.inferred) == set(range(n))  # every capture accounted for
        for i, (a, b) in plan.inferred.items():
            assert a < i < b and plan.answers[a] == plan.answers[b] is not None


def test_a_revert_inside_a_long_unchanged_span_is_caught_by_max_unprobed_days() -> None:
    days = list(range(0, 1000, 2))
    texts: list[str | None] = ["B" if 400 <= d < 440 else "A" for d in days]
    plan, looked = _plan(texts, days, max_days=30)
    assert _found(plan, len(texts)) == _boundaries(texts)
    assert len(looked) < len(texts) // 2
    # the guard is what catches it: with no bound the two equal ends stand for the whole history
    unguarded, _ = _plan(texts, days, max_days=10_000)
    assert _found(unguarded, len(texts)) == []


def test_no_two_looked_at_policy_captures_are_further_apart_than_the_bound() -> None:
    days = list(range(0, 3000, 3))
    plan, _ = _plan(["A"] * len(days), days, max_days=100)
    looked = sorted(plan.answers)
    assert max(days[b] - days[a] for a, b in zip(looked, looked[1:], strict=False)) <= 100


def test_a_page_that_is_not_a_policy_does_not_stand_for_its_span() -> None:
    # ends and middle are error pages: the first and last real policy captures bound the history
    texts: list[str | None] = [None, None, "A", "A", "A", None, "A", "B", "B", None, None]
    plan, _ = _plan(texts, list(range(len(texts))))
    assert _found(plan, len(texts)) == [(6, 7)]
    assert plan.answers[0] is None and plan.answers[1] is None and plan.answers[10] is None
    assert all(plan.answers.get(i) is not None for i in (6, 7))


def test_captures_sharing_a_digest_are_looked_at_once_and_free_ones_cost_nothing() -> None:
    texts = ["A", "A", "B", "B", "C", "C", "C", "D", "D"]
    keys = ["x", "x", "y", "y", "z", "z", "z", "w", "w"]
    plan, looked = _plan(texts, list(range(9)), keys=keys)
    assert sorted(keys[i] for i in looked) == ["w", "x", "y", "z"]  # one look a digest
    assert _found(plan, 9) == _boundaries(texts) and plan.inferred == {}
    # digests known before (free) are looked at first, whatever they cost nothing: here they settle everything
    plan, looked = _plan(texts, list(range(9)), keys=keys, free=lambda i: keys[i] != "y")
    assert sorted(keys[i] for i in looked) == ["w", "x", "y", "z"] and _found(plan, 9) == _boundaries(texts)


def test_a_revert_between_identical_ends_within_the_bound_is_not_seen() -> None:
    # The limit of bisection, stated: A, B, A inside max_unprobed_days with byte-identical ends is one span
    # whose ends agree, so B is inferred away. Only the bound (or an exhaustive build) finds such a B.
    texts = ["A", "B", "A"]
    plan, looked = _plan(texts, [0, 1, 2], keys=["x", "y", "x"])
    assert looked == [0] and plan.inferred == {1: (0, 2)}
    plan, _ = _plan(texts, [0, 100, 200], keys=["x", "y", "x"], max_days=150)
    assert _found(plan, 3) == [(0, 1), (1, 2)]


def test_a_history_without_any_policy_is_looked_at_whole() -> None:
    plan, looked = _plan([None] * 6, list(range(6)))
    assert sorted(looked) == list(range(6)) and plan.inferred == {}


def test_a_capture_of_another_size_inside_a_span_of_one_text_is_probed() -> None:
    # one text at 48,000 bytes give or take its chrome; a one-capture blip of another text at 42,000
    texts = ["A"] * 20 + ["B"] + ["A"] * 20
    sizes = [48_000 + (i * 37) % 90 for i in range(41)]
    sizes[20] = 42_000
    plan, looked = _plan(texts, list(range(41)), sizes=sizes)
    assert _found(plan, 41) == [(19, 20), (20, 21)]
    assert len(looked) < 15
    # sizes within the chrome's noise are no reason to look: the span is inferred from its two ends
    plan, looked = _plan(["A"] * 41, list(range(41)), sizes=[48_000 + (i * 37) % 90 for i in range(41)])
    assert sorted(looked) == [0, 40]
