"""Page type: policies, terms, cookie notices, imprints and non-legal pages in English, French and German;
`unknown` in other languages; the shipped model file matches the cue code."""

from __future__ import annotations

import pytest
from test_classify import COOKIE_WALL, POLICY, TERMS

from pipelines.text.extract import extract
from pipelines.text.pagecues import CUE_NAMES
from pipelines.text.pagetype import MODEL_FILE, TYPES, Model, page_type, shipped_model

DE_POLICY = (
    "# Datenschutzerklärung\n\nStand: 1. März 2022\n\nDiese Datenschutzerklärung informiert Sie darüber, welche "
    "personenbezogenen Daten wir erheben, wenn Sie unsere Website nutzen. Verantwortlicher ist die Beispiel GmbH. "
    "Rechtsgrundlage ist Art. 6 Abs. 1 DSGVO. Die Speicherdauer beträgt sechs Monate. Sie haben das Recht auf "
    "Auskunft, Berichtigung und Löschung. Wir geben Ihre Daten nicht an Dritte weiter, außer an Dienstleister. "
) * 4
DE_TERMS = (
    "# Allgemeine Geschäftsbedingungen\n\nDiese AGB gelten für alle Verträge mit der Beispiel GmbH. Die Haftung "
    "ist auf Vorsatz beschränkt. Die Gewährleistung richtet sich nach dem Gesetz. Die Kündigung ist jederzeit "
    "möglich. Gerichtsstand ist Berlin. Unsere Datenschutzerklärung erklärt, welche Daten wir verarbeiten. "
) * 4
FR_TERMS = (
    "# Conditions générales d'utilisation\n\n"
    + "## Article 1\nLes présentes conditions régissent l'utilisation du service. En utilisant le site, vous acceptez "
    "ces conditions. Notre responsabilité est limitée aux dommages directs. La résiliation est possible à tout "
    "moment. Tout litige relève des juridictions de Paris. La propriété intellectuelle du site nous appartient.\n"
    * 4
    + "## Article 5\nVos données personnelles sont traitées selon notre politique de confidentialité.\n"
)
EN_COOKIES = (
    "# Cookie Policy\n\nThis Cookie Policy explains how we use cookies and similar technologies such as pixels and "
    "local storage when you visit our website. Strictly necessary cookies keep the site working; analytics cookies "
    "measure visits; advertising cookies are set by partners. You can refuse cookies in your browser settings. "
) * 4
DE_IMPRINT = (
    "# Impressum\n\nAngaben gemäß § 5 TMG: Beispiel GmbH, Hauptstraße 1, 10115 Berlin. Geschäftsführer: Max "
    "Muster. Registergericht: Amtsgericht Berlin, HRB 12345. USt-IdNr.: DE123456789."
)
ES_POLICY = (
    "# Política de privacidad\n\nEsta política explica cómo recopilamos y utilizamos sus datos personales cuando "
    "usted visita nuestro sitio. Podemos compartir sus datos con terceros que nos prestan servicios. Usted tiene "
    "derecho de acceso, rectificación y supresión. Conservamos los datos durante el tiempo necesario. "
) * 4


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (POLICY, "Privacy Policy - Acme", "privacy_policy"),
        (DE_POLICY, "Datenschutz", "privacy_policy"),
        (TERMS, "Terms of Service", "other_legal"),
        (DE_TERMS, "AGB", "other_legal"),
        (FR_TERMS, "CGU", "other_legal"),
        (DE_IMPRINT, "Impressum", "other_legal"),
        (EN_COOKIES, "Cookie Policy", "cookie_notice"),
        (COOKIE_WALL, "Acme", "not_legal"),
        ("", "Privacy Policy", "not_legal"),
    ],
)
def test_page_types(text: str, title: str, expected: str) -> None:
    from pipelines.text.describe import language

    assert page_type(text, title, language(text) if text else None).type == expected


def test_a_language_it_was_not_built_for_is_unknown() -> None:
    kind = page_type(ES_POLICY, "Política de privacidad", "es")
    assert kind.type == "unknown" and not kind.is_policy


def test_terms_page_is_not_a_policy_through_extraction() -> None:
    html = f"<html><head><title>Terms of Service</title></head><body><nav>Home Privacy</nav><p>{TERMS}</p></body>"
    doc = extract(html.encode(), "text/html")
    assert doc.page_type == "other_legal" and not doc.is_policy and doc.status == "not_policy"


def test_shipped_model_matches_the_cues() -> None:
    model = shipped_model()
    assert model.types == TYPES and model.features == CUE_NAMES
    assert "Open Terms Archive" in model.about["attribution"]
    assert Model.from_json(model.to_json()) == model
    assert MODEL_FILE.is_file()


def test_a_model_of_other_cues_is_refused() -> None:
    raw = shipped_model().to_json().replace('"concepts"', '"no_such_cue"')
    with pytest.raises(ValueError, match="retrain"):
        Model.from_json(raw)


def test_headings_and_title_cues_read_what_the_page_calls_itself() -> None:
    from pipelines.text.pagecues import cues, headings, title_of

    text = "Terms\n=====\n\n## Limitation of liability\ntext\n\n**Governing law**\n\n### Your rights\nmore\n"
    assert headings(text) == ["Terms", "Limitation of liability", "Governing law", "Your rights"]
    assert title_of(text) == "Terms" and title_of(text, "Privacy Policy") == "Privacy Policy"
    c = cues(text, "Terms and Conditions")
    assert c["sections_contract"] == 0.5 and c["sections_privacy"] == 0.25
    assert c["title_terms"] == 1.0 and c["title_privacy"] == 0.0


def test_a_terms_page_opening_with_a_privacy_section_is_other_legal() -> None:
    text = "# Privacy Policy\n\nWe protect your personal information.\n\n# Terms of Service\n\n" + TERMS
    assert page_type(text, "Terms and Conditions", "en").type == "other_legal"


def test_the_mislabel_list_names_files_and_reasons() -> None:
    from pipelines.text.train_pagetype import mislabelled

    wrong = mislabelled()
    assert wrong and all(f.startswith(("texts/", "pages/")) and why for f, why in wrong.items())


@pytest.mark.parametrize("name", sorted(__import__("legal_pages").PAGES))
def test_german_and_french_legal_pages_as_served_and_as_text(name: str) -> None:
    from legal_pages import PAGES, html_page

    language, _, _, expected = PAGES[name]
    doc = extract(html_page(name), "text/html")
    assert doc.language == language
    assert doc.page_type == expected and doc.is_policy == (expected == "privacy_policy")
    assert page_type(doc.text, "", doc.language).type == expected  # the text alone, as an OTA markdown file


@pytest.mark.parametrize(
    ("title", "heading", "kind"),
    [
        ("AGB | Shop", "Allgemeine Geschäftsbedingungen", "terms"),
        ("", "Impressum", "imprint"),
        ("Mentions légales", "Éditeur du site", "imprint"),
        ("Site", "Conditions générales d'utilisation", "terms"),
        ("", "Amazon Silk FAQs", "faq"),
        ("Cookies", "Politique de gestion des cookies", "cookies"),
        ("Impressum und Datenschutz", "Impressum", None),  # names privacy: left to the model
        ("Legal", "Legal Notice", None),  # an imprint heading, then the policy's own heading
        ("Shop", "Datenschutzerklärung", None),
    ],
)
def test_what_a_page_names_itself(title: str, heading: str, kind: str | None) -> None:
    from pipelines.text.pagenames import named_otherwise

    second = "## Privacy Policy\n\ntext\n" if heading == "Legal Notice" else "## Section\n\ntext\n"
    assert named_otherwise(f"# {heading}\n\ntext\n\n{second}", title) == kind


def test_a_page_named_as_terms_with_a_policy_body_is_not_a_policy() -> None:
    # the body of a German privacy policy under a page that calls itself the terms: the name wins
    assert page_type(DE_POLICY, "Datenschutz", "de").type == "privacy_policy"
    body = DE_POLICY.replace("# Datenschutzerklärung", "# Nutzungsbedingungen").replace("Diese Datenschutz", "Der Text")
    kind = page_type(body, "Nutzungsbedingungen | Beispiel", "de")
    assert kind.type != "privacy_policy" and not kind.is_policy
