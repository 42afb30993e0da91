"""Stated dates: cue phrases, formats, ranking of cues, and the capture-date cap."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pipelines.text.dates import stated_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last updated: March 3, 2019\n\nWe collect...", date(2019, 3, 3)),
        ("Effective as of 1 January 2020.", date(2020, 1, 1)),
        ("This policy was last revised on Oct. 5th, 2014.", date(2014, 10, 5)),
        ("Last Updated: 2018-05-25", date(2018, 5, 25)),
        ("Revision Date: 03/24/2015", date(2015, 3, 24)),
        ("Updated: Thursday, May 21, 2015", date(2015, 5, 21)),
        ("Last Edited on 10/2014", date(2014, 10, 1)),
        ("Dernière mise à jour : 12 mars 2021", date(2021, 3, 12)),
        ("Stand: 24.05.2018", date(2018, 5, 24)),
        ("Most recent change – January 2015", date(2015, 1, 1)),
    ],
)
def test_cued_formats(text: str, expected: date) -> None:
    found = stated_date(text)
    assert found is not None and found.value == expected


def test_update_beats_effective_and_latest_wins() -> None:
    found = stated_date("Effective July 20, 2012 (last updated October 08, 2013)")
    assert found is not None and found.value == date(2013, 10, 8)


def test_never_after_capture() -> None:
    text = "Last updated: June 1, 2021. Previously updated: January 5, 2019."
    capped = stated_date(text, datetime(2020, 1, 1))
    assert capped is not None and capped.value == date(2019, 1, 5)
    assert stated_date("Last updated: June 1, 2021", datetime(2020, 1, 1)) is None


def test_no_cue_no_date_and_timestamps_rank_low() -> None:
    assert stated_date("Copyright 2015 Acme. Founded March 3, 1998.") is None
    found = stated_date("Last Modified 7/1/2015 10:22 AM\n\nLast modified: May 28, 2015")
    assert found is not None and found.value == date(2015, 5, 28)


def test_confidence_is_lower_without_a_day() -> None:
    full, partial = stated_date("Last updated: March 3, 2019"), stated_date("Last updated: March 2019")
    assert full is not None and partial is not None and partial.confidence < full.confidence <= 1.0


def test_cues_far_from_any_year_do_not_count_and_near_ones_do() -> None:
    # The search only looks near years; a cue 300 characters before its date never counted, one just before does,
    # however much cue-like filler ("as of", "updated") the text holds elsewhere.
    filler = "Our pages are updated as of need and posted when ready. " * 200
    assert stated_date("Last updated: " + "x" * 300 + " March 3, 2019") is None
    found = stated_date(filler + "Last updated: March 3, 2019. " + filler + "Copyright 2021")
    assert found is not None and found.value == date(2019, 3, 3)
