"""The rules tagger: modern markers fire on realistic sentences and not on passing words; the tag CLI contract."""

from __future__ import annotations

import io
import json

import pytest

from pipelines import cli
from pipelines.practices.rules import FALLBACK_AT, NO_PRACTICE_CUE, RulesTagger, score_text, tag_text
from pipelines.practices.taggers import load_tagger
from pipelines.practices.vocabulary import MARKERS, OPP115_CATEGORIES

# (marker, a sentence a policy would contain, a decoy that only mentions the word in passing)
MARKER_CASES = [
    (
        "cookies",
        "We use cookies and similar technologies to remember your preferences and analyse traffic on our website.",
        "Try our grandmother's chocolate chip cookie recipe, baked fresh every morning.",
    ),
    (
        "children",
        "We do not knowingly collect personal information from children under the age of 13.",
        "Our store sells children's books, toys and games for every age.",
    ),
    (
        "california",
        "Under California's Shine the Light law, California residents may request information about disclosures.",
        "Our headquarters moved to a sunny office in California last spring.",
    ),
    (
        "california",
        "To exercise your rights under the CCPA, click Do Not Sell My Personal Information.",
        "We sell hand-made pottery from our studio near San Diego.",
    ),
    (
        "gdpr",
        "If you are in the EEA, you may contact our Data Protection Officer or lodge a complaint with a supervisory "
        "authority.",
        "Our officers protect the building and the data center around the clock.",
    ),
    (
        "gdpr",
        "We rely on our legitimate interests as the legal basis for processing your personal data.",
        "Visitors have a legitimate reason to ask about parking on the basis of their ticket.",
    ),
    (
        "safe_harbor",
        "We comply with the U.S.-EU Safe Harbor Framework as set forth by the U.S. Department of Commerce.",
        "Our ferry leaves from Safe Harbor Marina at noon each day.",
    ),
    (
        "privacy_shield",
        "We participate in the EU-U.S. Privacy Shield Framework and have certified to the Department of Commerce.",
        "Apply the privacy screen shield to your laptop display to stop people looking over your shoulder.",
    ),
    (
        "data_privacy_framework",
        "We comply with the EU-U.S. Data Privacy Framework as set forth by the U.S. Department of Commerce.",
        "Our data team built a framework for tracking inventory privately in each store.",
    ),
    (
        "self_regulatory",
        "We adhere to the Digital Advertising Alliance's self-regulatory principles; look for the AdChoices icon.",
        "We trust our advertising agency to choose the right ads for our magazine.",
    ),
    (
        "do_not_track",
        "Our site does not respond to Do Not Track signals sent by your browser.",
        "We do not track inventory by hand any more; the scanner does it.",
    ),
]


def _markers(text: str) -> set[str]:
    return {t.category for t in tag_text(text) if t.category in MARKERS}


@pytest.mark.parametrize(("marker", "sentence", "decoy"), MARKER_CASES, ids=[c[0] for c in MARKER_CASES])
def test_marker_fires_on_sentence_not_on_decoy(marker: str, sentence: str, decoy: str) -> None:
    assert marker in _markers(sentence)
    assert marker not in _markers(decoy)


def test_every_marker_has_a_case() -> None:
    assert {c[0] for c in MARKER_CASES} == set(MARKERS)


def test_tags_carry_score_and_cue_from_the_text() -> None:
    text = "We may share your personal information with third parties for advertising purposes."
    tags = {t.category: t for t in tag_text(text)}
    third = tags["Third Party Sharing/Collection"]
    assert 0 < third.score <= 1
    assert third.cue and third.cue.lower() in text.lower()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We use SSL encryption and firewalls to protect your information from unauthorized access.", "Data Security"),
        (
            "We may update this privacy policy from time to time and will post the changes on this page.",
            "Policy Change",
        ),
        ("We retain your personal information for as long as your account is active.", "Data Retention"),
        ("You may opt out of receiving promotional emails by clicking the unsubscribe link.", "User Choice/Control"),
    ],
)
def test_opp115_categories_fire(text: str, category: str) -> None:
    tags = {t.category for t in tag_text(text)}
    assert category in tags
    assert tags <= set(OPP115_CATEGORIES) | set(MARKERS)


def test_unrelated_text_gets_no_practice() -> None:
    """No practice cue: the segment is Other (OPP-115's 'practice not covered'), and the tag says why."""
    tags = tag_text("The weather in Lisbon was mild and the trams ran on time.")
    assert [(t.category, t.cue) for t in tags] == [("Other", NO_PRACTICE_CUE)]
    assert tags[0].score == 1.0  # no practice has any evidence


def test_no_cue_other_is_less_sure_when_a_practice_was_suggested() -> None:
    """A practice cue too weak to tag (a bare "20 years") lowers the no-cue Other score by its own score."""
    text = "Our office in Lisbon opened its doors to visitors 20 years ago."
    weak = score_text(text)[0][OPP115_CATEGORIES.index("Data Retention")]
    assert 0 < weak < FALLBACK_AT
    tags = tag_text(text)
    assert [(t.category, t.cue) for t in tags] == [("Other", NO_PRACTICE_CUE)]
    assert tags[0].score == pytest.approx(1.0 - weak, abs=1e-3)


def test_french_and_german_segments_without_cues_get_no_tag() -> None:
    """The no-cue Other reads OPP-115's English labelling; other languages keep only what their cues say."""
    assert tag_text("Il faisait beau à Lisbonne et les trams étaient à l'heure.", lang="fr") == []


@pytest.mark.parametrize(
    "text",
    [
        "If you do not want us to share your details with our partners, please update your account settings.",
        "You can limit the way we tailor advertising to you from the privacy page of your account.",
        "If you would prefer that we not use your postal address for catalogues, write to our customer service team.",
        "Should you wish to stop receiving our newsletter, follow the link at the bottom of any issue.",
    ],
)
def test_a_paragraph_opening_on_the_users_choice_is_user_choice(text: str) -> None:
    """A paragraph that opens on what the user may refuse or limit is about that choice, not about the use or
    sharing its words name."""
    assert [t.category for t in tag_text(text) if t.category in OPP115_CATEGORIES] == ["User Choice/Control"]


def test_the_same_wish_late_in_a_paragraph_about_sharing_stays_sharing() -> None:
    text = (
        "We share your contact details with our delivery partners so they can bring your order. If you do not "
        "want us to share your details with our partners, please update your account settings."
    )
    assert "Third Party Sharing/Collection" in {t.category for t in tag_text(text)}


# (language, a sentence in the formal address, the same in the informal one many apps use, its category)
ADDRESS_PAIRS = [
    (
        "de",
        "Wir informieren Sie hier über die Verarbeitung Ihrer Daten.",
        "Wir informieren dich hier über die Verarbeitung deiner Daten.",
        "First Party Collection/Use",
    ),
    (
        "de",
        "Sie entscheiden, ob wir Ihnen einen Newsletter schicken.",
        "Du entscheidest, ob wir dir einen Newsletter schicken.",
        "User Choice/Control",
    ),
    (
        "de",
        "Sie können jederzeit eine Kopie Ihrer gespeicherten Daten anfordern.",
        "Du kannst jederzeit eine Kopie deiner gespeicherten Daten anfordern.",
        "User Access, Edit and Deletion",
    ),
    ("de", "Ihre Rechte als Nutzer", "Deine Rechte als Nutzer", "User Access, Edit and Deletion"),
    (
        "fr",
        "Vous pouvez vous opposer à tout moment à la prospection commerciale.",
        "Tu peux t'opposer à tout moment à la prospection commerciale.",
        "User Choice/Control",
    ),
    (
        "fr",
        "Vous pouvez supprimer votre compte depuis l'application.",
        "Tu peux supprimer ton compte depuis l'application.",
        "User Access, Edit and Deletion",
    ),
    (
        "fr",
        "Pour exercer vos droits, écrivez-nous à l'adresse ci-dessous.",
        "Pour exercer tes droits, écris-nous à l'adresse ci-dessous.",
        "User Access, Edit and Deletion",
    ),
    (
        "fr",
        "Ces traceurs ne sont déposés qu'avec votre consentement.",
        "Ces traceurs ne sont déposés qu'avec ton consentement.",
        "User Choice/Control",
    ),
    (
        "fr",
        "Vous pouvez consulter ou corriger les informations qui vous concernent.",
        "Tu peux consulter ou corriger les informations qui te concernent.",
        "User Access, Edit and Deletion",
    ),
]


@pytest.mark.parametrize(("lang", "formal", "casual", "category"), ADDRESS_PAIRS)
def test_french_and_german_cues_read_the_informal_address(lang: str, formal: str, casual: str, category: str) -> None:
    """Many apps address the reader as "du" / "tu": the cues must not hang on "Sie", "Ihre", "vous" or "vos"."""
    assert category in {t.category for t in tag_text(formal, lang=lang)}
    assert category in {t.category for t in tag_text(casual, lang=lang)}


def test_default_tagger_is_rules() -> None:
    tagger = load_tagger(None)
    assert isinstance(tagger, RulesTagger)
    assert tagger.name == "rules" and tagger.version


def test_tag_cli_json_lines(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        {"id": 1, "text": "We use cookies to remember your browser settings on our website."},
        {"id": "b", "text": "The weather in Lisbon was mild and the trams ran on time all week."},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n\n"))
    assert cli.main(["tag"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    assert "cookies" in out[0]["categories"]
    assert set(out[0]["scores"]) == set(out[0]["categories"])
    assert out[1]["categories"] == ["Other"]  # no practice cue


def test_tag_cli_rejects_bad_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "no id"}\n'))
    assert cli.main(["tag"]) == 1
    assert "line 1" in capsys.readouterr().err


def test_tag_cli_missing_model(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert cli.main(["tag", "--model", str(tmp_path / "nope.joblib")]) == 1
    assert "no model" in capsys.readouterr().err


GATE_TEXTS = [t for case in MARKER_CASES for t in case[1:]] + [
    "We collect your name and email address when you register, and use it to send you newsletters.",
    "Help us measure how visitors use the site; information about your device is stored for 90 days.",
    "We will retain your data only as long as necessary and remove it after 30 days.",
    "Questions? Contact our Privacy Officer at privacy@example.com or write to 1 Main Street, Suite 2.",
    "We participate in the EU-U.S. Privacy Shield and the Data Privacy Framework (DPF).",
    "California residents may exercise their rights under the CCPA; EU data subjects may contact our DPO.",
    "We do not knowingly collect information from children under 13 without parental consent.",
    "If you reside in California or another U.S. state with privacy laws, you have the right to request deletion.",
    "You may withdraw your consent at any time; see [our cookie notice](https://example.com/cookies).",
    "This Privacy Policy explains how we collect, use and share the information you provide on our websites.",
    "We share your e-mail address with the companies that deliver our newsletters. Please note they may not keep it.",
]


@pytest.mark.parametrize("text", GATE_TEXTS)
def test_trigger_gate_never_changes_tags(text: str) -> None:
    assert tag_text(text) == tag_text(text, gated=False)


def test_strong_category_is_not_diluted_by_passing_mentions() -> None:
    """A security paragraph names the information it protects; it is not thereby about collection."""
    text = (
        "We use industry-standard encryption, firewalls and secure servers to protect your personal information "
        "from unauthorized access, and no method of transmission over the Internet is completely secure."
    )
    tags = {t.category for t in tag_text(text)}
    assert "Data Security" in tags
    assert "First Party Collection/Use" not in tags


def test_segment_without_a_firing_category_gets_its_strongest() -> None:
    from pipelines.practices.rules import FALLBACK_AT, score_text
    from pipelines.practices.vocabulary import THRESHOLDS

    text = "Registered members may see offers from our sponsors on their account pages."
    scores, _ = score_text(text)
    fired = [c for c, s in zip(OPP115_CATEGORIES, scores, strict=False) if s >= THRESHOLDS[c]]
    best = max(range(len(OPP115_CATEGORIES)), key=scores.__getitem__)
    assert not fired and scores[best] >= FALLBACK_AT, "the sentence must exercise the fallback"
    assert [t.category for t in tag_text(text) if t.category in OPP115_CATEGORIES] == [OPP115_CATEGORIES[best]]


def test_section_heading_names_the_topic() -> None:
    """A segment opening with a practice heading is tagged with that practice, the heading quoted as the cue."""
    tags = {t.category: t for t in tag_text("3. Data Security We follow generally accepted standards.")}
    assert "Data Security" in tags
    assert tags["Data Security"].cue.startswith("3. Data Security")


def test_table_of_contents_is_other_not_its_headings() -> None:
    text = (
        "Information We Collect How We Use Your Information Sharing Your Information Your Choices "
        "Children's Privacy Data Security Changes To This Policy Contact Us"
    )
    tags = {t.category: t for t in tag_text(text) if t.category in OPP115_CATEGORIES}
    assert set(tags) == {"Other"}
    assert tags["Other"].cue == "(list of headings)"


def test_list_item_of_purposes_is_first_party_use() -> None:
    tags = {t.category: t for t in tag_text("conduct audience research and related reporting;")}
    assert "First Party Collection/Use" in tags
    assert tags["First Party Collection/Use"].cue == "(list item)"


def test_practice_cue_after_the_opening_counts_less() -> None:
    """A paragraph states its topic first; the same sharing cue later in the segment is weaker evidence."""
    from pipelines.practices.rules import OPENING_CHARS, score_text

    filler = "The weather in Lisbon was mild, the trams ran on time all week long and the river was calm at dusk. "
    assert len(filler) >= OPENING_CHARS
    sentence = "Our partners may receive your information for marketing. "
    third = OPP115_CATEGORIES.index("Third Party Sharing/Collection")
    early, late = score_text(sentence + filler)[0][third], score_text(filler + sentence)[0][third]
    assert 0 < late < early


def test_referring_to_collected_information_is_not_a_collection_statement() -> None:
    """'the information we collect' names collected data (here: what is protected); it does not state collection,
    so the strong 'we collect' cue stays silent (the bare word 'collect' is weaker evidence)."""
    from pipelines.practices.rules import score_text

    first = OPP115_CATEGORIES.index("First Party Collection/Use")
    scores, cues = score_text("Please remember that the information we collect is kept secure by encryption.")
    stated, _ = score_text("Please remember that we collect your e-mail address when you register.")
    assert "we collect" not in cues[first].lower()
    assert scores[first] < stated[first]


# (category, a paragraph about another practice that ends with a statement of this one, the words the cue should
# quote). Written for these tests: the statement forms the 0.6 cues read (a right the user has, the policy's own
# change, information that outlives its deletion), not sentences of any OPP-115 policy.
STATEMENT_CASES = [
    (
        "Policy Change",
        "By using this site you accept the terms of this privacy policy. We reserve the right, at our discretion, "
        "to modify portions of this policy at any time.",
        "reserve the right",
    ),
    (
        "User Access, Edit and Deletion",
        "When you register we ask for your name, postal address and e-mail address so that we can send you the "
        "newsletter you asked for. You can review or correct your account information at any time.",
        "You can review or correct",
    ),
    (
        "User Choice/Control",
        "We share your e-mail address with the companies that deliver our newsletters on our behalf, and they may "
        "not use it for anything else. You may opt out of these messages at any time.",
        "You may opt out",
    ),
    (
        "Data Retention",
        "You can close your account from the settings page, and we will then remove your profile from the site. "
        "Copies of your posts may remain in our backup systems for a limited time.",
        "remain in our backup",
    ),
    (
        "Policy Change",
        "When you register we ask for your name and e-mail address so that we can send you the newsletter you "
        "asked for. If we change how we use it, we will post a revised privacy policy on this page.",
        "post a revised privacy policy",
    ),
]


@pytest.mark.parametrize(
    ("category", "text"),
    [
        (
            "Data Retention",
            "Third-party cookies will stay on your device if you have not removed them in your browser.",
        ),
        ("Policy Change", "We reserve the right to refuse service to anyone who breaks the rules of our forums."),
        (
            "User Access, Edit and Deletion",
            "You can change the font size of the text in your browser to read more easily.",
        ),
    ],
)
def test_statement_cues_need_their_object(category: str, text: str) -> None:
    assert category not in {t.category for t in tag_text(text)}


def test_denied_choice_is_not_a_statement_of_one() -> None:
    """ "You may not opt out" names the practice's vocabulary but grants no choice: the user-statement cue, which
    stands for a granted control, does not quote it, so it scores below the granted form."""
    k = OPP115_CATEGORIES.index("User Choice/Control")
    granted = score_text("You may opt out of messages about your account and your orders.")
    denied = score_text("You may not opt out of messages about your account and your orders.")
    assert granted[1][k] == "You may opt out"
    assert "may not" not in denied[1][k]
    assert denied[0][k] < granted[0][k]


# (category, a modern GDPR/CCPA-era paragraph whose statement of the practice comes late, the words the cue should
# quote). Written for these tests in the general wording of such notices, not sentences of any evaluation policy.
MODERN_CASES = [
    (
        "User Access, Edit and Deletion",
        "If you live in a country whose laws give you rights over your personal data, you have these rights:\n"
        "1. Right of access: you may ask us for a copy of the personal data we hold about you.",
        "Right of access",
    ),
    (
        "User Access, Edit and Deletion",
        "Depending on the laws of the place where you live, and subject to some exceptions, you may wish to access, "
        "correct, or request deletion of the personal data we hold about you.",
        "access, correct, or request deletion of the personal data",
    ),
    (
        "User Choice/Control",
        "Where we process your personal data on the basis of our legitimate interests, as described above, you "
        "have the following right:\n6. Right to object: you may ask us to stop that processing.",
        "Right to object",
    ),
    (
        "International and Specific Audiences",
        "This section describes the additional rights that the law gives some people. If you are a user located in "
        "the EU/EEA/UK, you have the following rights regarding your personal data.",
        "located in the EU",
    ),
]


@pytest.mark.parametrize(("category", "text", "quote"), STATEMENT_CASES + MODERN_CASES)
def test_statement_late_in_a_paragraph_tags_its_category(category: str, text: str, quote: str) -> None:
    tags = {t.category: t for t in tag_text(text)}
    assert category in tags
    assert tags[category].cue.startswith(quote)  # the evidence shown is the statement itself


def test_a_link_is_not_a_security_measure() -> None:
    """ "https" names a security measure ("we use HTTPS"), not the scheme of a link, which markdown texts keep."""
    linked = "To learn how our advertising partner uses data, read [its policy](https://example.com/privacy)."
    assert "Data Security" not in {t.category for t in tag_text(linked)}
    assert "Data Security" in {t.category for t in tag_text("All pages of our website are served over HTTPS.")}


def test_a_childrens_statement_is_not_first_party_collection() -> None:
    """ "We do not knowingly collect ... from children" is about an audience (OPP-115 files it under International
    and Specific Audiences), though its verb is a collection verb: the audience cue demotes First Party."""
    text = (
        "We do not knowingly collect personal information from children under the age of 13. If we learn that we "
        "have collected such information, we will delete it."
    )
    tags = {t.category for t in tag_text(text)}
    assert "International and Specific Audiences" in tags
    assert "First Party Collection/Use" not in tags


def test_a_scope_statement_is_other_not_the_practices_it_lists() -> None:
    """A paragraph opening with what the policy covers lists practices as its table of contents."""
    text = "This Privacy Policy explains how we collect, use and share the information you provide on our websites."
    assert {t.category for t in tag_text(text)} == {"Other"}
    stated = "We collect and use the information you provide on our websites to send you our newsletters."
    assert "First Party Collection/Use" in {t.category for t in tag_text(stated)}


def test_an_aside_is_other_only_where_no_practice_is_stated() -> None:
    """ "Please note" beside a practice remarks on it; alone, it is advice to the reader (Other)."""
    beside = "We share your e-mail address with the companies that deliver our newsletters. Please note they may not "
    beside += "keep it."
    assert {t.category for t in tag_text(beside)} == {"Third Party Sharing/Collection"}
    assert {t.category for t in tag_text("Please note that our offices are closed on public holidays.")} == {"Other"}


def _retention(text: str) -> float:
    return score_text(text)[0][OPP115_CATEGORIES.index("Data Retention")]


def test_a_stated_period_reads_singular_units_and_words_before_them() -> None:
    """ "After one calendar year" states a retention period as "after 12 months" does."""
    for text in ("Survey answers are purged after one calendar year.", "Chat transcripts are deleted after a week."):
        assert {t.category for t in tag_text(text)} == {"Data Retention"}, text


def test_retain_in_a_list_of_verbs_is_not_a_retention_statement() -> None:
    """ "May use, retain and disclose" lists what is done with the data; "we retain it" states the retention."""
    assert _retention("Acme may use, retain and disclose this information to comply with federal law.") < 0.9
    assert _retention("Partners can access or retain information stored in your workspace.") < 0.9
    assert _retention("Acme retains this information to comply with federal law.") >= 0.9


def test_a_stated_period_is_kept_beside_a_stronger_practice() -> None:
    """A paragraph about collection that states how long one kind of data is kept carries both practices: the
    stated period is not dropped by the margin."""
    text = (
        "When you create an account we collect your name, e-mail address and phone number, and we use this "
        "information to provide and improve our services and to contact you. We also log the IP address you sign "
        "in from and erase it after 90 days."
    )
    found = {t.category for t in tag_text(text)}
    assert {"First Party Collection/Use", "Data Retention"} <= found


def test_a_limit_on_keeping_is_retention() -> None:
    """Information not kept once or after an event, or longer than something, is a retention statement."""
    text = "Payments are handled by our processor. We do not hold your payment card number once the order has shipped."
    assert "Data Retention" in {t.category for t in tag_text(text)}
    assert _retention("We do not hold your payment card number on our own computers.") < 0.9


def test_a_stated_period_reads_a_long_list_of_data_but_not_the_time_to_answer() -> None:
    """The kept data may be a list ("posts, comments, uploads and private messages"); a request answered within
    30 days states how soon the company replies, not how long it keeps anything."""
    kept = "We store the addresses of your posts, comments, uploads and private messages for 30 days after sending."
    assert _retention(kept) >= 0.9
    assert _retention("If you ask us to remove your data, we will respond to your request within 30 days.") < 0.9


def test_the_company_reserving_a_right_is_not_the_users_access() -> None:
    """ "We reserve the right to review" is the company's right; "you have the right to review" is the user's."""
    access = "User Access, Edit and Deletion"
    company = "The publisher reserves the right to review submitted photos before they appear on the site."
    assert score_text(company)[0][OPP115_CATEGORIES.index(access)] < 0.5
    assert access in {t.category for t in tag_text("You have the right to review the records we hold on you.")}


def test_an_opportunity_given_to_the_user_to_update_is_access() -> None:
    """ "You will have the opportunity to update that information" states the user's access as "you can" does."""
    text = (
        "Newsletter sign-up. If you give us your postal address for our catalogue, you will be given the chance to "
        "correct that information at any time."
    )
    assert "User Access, Edit and Deletion" in {t.category for t in tag_text(text)}
