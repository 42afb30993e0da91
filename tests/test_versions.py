"""Version grouping on synthetic captures: what must and must not make a new version."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from pipelines.history.versions import VERSION_INPUT_COLUMNS, canonical_line, group_versions, version_key

BODY = (
    "# Privacy Policy\n\nLast updated: March 3, 2019\n\n## Information we collect\n\n"
    "We collect your name and email address when you register.\n\n## Sharing\n\n"
    "We share personal information with service providers who help us run the site.\n\n"
    "{extra}© {year} Acme Inc.\n"
)


def page(year: int = 2019, extra: str = "") -> str:
    return BODY.format(year=year, extra=extra)


def captures(texts: list[str], site: str = "acme", start: datetime = datetime(2019, 4, 1)) -> pd.DataFrame:
    rows = [
        {
            "capture_id": f"{site}-{i}",
            "site_id": site,
            "url": f"https://{site}.example/privacy",
            "captured_at": start + timedelta(days=30 * i),
            "payload_sha256": f"p{i}",
            "text": t,
            "stated_date": None,
            "word_count": len(t.split()),
        }
        for i, t in enumerate(texts)
    ]
    return pd.DataFrame(rows, columns=VERSION_INPUT_COLUMNS)


def starts(texts: list[str]) -> list[int]:
    """Indexes of the captures that start a version."""
    _, links = group_versions(captures(texts))
    return [i for i, v in enumerate(links["version_id"]) if i == 0 or v != links["version_id"][i - 1]]


def test_markup_only_and_copyright_year_changes_make_no_version() -> None:
    markup = page().replace("## Sharing", "### **Sharing**").replace("We collect", "We  *collect*")
    assert starts([page(2019), page(2020), markup, page(2021) + "\n\n"]) == [0]


@pytest.mark.parametrize(
    "noise",
    [
        "Page generated in 0.{n}37 seconds at 12:{n}4:05.\n\n",  # timings and times
        "Build a8f3c2{n}9e0b7d6c5a4f3e2d1c0b9a8f7e6d5.\n\n",  # nonce / build hash
        "Contact us: s[email protected]\n\n".replace("s[", "{n}["),  # e-mail obfuscation
    ],
)
def test_volatile_tokens_make_no_version(noise: str) -> None:
    texts = [page(extra=noise.format(n=n)) for n in range(1, 4)]
    assert starts(texts) == [0]


def test_todays_date_widget_is_not_a_version_but_a_new_stated_date_is() -> None:
    start = datetime(2019, 4, 1)
    today = [page(extra=f"Today is {(start + timedelta(days=30 * i)):%B %d, %Y}.\n\n") for i in range(3)]
    _, links = group_versions(captures(today, start=start))
    assert links["version_id"].nunique() == 1
    # The policy itself says it changed: that is a new version even with no other edit.
    restated = [page(), page().replace("March 3, 2019", "June 1, 2019")]
    assert starts(restated) == [0, 1]


def test_a_real_text_change_makes_a_version_even_a_small_one() -> None:
    edited = page().replace("service providers", "advertising partners")
    added = page(extra="We keep your data for 30 days after you close your account.\n\n")
    assert starts([page(), page(), edited, edited, added]) == [0, 2, 4]


def test_a_revert_is_a_new_version() -> None:
    a, b = page(), page().replace("name and email", "name, email and phone number")
    versions, links = group_versions(captures([a, b, a]))
    assert list(versions["version_no"]) == [1, 2, 3]
    assert version_key(a) == version_key(page(2024))  # the key itself ignores the copyright year


def test_windows_are_ordered_and_chained() -> None:
    texts = [page(), page(), page(extra="New paragraph about cookies and analytics.\n\n"), page(extra="x y z.\n\n")]
    versions, links = group_versions(captures(texts))
    assert list(versions["n_captures"]) == [2, 1, 1]
    assert versions["is_current"].tolist() == [False, False, True]
    for prev, nxt in zip(versions.itertuples(), versions.iloc[1:].itertuples(), strict=False):
        assert prev.valid_from <= prev.last_captured_at < nxt.valid_from
        assert nxt.changed_after == prev.last_captured_at and prev.valid_to == nxt.valid_from
    assert pd.isna(versions.iloc[0]["changed_after"]) and pd.isna(versions.iloc[-1]["valid_to"])
    assert len(links) == len(texts)


def test_sites_are_grouped_independently() -> None:
    df = pd.concat([captures([page(), page()], site="a"), captures([page(), page(extra="Other text.\n\n")], site="b")])
    versions, _ = group_versions(df)
    assert versions.groupby("site_id").size().to_dict() == {"a": 1, "b": 2}


def test_canonical_line_masks_dates_and_ids_but_keeps_words() -> None:
    assert canonical_line("Effective 2020-01-02, ref 1653379842366") == canonical_line(
        "Effective 2021-12-31, ref 99999999"
    )
    assert canonical_line("We sell data.") != canonical_line("We do not sell data.")


HOME = (
    "# Acme: widgets for everyone\n\nShop the new spring collection today.\n\nFree shipping on orders over $50.\n\n"
    "Our customers love us: read their stories.\n\nSign up for our newsletter and get 10% off.\n"
)


def linked(texts: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Versions, and {capture_id: version_id} for the captures that joined one."""
    versions, links = group_versions(captures(texts))
    return versions, dict(zip(links["capture_id"], links["version_id"], strict=True))


@pytest.mark.parametrize("n_home", [1, 2])
def test_a_home_page_served_for_a_while_at_the_policy_url_is_no_version(n_home: int) -> None:
    texts = [page(), *[HOME] * n_home, page()]
    versions, links = linked(texts)
    assert len(versions) == 1 and versions.iloc[0]["n_captures"] == 2
    assert sorted(links) == ["acme-0", f"acme-{n_home + 1}"]  # the home page captures join no version


def test_a_home_page_between_a_policy_and_its_edit_is_skipped_and_the_edit_is_a_version() -> None:
    edited = page().replace("service providers", "advertising partners")
    versions, links = linked([page(), HOME, edited])
    assert list(versions["n_captures"]) == [1, 1] and "acme-1" not in links
    assert versions.iloc[1]["changed_after"] == versions.iloc[0]["last_captured_at"]


def test_a_policy_replaced_for_good_is_a_change() -> None:
    # nothing related follows: the grouping cannot call it a stand-in (keeping such pages out is the classifier's job)
    assert starts([page(), HOME, HOME]) == [0, 1]


def test_a_flip_between_two_variants_of_a_policy_is_a_version_each_time() -> None:
    # A members' variant rewrites most of the text but keeps part of it: related, so every flip counts.
    members = (
        "# Privacy Policy (members' area)\n\nLast updated: March 3, 2019\n\n## Information we collect\n\n"
        "We collect your name and email address when you register.\n\n## Your profile\n\n"
        "Members see your photos, your age and the city you chose to show on your profile.\n"
    )
    assert starts([page(), members, page(), members]) == [0, 1, 2, 3]
