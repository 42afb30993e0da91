"""is_policy score: policies high, look-alike pages low; features behave as documented."""

from __future__ import annotations

import pytest

from pipelines.text.classify import POLICY_THRESHOLD, features, policy_score

POLICY = """# Privacy Policy

Last updated: May 2, 2021

This privacy policy explains how Acme collects, uses and shares personal information.

## Information we collect
We collect your name, email address and IP address when you create an account. We use cookies and web beacons.

## How we use and share information
We use the information to provide the service. We share personal information with third parties that process
it on our behalf, and we may disclose it when the law requires.

## Your choices
You can opt out of marketing email, and you have the right to access or delete your data.

## Security and retention
We protect your data with encryption and retain it only as long as needed.

## Children
Our service is not directed to children under 13.

## Changes to this policy
We may update this policy. Contact us at privacy@acme.example with questions about this policy.
""" + "\n".join(f"We describe practice number {i} here in plain words for the reader." for i in range(20))

TERMS = (
    """# Terms of Service

By using the Service you agree to these Terms. Your use is also governed by our Privacy Policy, which explains how
we collect personal information. THE SERVICE IS PROVIDED AS IS WITHOUT WARRANTIES. We are not liable for damages.
You agree to indemnify us. These Terms are governed by the laws of Delaware and disputes go to arbitration. We may
terminate this agreement at any time. We may change these Terms; continued use means you accept these Terms.
"""
    * 3
)

COOKIE_WALL = """## Before you continue
We use cookies and data to deliver and maintain services and to show personalised ads. We and our partners
process personal data such as unique identifiers. Accept all. Reject all. More options."""

NOT_POLICIES = {
    "terms": (TERMS, "Terms of Service"),
    "cookie_wall": (COOKIE_WALL, "Acme"),
    "404": ("Page not found. The page you requested does not exist. Privacy Policy | Terms", "404 Not Found"),
    "wayback": ("Hrm. The Wayback Machine has not archived that URL.", "Wayback Machine"),
    "wayback_302": ("Got an HTTP 302 response at crawl time. Redirecting to http://acme.example/privacy", ""),
    "parked": ("acme.example is for sale! Buy this domain today. Related searches: insurance", "acme.example"),
    "login": ("Sign in to continue. Email. Password. By signing in you agree to our Privacy Policy.", "Sign in"),
    "article": (
        "Regulators fined the company over how it handled personal data, saying its cookie banners did not give "
        "users a choice. The company said it would appeal. " * 4,
        "Regulators fine tech firm - Daily News",
    ),
}


def test_policy_scores_high() -> None:
    assert policy_score(POLICY, "Privacy Policy - Acme") > 0.9


@pytest.mark.parametrize("kind", sorted(NOT_POLICIES))
def test_look_alikes_score_low(kind: str) -> None:
    text, title = NOT_POLICIES[kind]
    assert policy_score(text, title) < POLICY_THRESHOLD


def test_score_is_a_probability_and_monotone_in_coverage() -> None:
    short = POLICY.split("## How we use")[0]
    assert 0.0 <= policy_score(short, "") < policy_score(POLICY, "") <= 1.0
    assert 0.0 <= policy_score("", "") < 0.01


def test_features_count_distinct_concepts_not_repetitions() -> None:
    once = features(COOKIE_WALL)["concepts"]
    assert features(COOKIE_WALL * 20)["concepts"] == once < features(POLICY)["concepts"]
    assert features(TERMS)["terms_self"] > features(TERMS)["policy_self"]


def test_other_languages() -> None:
    fr = (
        "# Politique de confidentialité\n\nCette politique décrit comment nous collectons vos données personnelles, "
        "les cookies, le partage avec des tiers, votre droit d'accès, la sécurité et la conservation des données. "
        "Pour toute question, contactez notre délégué à la protection des données. " * 6
    )
    assert policy_score(fr, "Politique de confidentialité") > POLICY_THRESHOLD


@pytest.mark.parametrize("text", [POLICY, TERMS, COOKIE_WALL, NOT_POLICIES["article"][0], POLICY.upper()])
def test_re2_concepts_agree_with_python_re(text: str) -> None:
    # The concept patterns run on RE2 for speed; they must find what Python's re finds with the same patterns.
    import re

    from pipelines.text.classify import CONCEPT_PATTERNS

    expected = sum(bool(re.search(p, text, re.I)) for p in CONCEPT_PATTERNS.values())
    assert features(text)["concepts"] == expected
