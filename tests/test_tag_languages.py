"""The rules tagger in French and German: a sentence per category is tagged right, the document's language
picks the cues, and the practices stage records which languages each tagger version reads."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.practices.rules import RulesTagger, cue_language, tag_text
from pipelines.practices.stage import tag_segments
from pipelines.practices.train import TrainedTagger
from pipelines.practices.vocabulary import OPP115_CATEGORIES
from pipelines.text.describe import PASSAGE_WORDS, passage_language
from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.text.normalize import text_hash
from pipelines.text.stage import segment_documents
from pipelines.warehouse import tables

# (category, a French sentence, a German sentence) written for these tests, in the usual wording of notices.
CASES = [
    (
        "First Party Collection/Use",
        "Nous collectons votre nom, votre adresse électronique et votre numéro de téléphone lors de l'inscription.",
        "Wir erheben Ihren Namen, Ihre E-Mail-Adresse und Ihre Telefonnummer, wenn Sie sich registrieren.",
    ),
    (
        "Third Party Sharing/Collection",
        "Vos données peuvent être transmises à nos sous-traitants chargés de l'hébergement et du paiement.",
        "Empfänger Ihrer Daten sind unsere Auftragsverarbeiter für Hosting und Zahlungsabwicklung.",
    ),
    (
        "User Choice/Control",
        "Vous pouvez retirer votre consentement à tout moment et vous opposer à la prospection commerciale.",
        "Sie können Ihre Einwilligung jederzeit widerrufen und der Nutzung zu Werbezwecken widersprechen.",
    ),
    (
        "User Access, Edit and Deletion",
        "Vous disposez d'un droit d'accès, de rectification et d'effacement des données qui vous concernent.",
        "Sie haben ein Recht auf Auskunft, Berichtigung und Löschung Ihrer gespeicherten Daten.",
    ),
    (
        "Data Retention",
        "La durée de conservation de vos données est de trois ans à compter de votre dernière connexion.",
        "Die Speicherdauer Ihrer Daten beträgt drei Jahre nach Ihrer letzten Anmeldung.",
    ),
    (
        "Data Security",
        "Nous mettons en œuvre des mesures techniques et organisationnelles pour garantir la sécurité des données.",
        "Wir treffen technische und organisatorische Sicherheitsmaßnahmen, um Ihre Daten vor Verlust zu schützen.",
    ),
    (
        "Policy Change",
        "Nous pouvons modifier la présente politique de confidentialité ; nous vous informerons de tout changement.",
        "Wir behalten uns vor, diese Datenschutzerklärung anzupassen, damit sie stets den Vorgaben entspricht.",
    ),
    (
        "Do Not Track",
        "Notre site ne répond pas aux signaux Do Not Track envoyés par votre navigateur.",
        "Unsere Website reagiert nicht auf Do-Not-Track-Signale Ihres Browsers.",
    ),
    (
        "International and Specific Audiences",
        "Nos services ne s'adressent pas aux mineurs de moins de 15 ans.",
        "Eine Übermittlung Ihrer Daten in Drittländer außerhalb der EU erfolgt nur mit geeigneten Garantien.",
    ),
]
MARKER_CASES = [
    ("cookies", "Nous utilisons des cookies pour mesurer l'audience.", "Wir verwenden Cookies zur Analyse."),
    (
        "gdpr",
        "Conformément au RGPD, vous pouvez introduire une réclamation auprès de la CNIL.",
        "Gemäß Art. 6 Abs. 1 lit. a DSGVO verarbeiten wir Ihre Daten.",
    ),
    ("children", "Nous ne collectons pas sciemment de données d'enfants.", "Wir erheben keine Daten von Kindern."),
    (
        "self_regulatory",
        "Nous participons au programme de certification TRUSTe (aujourd'hui TrustArc).",
        "Wir sind Mitglied der Network Advertising Initiative und beachten ihre Grundsätze.",
    ),
]
# The same categories said without the notices' set terms (plain verbs, lengths of time in words, German separable
# and inverted verbs): (category, language, sentence), written for these tests.
PLAIN_CASES = [
    ("First Party Collection/Use", "fr", "Nous sommes amenés à traiter vos données pour gérer votre commande."),
    ("First Party Collection/Use", "de", "Bei der Anmeldung verarbeiten wir Ihre E-Mail-Adresse und Ihr Geburtsjahr."),
    ("Third Party Sharing/Collection", "de", "Wir geben Ihre Daten nicht an andere Organisationen weiter."),
    ("Third Party Sharing/Collection", "de", "Den Rundbrief verschickt eine Druckerei in unserem Auftrag."),
    ("User Choice/Control", "fr", "Vous pouvez refuser de recevoir nos offres depuis votre espace client."),
    ("User Choice/Control", "de", "Personalisierte Werbung können Sie in den Einstellungen jederzeit ausschalten."),
    ("User Access, Edit and Deletion", "fr", "Écrivez-nous pour consulter, corriger ou supprimer vos informations."),
    ("User Access, Edit and Deletion", "de", "Sie haben das Recht, eine Kopie Ihrer Daten zu erhalten."),
    ("Data Retention", "fr", "Nous gardons vos coordonnées trois ans après votre dernier don."),
    ("Data Retention", "fr", "Les messages sont effacés automatiquement au bout d'un an."),
    ("Data Retention", "de", "Server-Logfiles werden nach sieben Tagen gelöscht."),
    ("Data Retention", "de", "Rechnungen heben wir zehn Jahre lang auf."),
    ("Data Retention", "de", "Die Daten werden gelöscht, sobald sie für den Zweck nicht mehr erforderlich sind."),
    ("Data Security", "fr", "Nous nous engageons à protéger vos données contre toute perte ou utilisation abusive."),
    ("Data Security", "de", "Unser Online-Banking ist durch ein Zwei-Faktor-Verfahren abgesichert."),
    ("Policy Change", "fr", "La présente notice est susceptible d'être mise à jour."),
    ("Policy Change", "de", "Wir passen diese Hinweise an, wenn wir neue Funktionen einführen."),
]
# Words near a category's that are not it: (category, language, sentence).
NOT_CASES = [
    ("User Choice/Control", "de", "60 Tage nach Vertragsende löschen wir den Arbeitsbereich unwiderruflich."),
    ("Data Retention", "fr", "Nous répondons dans un délai d'un mois à compter de la réception de votre demande."),
    ("Data Retention", "fr", "Le service est interdit aux personnes de moins de 15 ans."),
    ("Data Retention", "de", "Das Spiel ist für Kinder unter 12 Jahren nicht geeignet."),
    ("Third Party Sharing/Collection", "de", "Wir teilen mit, dass sich die Sprechzeiten ändern."),
    ("Data Security", "fr", "Notre partenaire reçoit votre adresse électronique hachée."),
]
UNRELATED = {"fr": "Le tramway part toutes les dix minutes.", "de": "Die Straßenbahn fährt alle zehn Minuten."}


def _categories(text: str, lang: str) -> set[str]:
    return {t.category for t in tag_text(text, lang=lang)}


def test_every_category_has_a_case() -> None:
    assert [c for c, _, _ in CASES] == [c for c in OPP115_CATEGORIES if c != "Other"]


@pytest.mark.parametrize(("lang", "column"), [("fr", 1), ("de", 2)])
@pytest.mark.parametrize("case", CASES + MARKER_CASES, ids=lambda c: c[0] if isinstance(c, tuple) else str(c))
def test_a_sentence_is_tagged_with_its_category(case: tuple[str, str, str], lang: str, column: int) -> None:
    text = case[column]
    assert case[0] in _categories(text, lang), text


@pytest.mark.parametrize("case", PLAIN_CASES, ids=lambda c: f"{c[1]}-{c[0]}")
def test_plain_wording_is_tagged_with_its_category(case: tuple[str, str, str]) -> None:
    category, lang, text = case
    assert category in _categories(text, lang), text


@pytest.mark.parametrize("case", NOT_CASES, ids=lambda c: f"{c[1]}-{c[0]}")
def test_near_words_are_not_the_category(case: tuple[str, str, str]) -> None:
    category, lang, text = case
    assert category not in _categories(text, lang), text


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_unrelated_text_gets_no_practice(lang: str) -> None:
    assert not _categories(UNRELATED[lang], lang) & set(OPP115_CATEGORIES[:-1])


@pytest.mark.parametrize(
    "text", [t for case in CASES + MARKER_CASES for t in case[1:]] + [c[2] for c in PLAIN_CASES + NOT_CASES]
)
def test_trigger_gate_never_changes_tags(text: str) -> None:
    for lang in ("fr", "de"):
        assert tag_text(text, lang=lang) == tag_text(text, gated=False, lang=lang)


def test_the_document_language_picks_the_cues_of_a_short_passage() -> None:
    text = "Durée de conservation : trois ans après la clôture du compte."  # 11 words, too few to identify
    tagger = RulesTagger()
    as_english, as_french = tagger.tag_batch([text, text], ["en", "fr"])
    assert "Data Retention" in {t.category for t in as_french}
    assert "Data Retention" not in {t.category for t in as_english}
    assert tagger.tag_batch([text]) == [as_english]  # no language given: English, as before


@pytest.mark.parametrize("k", range(len(CASES)))
def test_a_long_passage_is_read_in_its_own_language(k: int) -> None:
    """A bilingual page, or one whose opening lines named the wrong language: a long French or German passage in
    a document detected as English (or as the other language) is tagged as in a document of its own language."""
    category, french, german = CASES[k]
    tagger = RulesTagger()
    for text, own, other in ((french, "fr", "de"), (german, "de", "fr")):
        if len(text.split()) <= PASSAGE_WORDS:
            continue
        mine = tagger.tag_batch([text], [own])
        assert category in {t.category for t in mine[0]}
        assert tagger.tag_batch([text, text], ["en", other]) == mine * 2


def test_passage_language_keeps_the_document_language_unless_sure() -> None:
    among = ("en", "fr", "de")
    english = "You can ask us at any time to delete the personal information that we hold about you and your account."
    assert passage_language(english, "fr", among) == "en"
    assert passage_language(english, "en", among) == "en"
    spanish = "Puede solicitar en cualquier momento la supresión de los datos personales que conservamos sobre usted."
    assert passage_language(spanish, "en", among) == "en"  # not a language the cues read: the document's stands
    assert passage_language("Conservation : trois ans.", "en", among) == "en"  # too short to tell
    # py3langid is sure this is French, but it is an English sentence: as many English function words as French
    quoting = "June 2004 “Loi pour la confiance dans l'économie numérique”: the records must be kept in a safe"
    assert passage_language(quoting, "en", among) == "en"


def test_unsupported_or_unknown_language_reads_with_english_cues() -> None:
    assert cue_language("es") == cue_language(None) == "en"
    assert cue_language("de") == "de"


def test_taggers_say_which_languages_they_read() -> None:
    assert RulesTagger().languages == ("en", "fr", "de")
    assert TrainedTagger.languages == ("en",)


def _sha(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def test_stage_tags_in_the_document_language_and_records_tagger_languages(tmp_path: Path) -> None:
    texts = {
        "fr": "# Politique de confidentialité\n\n" + CASES[4][1] + "\n",
        # a short French line in a page said English: too short to identify, it is read with the English cues
        "en": "# Privacy policy\n\nDurée de conservation : quatre ans après la clôture du compte.\n",
    }
    captures, documents = [], []
    for lang, text in texts.items():
        sha = _sha(text)
        when = datetime(2024, 1, 1)
        captures.append(
            {
                "capture_id": _sha(lang, when),
                "site_id": lang,
                "url": f"https://{lang}.example/privacy",
                "captured_at": when,
                "status_code": 200,
                "mime": "text/html",
                "payload_sha256": sha,
                "fetch_status": "ok",
                "shard": 0,
            }
        )
        documents.append(
            {
                "payload_sha256": sha,
                "extractor_version": EXTRACTOR_VERSION,
                "status": "ok",
                "language": lang,
                "text": text,
                "text_sha256": text_hash(text),
                "is_policy": True,
            }
        )
    with tables.connect(tmp_path / "policy.duckdb") as con:
        tables.replace(con, "captures", captures)
        tables.upsert(con, "documents", documents)
        segment_documents(con, [0])
        tagger = RulesTagger()
        assert tag_segments(con, tagger, [0])["texts_tagged"] > 0
        retention = dict(
            con.execute(
                """
                SELECT d.language, coalesce(bool_or(p.category = 'Data Retention'), false)
                FROM segments s JOIN documents d USING (payload_sha256, extractor_version)
                LEFT JOIN segment_practices p ON p.text_sha256 = s.text_sha256
                WHERE s.text ILIKE '%conservation%' GROUP BY 1
                """
            ).fetchall()
        )
        assert retention == {"fr": True, "en": False}
        rows = con.execute("SELECT tagger, tagger_version, language FROM tagger_languages ORDER BY 3").fetchall()
        assert rows == [("rules", tagger.version, lang) for lang in sorted(tagger.languages)]
        tag_segments(con, tagger, [0])  # a rerun keeps one row per language
        assert con.execute("SELECT count(*) FROM tagger_languages").fetchone()[0] == len(tagger.languages)


def test_tag_cli_reads_an_optional_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"id": 1, "text": CASES[4][2], "language": "de"}, {"id": 2, "text": CASES[4][2]}]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n"))
    assert cli.main(["tag"]) == 0
    german, unsaid = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert "Data Retention" in german["categories"] and "Data Retention" not in unsaid["categories"]


# (category, a German sentence, the same in Swiss German: "ss" for "ß", the DSG's "bearbeiten"), written for these
# tests
SWISS_CASES = [
    (
        "International and Specific Audiences",
        "Ihre Daten werden auch außerhalb der EU gespeichert, etwa bei unserem Dienstleister in den USA.",
        "Ihre Daten werden auch ausserhalb der EU gespeichert, etwa bei unserem Dienstleister in den USA.",
    ),
    (
        "Data Retention",
        "Die Protokolle bewahren wir dreißig Tage lang auf und löschen sie danach.",
        "Die Protokolle bewahren wir dreissig Tage lang auf und löschen sie danach.",
    ),
    (
        "Third Party Sharing/Collection",
        "Für den Versand setzen wir einen Auftragsverarbeiter ein, der an unsere Weisungen gebunden ist.",
        "Für den Versand setzen wir einen Auftragsbearbeiter ein, der an unsere Weisungen gebunden ist.",
    ),
    (
        "First Party Collection/Use",
        "Zu diesem Zweck verarbeiten wir Ihre Adresse und Ihr Geburtsdatum.",
        "Zu diesem Zweck bearbeiten wir Ihre Adresse und Ihr Geburtsdatum.",
    ),
]


def test_witnesses_are_not_cookies() -> None:
    """ "Témoins" alone is also "witnesses" in French; the Quebec term for cookies is "témoins de connexion"."""
    assert "cookies" not in {t.category for t in tag_text("Déclarations des témoins", lang="fr")}
    assert "cookies" in {t.category for t in tag_text("Nos fichiers témoins", lang="fr")}


def test_transfers_to_third_states_and_out_of_switzerland_are_international() -> None:
    international = "International and Specific Audiences"
    for text in (
        "Eine Übermittlung Ihrer Daten in Drittstaaten findet nur mit geeigneten Garantien statt.",
        "Ihre Daten werden auch ausserhalb der Schweiz gespeichert, etwa bei einem Anbieter.",
    ):
        assert international in {t.category for t in tag_text(text, lang="de")}


def test_a_swiss_cue_is_quoted_in_the_text_s_own_spelling() -> None:
    tags = {t.category: t.cue for t in tag_text(SWISS_CASES[0][2], lang="de")}
    assert "ausserhalb" in tags["International and Specific Audiences"]


QUEBEC_CASES = [
    (
        "International and Specific Audiences",
        "Vos données peuvent être hébergées hors de l’Union européenne, notamment aux États-Unis.",
        "Vos renseignements peuvent être hébergés à l’extérieur du Québec, notamment aux États-Unis.",
    ),
    (
        "cookies",
        "Nous utilisons des cookies pour mesurer l'audience du site et mémoriser vos préférences.",
        "Nous utilisons des témoins de connexion pour mesurer l'audience du site et mémoriser vos préférences.",
    ),
    (
        "Third Party Sharing/Collection",
        "Nous ne partageons jamais vos données avec des annonceurs.",
        "Nous ne partageons jamais vos renseignements avec des annonceurs.",
    ),
    (
        "First Party Collection/Use",
        "Vos données ne sont utilisées que pour la gestion de votre compte client.",
        "Vos renseignements ne sont utilisés que pour la gestion de votre compte client.",  # masculine
    ),
]


@pytest.mark.parametrize(
    ("lang", "category", "own", "regional"), [("de", *c) for c in SWISS_CASES] + [("fr", *c) for c in QUEBEC_CASES]
)
def test_cues_read_swiss_german_and_quebec_french(lang: str, category: str, own: str, regional: str) -> None:
    found = {t.category for t in tag_text(own, lang=lang)}
    assert category in found
    assert {t.category for t in tag_text(regional, lang=lang)} == found


def test_the_benchmark_regional_rewrite() -> None:
    from bench.practices.regional import regional

    german = "Gemäß DSGVO verarbeiten wir Ihre personenbezogenen Daten durch Auftragsverarbeiter."
    assert regional(german, "de") == "Gemäss DSG bearbeiten wir Ihre Personendaten durch Auftragsbearbeiter."
    french = "Vos données personnelles et les cookies, selon le RGPD."
    assert regional(french, "fr") == "Vos renseignements personnels et les témoins de connexion, selon le Loi 25."
    assert regional(german, "en") == german
