"""The warehouse's base tables: one typed definition per table, used for DDL, loads and docs.

This module is the single source of truth for the columns of every table the pipeline writes.
`tables.py` creates tables from it, stages build DataFrames in its column order, and
`policy-history schema` prints it as the documentation the README links to.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str
    was: str = ""  # the column's name in earlier releases: a warehouse made by one has it renamed on connect


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        """CREATE TABLE statement (idempotent) for this table."""
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"

    def added_columns_ddl(self, present: Collection[str] = ()) -> list[str]:
        """ALTER statements that give a table made by an earlier release the columns renamed and added since: a
        scheduled build keeps its warehouse. Columns in `present` (the table's columns, when known) are left out."""
        return [
            f"ALTER TABLE {self.name} RENAME COLUMN {c.was} TO {c.name}"
            if c.was in present
            else f"ALTER TABLE {self.name} ADD COLUMN IF NOT EXISTS {c.name} {c.type}"
            for c in self.columns
            if c.name not in present
        ]


def _t(name: str, grain: str, key: tuple[str, ...], *cols: tuple[str, ...]) -> Table:
    return Table(name, grain, key, tuple(Column(*c) for c in cols))


CAPTURES = _t(
    "captures",
    "One row per archived capture of a configured URL: (url, captured_at, digest).",
    ("capture_id",),
    ("capture_id", "VARCHAR", "sha256 of url, captured_at and digest: the capture's identity"),
    ("site_id", "VARCHAR", "site slug from the sources file (or the host, for unconfigured WARCs)"),
    ("url", "VARCHAR", "the archived URL as the archive reports it"),
    ("captured_at", "TIMESTAMP", "capture time, UTC"),
    ("status_code", "INTEGER", "HTTP status of the archived response (null for revisits without one)"),
    ("mime", "VARCHAR", "media type of the archived response, without parameters"),
    ("digest", "VARCHAR", "the archive's payload digest (e.g. sha1:BASE32), as given"),
    ("record_type", "VARCHAR", "response | revisit | resource (a WARC page record without HTTP headers) | cdx"),
    ("source", "VARCHAR", "where the capture was found: warc:<file> or cdx:<endpoint>"),
    ("redirect_to", "VARCHAR", "Location of a 3xx capture, resolved against url"),
    ("payload_sha256", "VARCHAR", "sha256 of the stored payload; null when no payload could be had"),
    (
        "fetch_status",
        "VARCHAR",
        "ok | redirect | http_error | unavailable | too_large | "
        "truncated (WARC record cut short) | digest_mismatch (payload not matching WARC-Payload-Digest); "
        "only ok payloads are extracted",
    ),
    ("shard", "INTEGER", "partition shard of the site (stable hash of site_id)"),
    (
        "fetch_state",
        "VARCHAR",
        "how the payload was had: fetched (from the archive or the WARC) | reused (same digest as a capture "
        "fetched before: no request) | inferred (not fetched: a bisecting build found the same policy text in "
        "the fetched captures on both sides, `inferred_after` and `inferred_before`) | not_fetched (a CDX row "
        "of an archived error, which is not requested, or a payload that could not be had)",
    ),
    ("inferred_after", "VARCHAR", "for an inferred capture: the fetched capture before it with the same text"),
    ("inferred_before", "VARCHAR", "for an inferred capture: the fetched capture after it with the same text"),
)

PAYLOADS = _t(
    "payloads",
    "One row per distinct raw payload (content-addressed by sha256), fetched once.",
    ("payload_sha256",),
    ("payload_sha256", "VARCHAR", "sha256 of the raw bytes; also the file name in the raw store"),
    ("n_bytes", "BIGINT", "payload size in bytes"),
    ("content_type", "VARCHAR", "Content-Type header of the archived response, verbatim"),
    ("first_captured_at", "TIMESTAMP", "earliest capture with this payload"),
    ("stored_at", "TIMESTAMP", "when the payload entered the raw store, UTC"),
)

DOCUMENTS = _t(
    "documents",
    "One row per (payload, extractor version): the clean text and what we know of it.",
    ("payload_sha256", "extractor_version"),
    ("payload_sha256", "VARCHAR", "the payload this document was extracted from"),
    ("extractor_version", "VARCHAR", "version of the extract + classify + dates code"),
    ("status", "VARCHAR", "ok | empty | not_policy | error | too_large | not_html"),
    ("title", "VARCHAR", "page title"),
    ("language", "VARCHAR", "ISO 639-1 code of the text's language"),
    ("text", "VARCHAR", "clean markdown text of the main content"),
    ("text_sha256", "VARCHAR", "sha256 of the normalized text (used to group versions)"),
    ("is_policy", "BOOLEAN", "whether the page is a privacy policy (page_type = 'privacy_policy')"),
    ("policy_score", "DOUBLE", "0-1 confidence that the page is a privacy policy"),
    ("stated_date", "DATE", "'last updated' / 'effective' date stated in the text, never after capture"),
    ("stated_date_confidence", "DOUBLE", "0-1 confidence in stated_date"),
    ("word_count", "INTEGER", "words in text"),
    ("fk_grade", "DOUBLE", "Flesch-Kincaid grade level of text"),
    ("error", "VARCHAR", "one-line reason when status is not ok"),
    (
        "page_type",
        "VARCHAR",
        "privacy_policy | cookie_notice | other_legal | not_legal | unknown (a language the classifier was not "
        "built for); null for documents without text and those of extractors before 0.4.0",
    ),
    (
        "extraction_key",
        "VARCHAR",
        "digest of what extraction reads of the payload (HTML less the inside of scripts, styles, comments): "
        "payloads with one key share one extraction; null for payloads extracted on their own",
    ),
)

SEGMENTS = _t(
    "segments",
    "One row per segment (section paragraph, list item, table) of a document.",
    ("payload_sha256", "extractor_version", "position"),
    ("payload_sha256", "VARCHAR", "document's payload"),
    ("extractor_version", "VARCHAR", "document's extractor version"),
    ("segment_id", "VARCHAR", "stable id: normalized text plus heading path, same across versions"),
    ("position", "INTEGER", "0-based order in the document"),
    ("heading_path", "VARCHAR[]", "headings above the segment, outermost first"),
    ("kind", "VARCHAR", "paragraph | list_item | table | heading_only"),
    ("text", "VARCHAR", "segment text (markdown)"),
    ("text_sha256", "VARCHAR", "sha256 of the normalized segment text; the key tags are cached by"),
)

SEGMENT_PRACTICES = _t(
    "segment_practices",
    "One row per (segment text, tagger, tagger version, category) that the tagger assigned.",
    ("text_sha256", "tagger", "tagger_version", "category"),
    ("text_sha256", "VARCHAR", "normalized segment text hash; join to segments.text_sha256"),
    ("tagger", "VARCHAR", "tagger name (rules, trained:<model>)"),
    ("tagger_version", "VARCHAR", "tagger version"),
    ("category", "VARCHAR", "the tagger's label (OPP-115 category or rules marker); `practices` maps it to an id"),
    ("score", "DOUBLE", "0-1 score"),
    ("cue", "VARCHAR", "the phrase or feature that fired (explanation)"),
)

PRACTICES = _t(
    "practices",
    "One row per practice an analyst reads (pipelines/practices/data/practices.toml): the one id tables and marts "
    "use, whatever tagger labels name it.",
    ("practice_id",),
    ("practice_id", "VARCHAR", "snake_case id, e.g. third_party_sharing, do_not_track, gdpr"),
    ("name", "VARCHAR", "display name, e.g. 'Third-party sharing and collection'"),
    ("kind", "VARCHAR", "opp115_category | regulation | programme | technology | audience"),
    ("labels", "VARCHAR[]", "the tagger labels (segment_practices.category) that mean this practice"),
)

TAGGER_LANGUAGES = _t(
    "tagger_languages",
    "One row per (tagger, tagger version, language) the tagger reads: a version in another language has unknown "
    "(null) practices, not absent ones.",
    ("tagger", "tagger_version", "language"),
    ("tagger", "VARCHAR", "tagger name"),
    ("tagger_version", "VARCHAR", "tagger version"),
    ("language", "VARCHAR", "ISO 639-1 code, as in documents.language"),
)

TAGGED_TEXTS = _t(
    "tagged_texts",
    "One row per (segment text, tagger, tagger version) already tagged, with or without tags.",
    ("text_sha256", "tagger", "tagger_version"),
    ("text_sha256", "VARCHAR", "normalized segment text hash"),
    ("tagger", "VARCHAR", "tagger name"),
    ("tagger_version", "VARCHAR", "tagger version"),
)

POLICY_VERSIONS = _t(
    "policy_versions",
    "One row per version of a site's policy: consecutive policy captures with the same normalized text.",
    ("version_id",),
    ("version_id", "VARCHAR", "site_id plus ordinal, e.g. acme#003"),
    ("site_id", "VARCHAR", "site"),
    ("version_no", "INTEGER", "1-based order of the version within the site"),
    ("url", "VARCHAR", "URL of the version's first capture"),
    ("text_sha256", "VARCHAR", "normalized text hash of the version's representative document"),
    ("payload_sha256", "VARCHAR", "representative payload (the first capture's)"),
    (
        "valid_from",
        "TIMESTAMP",
        "first capture showing this version (always a fetched capture: "
        "a bisecting build brackets every change between fetched captures, never inferred ones)",
        "first_captured_at",
    ),
    ("last_captured_at", "TIMESTAMP", "last capture showing this version"),
    ("changed_after", "TIMESTAMP", "last capture of the previous version (the change happened after it)"),
    ("valid_to", "TIMESTAMP", "first capture of the next version (null while current)"),
    ("n_captures", "INTEGER", "captures grouped into this version"),
    ("stated_date", "DATE", "stated 'last updated' date of the version"),
    ("word_count", "INTEGER", "words in the version's text"),
    ("is_current", "BOOLEAN", "true for the site's latest version"),
    ("language", "VARCHAR", "ISO 639-1 code of the version's text (documents.language); null when undetected"),
)

CAPTURE_VERSIONS = _t(
    "capture_versions",
    "One row per policy capture that belongs to a version.",
    ("capture_id",),
    ("capture_id", "VARCHAR", "capture"),
    ("site_id", "VARCHAR", "site"),
    ("version_id", "VARCHAR", "version the capture shows"),
)

VERSION_CHANGES = _t(
    "version_changes",
    "One row per pair of consecutive versions of a site's policy.",
    ("to_version_id",),
    ("site_id", "VARCHAR", "site"),
    ("from_version_id", "VARCHAR", "earlier version"),
    ("to_version_id", "VARCHAR", "later version"),
    ("changed_after", "TIMESTAMP", "last capture of the earlier version"),
    (
        "valid_from",
        "TIMESTAMP",
        "first capture of the later version: the change lies in (changed_after, valid_from]",
        "changed_before",
    ),
    ("similarity", "DOUBLE", "0-1 share of words the versions have in common, in order (`changes.text_similarity`)"),
    ("segments_added", "INTEGER", "segments only in the later version"),
    ("segments_removed", "INTEGER", "segments only in the earlier version"),
    ("segments_modified", "INTEGER", "segments matched fuzzily with edited text"),
    ("segments_unchanged", "INTEGER", "segments with the same id in both"),
    (
        "practices_gained",
        "VARCHAR[]",
        "practice ids present in the later version only; null when unknown (a translation, or a language the "
        "tagger does not read)",
    ),
    ("practices_lost", "VARCHAR[]", "practice ids present in the earlier version only; null when unknown"),
    ("stated_date_from", "DATE", "stated date of the earlier version"),
    ("stated_date_to", "DATE", "stated date of the later version"),
    (
        "change_kind",
        "VARCHAR",
        "edited (same language) | translated (the text's language changed: practices are not compared)",
    ),
    ("language_from", "VARCHAR", "language of the earlier version"),
    ("language_to", "VARCHAR", "language of the later version"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        CAPTURES,
        PAYLOADS,
        DOCUMENTS,
        SEGMENTS,
        SEGMENT_PRACTICES,
        PRACTICES,
        TAGGER_LANGUAGES,
        TAGGED_TEXTS,
        POLICY_VERSIONS,
        CAPTURE_VERSIONS,
        VERSION_CHANGES,
    )
}


def markdown_doc() -> str:
    """Render every table as markdown (grain, key, columns) for the README and `policy-history schema`."""
    out: list[str] = []
    for t in TABLES.values():
        out.append(f"### `{t.name}`\n\n{t.grain} Key: `{', '.join(t.key)}`.\n")
        out.append("| column | type | meaning |\n| --- | --- | --- |")
        out.extend(f"| `{c.name}` | {c.type} | {c.doc} |" for c in t.columns)
        out.append("")
    return "\n".join(out)
