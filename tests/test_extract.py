"""Extraction: decoding, markdown structure, the structural safeguard, combined pages, PDF, plain text, bounds."""

from __future__ import annotations

import gzip
import io
import random
import re
from collections.abc import Callable
from datetime import datetime

import lxml.html
import pytest
from pypdf import PdfWriter

from pipelines.text import describe, restore
from pipelines.text import extract as ex
from pipelines.text import markdown as readings
from pipelines.text import walk as page_walk
from pipelines.text.decode import MAX_HTML_BYTES, decode
from pipelines.text.extract import extract
from pipelines.text.focus import focus_privacy
from pipelines.text.keys import inert_key
from pipelines.text.markdown import html_to_markdown
from pipelines.text.normalize import normalize, text_hash

POLICY_BODY = """
<h1>Privacy Policy</h1>
<p>Last updated: March 3, 2019</p>
<h2>Information we collect</h2>
<p>We collect personal information such as your name and email address when you register for an account.</p>
<ul>
<li>Contact details you give us when you create an account or order a product.</li>
<li>Usage data such as your IP address, browser type and the pages you visit on our site.</li>
</ul>
<h2>How we share information</h2>
<p>We share personal information with third parties who provide services to us, under contract.</p>
<h2>Your choices</h2>
<p>You may opt out of marketing email at any time by following the unsubscribe link in the message.</p>
<p>If you have questions about this privacy policy, contact us at privacy@example.com.</p>
"""


def page(body: str, head: str = "<title>Privacy Policy | Acme</title>") -> str:
    nav = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/shop'>Shop</a></li></ul></nav>"
    return f"<html><head>{head}</head><body>{nav}<main>{body}</main><footer>&copy; 2019 Acme</footer></body></html>"


def test_policy_page_keeps_headings_and_list_items_as_markdown() -> None:
    md = html_to_markdown(page(POLICY_BODY))
    lines = md.splitlines()
    assert any(line.startswith("#") and "Information we collect" in line for line in lines)
    assert sum(line.startswith("- ") for line in lines) == 2
    assert "Home" not in md.split()  # navigation is not content


def test_extract_describes_a_policy() -> None:
    doc = extract(page(POLICY_BODY).encode(), "text/html; charset=utf-8", captured_at=datetime(2020, 1, 1))
    assert doc.status == "ok" and doc.is_policy
    assert doc.title == "Privacy Policy | Acme"
    assert doc.language == "en"
    assert doc.stated_date == "2019-03-03"
    assert doc.word_count == len(doc.text.split()) and doc.fk_grade is not None
    assert set(doc.contract()) <= set(doc.row())


def test_a_date_in_the_article_header_is_read_though_the_text_drops_it() -> None:
    body = POLICY_BODY.replace("<h1>Privacy Policy</h1>\n<p>Last updated: March 3, 2019</p>", "")
    header = "<header><h1>Privacy Policy</h1><p>Last revised: December 23, 2013</p></header>"
    html = page(body).replace("<main>", header + "<main>")
    doc = extract(html.encode(), "text/html", captured_at=datetime(2015, 7, 8))
    assert "2013" not in doc.text  # boilerplate stripping removed the header from the main text
    assert doc.stated_date == "2013-12-23" and doc.stated_date_confidence is not None
    assert doc.stated_date_confidence < 1.0  # read off the page, not the text
    assert extract(html.encode(), "text/html", captured_at=datetime(2013, 12, 1)).stated_date is None


def test_a_month_only_date_is_refined_by_the_full_date_on_the_page() -> None:
    body = POLICY_BODY.replace("Last updated: March 3, 2019", "Most recent change – January 2015")
    aside = "<aside>x</aside><div id='last-updated'>Last updated: 14 January 2015</div>"
    html = page(body).replace("<footer>", aside + "<footer>")
    doc = extract(html.encode(), "text/html", captured_at=datetime(2015, 7, 2))
    assert "14 January" not in doc.text and doc.stated_date == "2015-01-14"
    # a full date of another month does not replace the text's own statement
    other = html.replace("14 January 2015", "14 March 2015")
    assert extract(other.encode(), "text/html", captured_at=datetime(2015, 7, 2)).stated_date == "2015-01-01"
    # the page can change such a date, so a document read once is not re-dated without its page
    assert ex.dated_like(doc, datetime(2015, 8, 1)) is None


def test_same_page_twice_is_not_emptied_by_deduplication() -> None:
    html = page(POLICY_BODY)
    assert html_to_markdown(html) == html_to_markdown(html) != ""


@pytest.mark.parametrize(
    ("payload", "ctype", "expected"),
    [
        ("café – “quoted” naïve".encode("windows-1252"), None, "café – “quoted” naïve"),
        ("café – “quoted”".encode("windows-1252"), "text/html; charset=iso-8859-1", "café – “quoted”"),
        (b'<meta charset="iso-8859-1"><p>' + "déjà €5".encode("cp1252"), None, "déjà €5"),
        (b"\xef\xbb\xbf<p>" + "naïve".encode(), None, "naïve"),
        (b"\xff\xfe" + "<p>naïve</p>".encode("utf-16-le"), None, "naïve"),
        ("日本語のプライバシー".encode(), "text/html; charset=utf-8", "日本語のプライバシー"),
        # a wrong declaration (utf-8 bytes declared latin-1 is legal cp1252, so test the reverse): cp1252 as utf-8
        ("réglé".encode("cp1252"), "text/html; charset=utf-8", "réglé"),
    ],
)
def test_decode_handles_missing_and_wrong_charsets(payload: bytes, ctype: str | None, expected: str) -> None:
    assert expected in decode(payload, ctype)


def test_plain_text_and_pdf_payloads() -> None:
    text = "Privacy Policy\n\n" + re.sub(r"<[^>]+>", "\n", POLICY_BODY.split("</h1>", 1)[1])
    doc = extract(text.encode(), "text/plain")
    assert doc.status == "ok" and doc.text.startswith("Privacy Policy")

    buf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.write(buf)
    blank = extract(buf.getvalue(), "application/pdf")
    assert blank.status == "empty"  # a PDF with no text layer: nothing to read, but no error


def test_gzip_payload_is_inflated_and_bombs_are_refused() -> None:
    html = page(POLICY_BODY).encode()
    assert extract(gzip.compress(html), "text/html").status == "ok"
    bomb = gzip.compress(b"<p>" + b"a" * (MAX_HTML_BYTES + 10))
    assert extract(bomb, "text/html").status == "too_large"


def test_bounds_and_statuses() -> None:
    assert extract(b"x" * (MAX_HTML_BYTES + 1), "text/html").status == "too_large"
    assert extract(bytes(range(256)) * 100, "application/octet-stream").status == "not_html"
    assert extract(b"", "text/html").status == "empty"
    assert extract(b"%PDF-1.4 garbage", "application/pdf").status == "error"


def test_safeguard_falls_back_when_tuned_pass_loses_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate trafilatura keeping only the first heading: the safeguard must notice and use another reading.
    monkeypatch.setattr(readings, "tuned", lambda html: "# Privacy Policy")
    md = html_to_markdown(page(POLICY_BODY))
    assert "How we share information" in md and "opt out of marketing" in md


def test_combined_page_keeps_the_privacy_part() -> None:
    terms = "\n\n".join(
        f"Terms paragraph {i} about warranties, liability and arbitration of disputes." for i in range(5)
    )
    privacy = "\n\n".join(f"We collect personal information item {i} and protect it with care." for i in range(20))
    md = f"## Terms of Use\n\n{terms}\n\n## Privacy Policy\n\n{privacy}\n\n## Copyright\n\nAll rights reserved."
    out = focus_privacy(md)
    assert out.startswith("## Privacy Policy") and "warranties" not in out and "rights reserved" not in out
    plain = f"# Privacy Policy\n\n{privacy}\n\n## Changes to this Privacy Policy\n\nWe may update it."
    assert focus_privacy(plain) == plain  # no terms section: nothing cut


def test_section_headers_are_content_and_combined_title_is_not_the_privacy_part() -> None:
    # A user agreement and a privacy policy on one page, each part titled in an HTML5 <header> (trafilatura drops
    # them); the site's banner (logo link and menu) is a <header> too and stays out.
    def part(title: str, paragraphs: str) -> str:
        return f"<div class='row'><header class='text-center'><h2>{title}</h2></header><hr>{paragraphs}</div>"

    def terms(n: int) -> str:
        return "".join(
            f"<p>Paragraph {i} of part {n} on warranties, liability and arbitration of disputes.</p>" for i in range(8)
        )

    privacy = "".join(
        f"<p>We collect personal information item {i} and protect it with reasonable care.</p>" for i in range(40)
    )
    parts = ["I. RULES OF USAGE", "II. MONITORING OF USER CONTENT", "III. REGISTRATION AND ACCOUNTS"]
    body = (
        "<header><h1><a href='/'>Acme News</a></h1><nav><a href='/'>Home</a> <a href='/x'>Sports</a></nav></header>"
        + part("User Agreement and Privacy Policy", "<p>Last Revised: December 23, 2013</p>")
        + "".join(part(title, terms(n)) for n, title in enumerate(parts))
        + part("PRIVACY POLICY", privacy)
    )
    md = html_to_markdown(f"<html><head><title>Acme</title></head><body>{body}</body></html>")
    assert md.startswith("## PRIVACY POLICY")
    assert "item 39" in md and "warranties" not in md and "Sports" not in md


def test_normalize_and_hash_ignore_markup_case_and_spacing() -> None:
    assert normalize("## Hello   **World**") == "hello world"
    assert text_hash("# A\n\nb") == text_hash("a B") != text_hash("a c")


def test_policy_in_one_table_cell_keeps_its_paragraphs() -> None:
    # Old sites lay a policy out in a table cell; trafilatura renders the cell as one markdown table row, which
    # would make the whole policy one segment. The safeguard must give the paragraphs back.
    paras = "".join(
        f"<p>Paragraph {i}: we collect personal information such as your name and address when you order.</p>"
        for i in range(12)
    )
    html = page(f"<table><tr><td>{paras}</td></tr></table>")
    md = html_to_markdown(html)
    lines = [line for line in md.splitlines() if line.strip()]
    assert sum("we collect personal information" in line for line in lines) == 12
    assert not any(line.lstrip().startswith("|") for line in lines)


def test_page_is_parsed_once_and_trafilatura_reads_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    seen: list[type] = []
    real_load, real_extract = readings.load_page, readings.trafilatura.extract
    monkeypatch.setattr(readings, "load_page", lambda html: loads.append(html) or real_load(html))
    monkeypatch.setattr(
        readings.trafilatura, "extract", lambda page, **kw: seen.append(type(page)) or real_extract(page, **kw)
    )
    doc = extract(page(POLICY_BODY).encode(), "text/html")
    assert doc.status == "ok" and len(loads) == 1
    assert seen and all(t is not str for t in seen)  # a tree, never the HTML string parsed a second time


@pytest.mark.parametrize(
    "text",
    [
        POLICY_BODY,
        "We use cookies. Short one! A sentence with several words in it, and another clause; then more words here.",
        "# Privacy Policy\n\n- Contact details you give us.\n- Usage data such as your IP address and browser type.",
    ],
)
def test_fk_grade_matches_textstat(text: str) -> None:
    textstat = pytest.importorskip("textstat")
    clean = re.sub(r"<[^>]+>", " ", text)
    assert describe.fk_grade(clean) == pytest.approx(textstat.flesch_kincaid_grade(clean), abs=0.5)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("# Privacy\n\nAcme Inc.\n\n" + re.sub(r"<[^>]+>", "", POLICY_BODY), "en"),
        (
            "# Politique de confidentialité\n\nNous collectons vos données personnelles lorsque vous créez un compte "
            "sur notre site. Nous ne vendons jamais vos données à des tiers sans votre consentement explicite.",
            "fr",
        ),
        (
            "# Datenschutzerklärung\n\nWir erheben personenbezogene Daten nur, wenn Sie uns diese freiwillig "
            "mitteilen. Ihre Daten werden nicht ohne Ihre ausdrückliche Einwilligung an Dritte weitergegeben.",
            "de",
        ),
    ],
)
def test_language_of_the_prose(text: str, lang: str) -> None:
    assert describe.language(text) == lang


def _cf_protect(address: str, key: int) -> str:
    hex_ = bytes([key, *(b ^ key for b in address.encode())]).hex()
    return (
        f'<a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="{hex_}">[email&#160;protected]</a>'
    )


def test_cloudflare_protected_addresses_are_decoded_whatever_the_key() -> None:
    page = "<html><body><h1>Privacy Policy</h1><p>Write to {a} with any question about your data.</p></body></html>"
    texts = {
        extract(page.format(a=_cf_protect("privacy@acme.example", key)).encode(), "text/html").text for key in (7, 200)
    }
    assert len(texts) == 1  # the random key of each fetch leaves no trace
    (text,) = texts
    assert "privacy@acme.example" in text and "protected" not in text


def _capture(body: str, token: str, style: str = "p{}", ld: str = "{}") -> bytes:
    head = (
        f"<title>Privacy Policy | Acme</title><style>{style}</style>"
        f"<script>var csrf='{token}';</script><script type='application/ld+json'>{ld}</script><!-- cache {token} -->"
    )
    return page(body, head).encode()


def test_pages_equal_but_for_scripts_styles_and_comments_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    real = readings.html_to_markdown
    monkeypatch.setattr(readings, "html_to_markdown", lambda html, root=None: reads.append(1) or real(html, root))
    body = POLICY_BODY.replace("March 3, 2019", "June 1, 2021")
    changed = body.replace("opt out of marketing email", "opt out of all marketing email")
    tasks = [
        (_capture(body, "a1", "p{color:red}"), "text/html", datetime(2021, 3, 1)),  # before the stated date
        (_capture(body, "b2", "p{color:blue}"), "text/html", datetime(2021, 7, 1)),  # same text: not read again
        (_capture(changed, "c3"), "text/html", datetime(2021, 8, 1)),  # the text changed
        (_capture(body, "d4", ld='{"dateModified": "2021-06-01"}'), "text/html", datetime(2021, 9, 1)),  # JSON-LD
    ]
    docs = list(ex.extract_many(tasks))
    assert len(reads) == 3
    assert docs == [extract(p, c, captured_at=at) for p, c, at in tasks]
    # each capture still gets the stated date its own time allows
    assert docs[0].stated_date != "2021-06-01" and docs[1].stated_date == "2021-06-01"
    assert docs[0].text == docs[1].text != docs[2].text


def test_a_payload_whose_key_was_read_is_not_loaded() -> None:
    body = POLICY_BODY.replace("March 3, 2019", "June 1, 2021")
    pages = [_capture(body, "a1"), _capture(body, "b2"), _capture(body.replace("opt out", "unsubscribe"), "c3")]
    times = [datetime(2021, 3, 1), datetime(2021, 7, 1), datetime(2021, 8, 1)]
    loaded: list[int] = []

    def load(i: int) -> Callable[[], bytes]:
        return lambda: loaded.append(i) or pages[i]

    keys = [ex.extraction_key(p, "text/html") for p in pages]
    assert keys[0] == keys[1] != keys[2]
    docs = list(ex.extract_many([(load(i), "text/html", at) for i, at in enumerate(times)], keys))
    assert loaded == [0, 2]  # the second capture's page was read under its key already
    assert docs == [extract(p, "text/html", captured_at=at) for p, at in zip(pages, times, strict=True)]


def test_the_date_fallback_reads_a_shared_page_once_and_dates_each_capture(monkeypatch: pytest.MonkeyPatch) -> None:
    # the date is on the page around the text only (a header the main-text reading strips)
    body = "<header><p>Last updated: June 1, 2021</p></header>" + POLICY_BODY.replace(
        "<p>Last updated: March 3, 2019</p>", ""
    )
    assert "2019" not in body
    reads = []
    real = ex.page_text
    monkeypatch.setattr(ex, "page_text", lambda root, headers: reads.append(1) or real(root, headers))
    tasks = [(_capture(body, t), "text/html", datetime(2021, m, 1)) for t, m in (("a", 3), ("b", 7), ("c", 9))]
    docs = list(ex.extract_many(tasks))
    assert len(reads) == 1
    assert docs[0].stated_date != "2021-06-01" and docs[1].stated_date == docs[2].stated_date == "2021-06-01"
    assert docs == [extract(p, c, captured_at=at) for p, c, at in tasks]


def test_inert_key_is_linear_on_unterminated_markup() -> None:
    hostile = "<script " * 20_000 + "<!--" * 20_000 + "<p>text</p>"
    assert inert_key(hostile) != inert_key(hostile.replace("text", "other"))
    assert inert_key("<p>a</p><script>x</script>") == inert_key("<p>a</p><script>y</script>")
    assert inert_key("<p>a</p><!-- x -->") != inert_key("<p>b</p><!-- x -->")


COOKIE_PROSE = (
    "<p>We use cookies to measure the audience of the site and to show you advertising suited to your interests.</p>"
    "<p>Analytics cookies help us understand how visitors interact with the site, the pages they read and when.</p>"
)


def test_consent_prompts_are_dropped_whatever_their_size() -> None:
    # A consent manager's banner and preference dialog, injected at the top of the body: prose about cookies with
    # accept / refuse buttons. The dialog here holds more words than the policy; it must still go.
    dialog = (
        "<div class='xyz-modal'><div class='xyz-preference-center'><span role='heading'>Cookie settings</span>"
        + COOKIE_PROSE * 6
        + "<button>Refuse</button><button>Save my choices</button><button>Accept all</button></div></div>"
    )
    banner = f"<div class='xyz-consent-bar'>{COOKIE_PROSE}<a class='btn-accept' href='#'>I agree</a></div>"
    html = f"<html><head><title>Privacy</title></head><body>{banner}{dialog}<main>{POLICY_BODY}</main></body></html>"
    md = html_to_markdown(html)
    assert "opt out of marketing" in md and "Information we collect" in md
    assert "Analytics cookies" not in md and "Cookie settings" not in md


def test_a_page_flagged_by_its_consent_state_and_a_cookie_section_are_content() -> None:
    # A page wrapper named for the banner it shows is the page (the banner inside it is the prompt), and a
    # policy's own section on cookies has no accept button: both stay.
    section = f"<section id='cookies' class='cookie-policy'><h2>Cookies we use</h2>{COOKIE_PROSE}</section>"
    banner = "<div class='cookie-banner'><p>This site uses cookies.</p><button>Accept</button></div>"
    body = f"<div class='page cookie-banner-shown'>{banner}<main>{POLICY_BODY}{section}</main></div>"
    md = html_to_markdown(f"<html><head><title>Privacy</title></head><body>{body}</body></html>")
    assert "opt out of marketing" in md and "Analytics cookies" in md
    assert "This site uses cookies" not in md


CONTACT = (
    "<p>Please let us know if you have any questions or concerns about this policy, want to exercise your rights, "
    "or have a problem or complaint about the way we handle your personal information.</p>"
    "<p>You can write to our data protection officer at the address below, or send an e-mail to our privacy team, "
    "and we will answer every request within one month of receiving it.</p>"
)


def _sections(start: int, stop: int) -> str:
    return "".join(
        f"<div class='section'><h2>Section {i} of the policy</h2><p>Paragraph {i}: we collect personal information "
        "such as your name and address when you order, and we keep it for as long as the law requires.</p></div>"
        for i in range(start, stop)
    )


def test_a_section_trafilatura_drops_for_its_class_name_is_put_back_in_place() -> None:
    # trafilatura discards a block whose class reads like navigation ("navigation-block"), here the contact section.
    body = _sections(0, 30) + f"<div class='navigation-block'>{CONTACT}</div>" + _sections(30, 40)
    assert "data protection officer" not in readings.tuned(page(body))
    md = html_to_markdown(page(body))
    assert md.index("Paragraph 29") < md.index("data protection officer") < md.index("Paragraph 30")
    assert md.count("data protection officer") == 1


def test_restore_puts_back_a_visible_section_once_and_nothing_hidden_or_too_large() -> None:
    markdown = readings.tuned(lxml.html.fromstring(f"<html><body><main>{_sections(0, 40)}</main></body></html>"))
    assert "Paragraph 39" in markdown

    def restored(extra: str) -> str:
        body = f"<main>{_sections(0, 20)}{extra}{_sections(20, 40)}</main>"
        walk = page_walk.walk_tree(lxml.html.fromstring(f"<html><body>{body}</body></html>").find(".//body"))
        return restore.restore_dropped(markdown, walk, walk.main_span())

    out = restored(f"<div>{CONTACT}</div>")
    assert out.index("Paragraph 19") < out.index("data protection officer") < out.index("Paragraph 20")
    # the same section in two layouts (one per screen size) comes back once
    two = f"<div class='hidden-sm'>{CONTACT}</div><div class='hidden-lg'>{CONTACT}</div>"
    assert restored(two).count("data protection officer") == 1
    # hidden text (a pop-up, a collapsed note) is not put back
    assert restored(f"<div class='hide'>{CONTACT}</div>") == markdown
    # a missing part over a tenth of the text is another part of the page, which trafilatura left on purpose
    words = ("terms", "user", "agree", "service", "account", "content", "license", "warranty", "liability", "law")
    other = "".join(f"<p>{' '.join(random.Random(k).sample(words, len(words)))}.</p>" for k in range(16))
    assert restored(f"<div>{other}</div>") == markdown


def test_dialogs_are_not_content_unless_they_hold_the_page() -> None:
    dialog = (
        "<div class='modal fade'><h2>Your session has expired</h2><p>For your security you have been signed out "
        "after a period of inactivity, please sign in again to continue where you left off today.</p></div>"
        "<div role='dialog'><h2>Forgotten password</h2><p>Enter the e-mail address of your account and we will "
        "send you a link to choose a new password for your account within a few minutes.</p></div>"
    )
    md = html_to_markdown(page(POLICY_BODY + dialog))
    assert "opt out of marketing" in md and "session has expired" not in md and "Forgotten password" not in md
    shown = f"<html><head><title>Privacy</title></head><body><div role='dialog'>{POLICY_BODY}</div></body></html>"
    assert "opt out of marketing" in html_to_markdown(shown)
