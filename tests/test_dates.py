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


# A policy body long enough that its middle is neither top nor bottom (see `dates.EDGE_CHARS`).
BODY = "We collect your name and email address to run the service and share them with our processors.\n\n" * 40


def test_a_law_date_is_not_the_policys_own_date() -> None:
    law = (
        "California Privacy Rights\n\nEffective January 1, 2005, California law requires certain businesses to tell "
        "customers, on request, how they share personal information for direct marketing.\n\n"
    )
    found = stated_date("Privacy Policy\n\n" + BODY + law + BODY + "Version: July 26, 2006")
    assert found is not None and found.value == date(2006, 7, 26) and found.cue == "Version"
    # With no date of its own, the policy states none: the law's date is not a fallback.
    assert stated_date("Privacy Policy\n\n" + law + BODY) is None
    # Programmes too: the Privacy Shield's date is the framework's.
    assert stated_date("The EU-U.S. Privacy Shield framework, effective August 1, 2016, lets us transfer data.") is None


def test_another_documents_date_is_not_the_policys_own_date() -> None:
    text = (
        "Last updated: May 1, 2016\n\n"
        + BODY
        + "Our Terms of Service were last updated on June 2, 2017 and govern your use of the site.\n\n"
        + BODY
    )
    found = stated_date(text)
    assert found is not None and found.value == date(2016, 5, 1)
    # A sentence that names this policy dates this policy, even one that also mentions the law later on.
    own = stated_date(BODY + "This Privacy Policy is effective as of February 26th, 2014, as the GDPR requires.")
    assert own is not None and own.value == date(2014, 2, 26)


def test_french_cues() -> None:
    text = (
        "Politique de confidentialité\n\nEn vigueur depuis le 1er septembre 2017.\n\n"
        + BODY
        + "Le règlement général sur la protection des données (RGPD), en vigueur depuis le 25 mai 2018, "
        "encadre ces traitements.\n\n" + BODY
    )
    found = stated_date(text)
    assert found is not None and found.value == date(2017, 9, 1)
    found = stated_date("Politique de confidentialité\n\nMise à jour le 3 févr. 2022\n\nNous collectons ...")
    assert found is not None and found.value == date(2022, 2, 3)
    found = stated_date("Date d'entrée en vigueur : 15/06/2021")
    assert found is not None and found.value == date(2021, 6, 15)


def test_german_cues() -> None:
    text = (
        "Datenschutzerklärung\n\nStand: 1. März 2019\n\n"
        + BODY
        + "Das Bundesdatenschutzgesetz wurde zuletzt geändert am 20. November 2019.\n\n"
        + BODY
    )
    found = stated_date(text)
    assert found is not None and found.value == date(2019, 3, 1)
    for cue in ("Gültig ab", "Diese Datenschutzerklärung gilt ab dem", "Zuletzt aktualisiert am", "In Kraft seit"):
        found = stated_date(f"{cue} 1. Okt. 2020\n\nWir verarbeiten Ihre Daten ...")
        assert found is not None and found.value == date(2020, 10, 1), cue


def test_a_cue_near_the_top_or_bottom_outranks_one_in_the_body() -> None:
    aside = "Updated on March 2, 2015, our systems encrypt your data at rest.\n\n"
    found = stated_date("Privacy Policy\n\nEffective: January 5, 2014\n\n" + BODY + aside + BODY)
    assert found is not None and found.value == date(2014, 1, 5)
    # the same body date wins once it stands at the bottom
    found = stated_date("Privacy Policy\n\nEffective: January 5, 2014\n\n" + BODY + "Updated on March 2, 2015.")
    assert found is not None and found.value == date(2015, 3, 2)


def test_the_title_and_the_closing_line_state_a_date_only_at_the_edges() -> None:
    found = stated_date("Caribou Privacy Statement June 3, 2003\n\n" + BODY)
    assert found is not None and found.value == date(2003, 6, 3)
    assert stated_date(BODY + "See our privacy policy June 3, 2003 for the old rules.\n\n" + BODY) is None
    found = stated_date(BODY + "We keep your data safe.\n\n*May 12, 2014*\n")
    assert found is not None and found.value == date(2014, 5, 12) and found.cue == "closing line"
    # a date alone on a line at the top is a "today's date" widget, not a statement
    assert stated_date("Thursday, July 2, 2015\n\n" + BODY) is None


@pytest.mark.parametrize(
    "text",
    [
        "Privacy Policy March 3, 2021\n\n" + BODY,  # the title's date
        BODY + "Version: June 5, 2021",
        BODY + "We keep your data safe.\n\nMay 12, 2021\n",  # the closing line
        "Stand: 1. März 2021\n\n" + BODY,
        "Dernière mise à jour : 2 janvier 2021\n\n" + BODY,
    ],
)
def test_no_date_after_the_capture_from_any_cue(text: str) -> None:
    at = datetime(2020, 1, 1)
    uncapped = stated_date(text)
    assert uncapped is not None and uncapped.value.year == 2021
    assert stated_date(text, at) is None
    # an earlier, weaker statement is what the capture can have stated
    found = stated_date(text + "\n\nEffective as of May 1, 2016.", at)
    assert found is not None and found.value == date(2016, 5, 1)
