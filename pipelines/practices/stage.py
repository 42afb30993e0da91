"""The segment_practices stage (what the `segment_practices` asset calls): tag each distinct segment text once
per tagger version."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb

from pipelines.practices.catalog import catalog_rows
from pipelines.practices.tags import Tagger
from pipelines.runtime.pool import Pool, pool_or_local
from pipelines.runtime.shards import in_shards
from pipelines.runtime.staging import staging_dir, stream_to_table, todo_batches, todo_table
from pipelines.warehouse import tables
from pipelines.warehouse.schema import TABLES
from pipelines.warehouse.texts import texts_at

TAG_BATCH = 2000  # distinct texts per staged batch


def _tag_batch(out: str, tagger: Tagger, todo: list[tuple[str, str, str | None]]) -> dict:
    """Tag a batch of distinct segment texts (hash, text, document language); stage their `segment_practices`
    rows as one Parquet file."""
    rows = [
        {
            "text_sha256": sha,
            "tagger": tagger.name,
            "tagger_version": tagger.version,
            "category": t.category,
            "score": t.score,
            "cue": t.cue,
        }
        for (sha, _, _), tags in zip(
            todo, tagger.tag_batch([t for _, t, _ in todo], [lang for _, _, lang in todo]), strict=True
        )
        for t in tags
    ]
    tables.frame(TABLES["segment_practices"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows)}


def tag_segments(
    con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Tag each distinct segment text of these shards not yet tagged by this tagger version, read in the language
    detected for its document, or in its own for a long passage the tagger is sure of (and record the practices
    catalog and the languages the tagger reads)."""
    record_vocabulary(con, tagger)
    where, params = in_shards(shards)
    n = todo_table(
        con,
        f"""
        -- texts equal but for case, marks or spacing share a hash; the smallest raw text stands for them,
        -- so the tags do not depend on the order in which batches were loaded; its documents' language picks
        -- the cues (the smallest code, should one text stand in documents of two languages)
        SELECT arg_min(s.rowid, s.text) AS r, s.text_sha256, min(d.language) AS language
        FROM segments s
        LEFT JOIN documents d ON d.payload_sha256 = s.payload_sha256 AND d.extractor_version = s.extractor_version
        WHERE s.payload_sha256 IN (SELECT payload_sha256 FROM captures c WHERE c.{where})
          AND NOT EXISTS (SELECT 1 FROM tagged_texts t WHERE t.text_sha256 = s.text_sha256
                          AND t.tagger = ? AND t.tagger_version = ?)
        GROUP BY 2 ORDER BY 1
        """,
        [*params, tagger.name, tagger.version],
    )
    if not n:
        return {"texts_tagged": 0, "tags": 0}
    with staging_dir(con, "segment_practices") as stage_dir, pool_or_local(pool, n // 8) as p:
        jobs = (
            (_tag_batch, str(stage_dir / f"{i:08d}.parquet"), tagger, batch) for i, batch in enumerate(_with_texts(con))
        )
        done = stream_to_table(con, p, jobs, "segment_practices", (n, TAG_BATCH))
    # A text with no tag must still count as tagged, or every rerun would tag it again.
    con.execute(
        "INSERT INTO tagged_texts (text_sha256, tagger, tagger_version) SELECT c1, ?, ? FROM _todo",
        [tagger.name, tagger.version],
    )
    return {"texts_tagged": n, "tags": sum(d["rows"] for d in done)}


def _with_texts(con: duckdb.DuckDBPyConnection) -> Iterator[list[tuple[str, str, str | None]]]:
    """_todo as batches of (text hash, text, language), the texts read a batch at a time."""
    for batch in todo_batches(con, TAG_BATCH):
        found = texts_at(con, "segments", [(r, k) for r, k, _ in batch])
        yield [(k, found[k], lang) for _, k, lang in batch]


def record_vocabulary(con: duckdb.DuckDBPyConnection, tagger: Tagger) -> None:
    """Write the `practices` table (the catalog) and the tagger's `tagger_languages` rows, when they differ from
    what the warehouse holds: a rerun with nothing new changes nothing (and rebuilds no mart)."""
    rows = catalog_rows()
    held = con.execute("SELECT practice_id, name, kind, labels FROM practices ORDER BY practice_id").fetchall()
    if held != sorted((tuple(r.values()) for r in rows), key=lambda r: r[0]):
        tables.replace(con, "practices", rows)
    langs = sorted(tagger.languages)
    held_langs = con.execute(
        "SELECT language FROM tagger_languages WHERE tagger = ? AND tagger_version = ? ORDER BY 1",
        [tagger.name, tagger.version],
    ).fetchall()
    if [lang for (lang,) in held_langs] != langs:
        tables.replace(
            con,
            "tagger_languages",
            [{"tagger": tagger.name, "tagger_version": tagger.version, "language": lang} for lang in langs],
            "tagger = ? AND tagger_version = ?",
            [tagger.name, tagger.version],
        )
