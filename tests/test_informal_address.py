"""The informal-address rewrite the French/German benchmark checks the cues with (`eval_fr_de --informal`)."""

from __future__ import annotations

import pytest

from bench.practices.informal import du_text, informal, tu_text


@pytest.mark.parametrize(
    ("formal", "casual"),
    [
        ("Sie können Ihre Daten jederzeit löschen.", "Du kannst deine Daten jederzeit löschen."),
        (
            "Wenn Sie zugestimmt haben, informieren wir Sie per E-Mail.",
            "Wenn du zugestimmt hast, informieren wir dich per E-Mail.",
        ),
        # "sie" (they) is not the reader
        (
            "Die Partner erhalten Ihre Werbe-ID, wenn sie darum bitten.",
            "Die Partner erhalten deine Werbe-ID, wenn sie darum bitten.",
        ),
    ],
)
def test_german_formal_address_becomes_du(formal: str, casual: str) -> None:
    assert du_text(formal) == casual


@pytest.mark.parametrize(
    ("formal", "casual"),
    [
        ("Vous pouvez supprimer votre compte.", "Tu peux supprimer ton compte."),
        ("Vous pouvez vous opposer au traitement de vos données.", "Tu peux t’opposer au traitement de tes données."),
        ("Contactez-nous pour exercer vos droits.", "Contacte-nous pour exercer tes droits."),
        ("Nous vous informons que ces données vous concernent.", "Nous t’informons que ces données te concernent."),
    ],
)
def test_french_formal_address_becomes_tu(formal: str, casual: str) -> None:
    assert tu_text(formal) == casual


def test_other_languages_are_left_alone() -> None:
    text = "You can delete your account. Sie können Ihre Daten löschen."
    assert informal(text, "en") == text
