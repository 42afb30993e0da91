"""Segmentation: blocks and heading paths, stable ids under reordering and renaming, ancestors of edited text."""

from __future__ import annotations

from pipelines.text.segment import ancestors, segment_document, segment_markdown

POLICY = """# Privacy Policy

## Information We Collect

We collect your name, email address and postal address when you register for an account.

We also collect the pages you visit and the time you spend on them through log files.

## Sharing

We share your information with service providers who process payments for us.

We may disclose information when required by law or to respond to a subpoena.

## Your Choices

You can opt out of promotional emails at any time by clicking the unsubscribe link.
"""


def _sections(markdown: str) -> dict[str, str]:
    """The `## ` sections of a markdown text, by heading, each with its body."""
    out: dict[str, str] = {}
    for chunk in markdown.split("\n## ")[1:]:
        head, _, body = chunk.partition("\n")
        out[head] = body
    return out


def _ids(markdown: str) -> dict[str, str]:
    return {s.text: s.segment_id for s in segment_markdown(markdown)}


def test_paragraphs_carry_their_heading_path() -> None:
    segs = segment_markdown(POLICY)
    assert [s.kind for s in segs] == ["paragraph"] * 5
    assert segs[2].heading_path == ["Privacy Policy", "Sharing"]
    assert [s.position for s in segs] == list(range(5))
    assert len({s.segment_id for s in segs}) == 5


def test_reordered_sections_keep_their_ids() -> None:
    parts = _sections(POLICY)
    order = ["Your Choices", "Sharing", "Information We Collect"]
    reordered = "# Privacy Policy\n\n" + "".join(f"## {h}\n{parts[h]}\n" for h in order)
    before, after = _ids(POLICY), _ids(reordered)
    assert before == after
    assert [s.text for s in segment_markdown(reordered)] != [s.text for s in segment_markdown(POLICY)]


def test_renamed_parent_heading_keeps_ids_but_renamed_section_moves_them() -> None:
    before = _ids(POLICY)
    assert _ids(POLICY.replace("# Privacy Policy", "# Privacy Notice (2021)")) == before
    renamed = _ids(POLICY.replace("## Sharing", "## Disclosure"))
    changed = {t for t in before if before[t] != renamed[t]}
    assert changed == {t for t in before if "share" in t or "disclose" in t}


def test_same_text_twice_in_one_section_gets_two_ids() -> None:
    text = "## Contact\n\nWrite to us.\n\nCall us on weekdays between nine and five please.\n\nWrite to us.\n"
    segs = segment_markdown(text)
    assert len(segs) == 3 and segs[0].text == segs[2].text
    assert segs[0].segment_id != segs[2].segment_id


def test_lightly_edited_paragraph_is_linked_to_its_ancestor() -> None:
    old = segment_markdown(POLICY)
    edited = POLICY.replace("service providers who process payments", "trusted service providers who process payments")
    new = segment_markdown(edited)
    old_by_text = {s.text: s.segment_id for s in old}
    new_by_text = {s.text: s.segment_id for s in new}
    changed = [t for t in new_by_text if t not in old_by_text]
    assert len(changed) == 1
    links = ancestors(old, new)
    assert links == {new_by_text[changed[0]]: old_by_text[changed[0].replace("trusted ", "")]}


def test_rewritten_paragraph_has_no_ancestor() -> None:
    old = segment_markdown(POLICY)
    new = segment_markdown(
        POLICY.replace(
            "We may disclose information when required by law or to respond to a subpoena.",
            "Our mobile apps store crash reports on your phone until you send them.",
        )
    )
    assert ancestors(old, new) == {}


def test_list_items_keep_their_lead_in() -> None:
    text = "## Data\n\nWe collect the following:\n\n- your email address\n- your phone number\n"
    items = [s for s in segment_markdown(text) if s.kind == "list_item"]
    assert [s.text.splitlines()[0] for s in items] == ["We collect the following:"] * 2
    assert items[1].text.endswith("your phone number")


def test_bold_line_is_a_heading_not_a_segment() -> None:
    text = "## Cookies\n\n**Advertising cookies**\n\nOur partners set cookies to show you relevant adverts.\n"
    segs = segment_markdown(text)
    assert [s.text for s in segs] == ["Our partners set cookies to show you relevant adverts."]
    assert segs[0].heading_path == ["Cookies", "Advertising cookies"]


def test_address_lines_are_one_segment() -> None:
    text = (
        "## Contact Us\n\nExample Corp\n\nAttn: Privacy Office\n\n100 Main Street, Suite 4\n\n"
        "Springfield, IL 62701\n\nWe reply to every letter within a week.\n"
    )
    segs = segment_markdown(text)
    lines = ["Example Corp", "Attn: Privacy Office", "100 Main Street, Suite 4", "Springfield, IL 62701"]
    assert segs[0].text.splitlines() == lines
    assert len(segs) == 2


def test_html_input_is_segmented_by_its_headings() -> None:
    html = (
        "<html><body><h1>Privacy Policy</h1><h2>Security</h2>"
        "<p>We use encryption to protect your data while it travels between your browser and our servers.</p>"
        "<h2>Children</h2><p>We do not knowingly collect personal information from children under thirteen.</p>"
        "</body></html>"
    )
    segs = segment_document(html.encode(), "text/html")
    paths = {s.heading_path[-1] for s in segs if s.heading_path}
    assert {"Security", "Children"} <= paths
