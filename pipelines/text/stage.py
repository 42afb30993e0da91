"""The documents and segments stages (what the `documents` and `segments` assets call).

Each extracts or segments only what has no row yet at the current extractor version; batches go to the pool's
workers, which stage Parquet, and this process loads it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import datetime

import duckdb
import pandas as pd

from pipelines.archive.store import RawStore
from pipelines.runtime.pool import Pool, call, pool_or_local, task_size
from pipelines.runtime.shards import in_shards
from pipelines.runtime.staging import (
    staging_dir,
    stream_to_table,
    todo_batches,
    todo_table,
    with_progress,
    with_texts,
)
from pipelines.text.extract import EXTRACTOR_VERSION, Document, dated_like, extract, extract_many, extraction_key
from pipelines.text.segment import segment_markdown
from pipelines.warehouse import tables
from pipelines.warehouse.schema import TABLES

# Items per staged batch, at most (a small stage's are smaller, `task_size`): big enough that a task outweighs
# its scheduling, small enough to bound memory.
EXTRACT_BATCH = 32  # distinct extraction keys
KEY_BATCH = 256  # payloads whose extraction key a task computes
COPY_PAGE = 500  # documents copied from a known extraction key per insert
SEGMENT_BATCH = 200


def _extract_batch(
    store_root: str, out: str, tasks: list[tuple[str, str | None, datetime | None, str | None]], reuse: bool = True
) -> dict:
    """Extract a batch of (payload, content type, first capture, extraction key) tasks from the raw store and
    stage their `documents` rows as one Parquet file.

    With `reuse`, payloads of one extraction key are read once (the batches hold a key's payloads together);
    without, each payload is extracted on its own (the exhaustive reference).
    """
    store = RawStore(store_root)
    if reuse:
        loads = ((functools.partial(store.get, sha), ctype, first) for sha, ctype, first, _ in tasks)
        docs = extract_many(loads, (t[3] for t in tasks))
    else:
        docs = (extract(store.get(sha), ctype, captured_at=first) for sha, ctype, first, _ in tasks)
    rows = [{"payload_sha256": t[0], **doc.row()} for t, doc in zip(tasks, docs, strict=True)]
    tables.frame(TABLES["documents"], rows).to_parquet(out, index=False)
    keyed = {t[3] for t in tasks if t[3] is not None}
    reads = len(keyed) + sum(t[3] is None for t in tasks) if reuse else len(tasks)
    return {"path": out, "rows": len(rows), "reads": reads, "policies": sum(bool(r["is_policy"]) for r in rows)}


def _key_batch(store_root: str, tasks: list[tuple]) -> dict:
    """The extraction keys of a batch of payloads of the raw store: (payload, key) pairs."""
    store = RawStore(store_root)
    return {"keys": [(t[0], extraction_key(store.get(t[0]), t[1])) for t in tasks]}


def _segment_batch(out: str, docs: list[tuple[str, str]]) -> dict:
    """Segment a batch of (payload, text) documents of the current extractor version, one of each text (see
    `segment_documents`), and stage their `segments` rows as one Parquet file."""
    rows = [
        {"payload_sha256": sha, "extractor_version": EXTRACTOR_VERSION, **vars(seg)}
        for sha, text in docs
        for seg in segment_markdown(text)
    ]
    tables.frame(TABLES["segments"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows)}


def extract_documents(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    shards: Sequence[int],
    pool: Pool | None = None,
    reuse: bool = True,
) -> dict[str, int]:
    """Extract every payload of these shards that has no document at the current extractor version.

    With `reuse` (the default), each payload's extraction key (`extraction_key`) is computed first, which costs a
    fraction of an extraction: a payload whose key has a document already gets a copy of it, dated for its own
    capture; the others are extracted once per key. The documents are those extracting every payload on its own
    would give (`reuse=False`). Batches go to the pool's workers, which read the raw store and stage Parquet;
    each staged batch is loaded here as soon as it is done, so memory holds a few batches, never the whole run.
    """
    where, params = in_shards(shards)
    n = todo_table(
        con,
        f"""
        SELECT p.payload_sha256, p.content_type, min(c.captured_at) AS first_captured_at,
               NULL::VARCHAR AS extraction_key  -- filled in by the key pass (`_key_todo`)
        FROM captures c JOIN payloads p USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok'
          AND NOT EXISTS (SELECT 1 FROM documents d
                          WHERE d.payload_sha256 = p.payload_sha256 AND d.extractor_version = ?)
        GROUP BY ALL ORDER BY min(c.shard), min(c.site_id), first_captured_at, 1
        """,
        [*params, EXTRACTOR_VERSION],
    )
    if not n:
        return {"extracted": 0, "reused": 0, "extractions": 0, "policies": 0}
    reused = policies = 0
    with staging_dir(con, "documents") as stage_dir, pool_or_local(pool, n) as p:
        if reuse:
            _key_todo(con, store, p, n)
            reused, policies = _copy_known(con)
            # a key's payloads together, keys in the order of their first payload (site by site, in time): the
            # captures of one page then reach one worker close together, which reads a text it saw once only
            todo_table(
                con,
                "SELECT c0, c1, c2, c3 FROM (SELECT *, min(_i) OVER (PARTITION BY coalesce(c3, c0)) AS _k FROM _todo)"
                " ORDER BY _k, c2, c0",
                [],
            )
            # progress counts keys: a batch holds `size` keys, however many payloads share them
            n = con.execute("SELECT count(DISTINCT c3) + count(*) FILTER (c3 IS NULL) FROM _todo").fetchone()[0]
        size = task_size(n, p.slots, EXTRACT_BATCH, 4)
        batches = key_batches(con, size) if reuse else todo_batches(con, size)
        jobs = (
            (_extract_batch, str(store.root), str(stage_dir / f"{i:08d}.parquet"), batch, reuse)
            for i, batch in enumerate(batches)
        )
        done = stream_to_table(con, p, jobs, "documents", (n, size))
    return {
        "extracted": sum(d["rows"] for d in done),  # documents made by extraction (the rest copied)
        "reused": reused,
        "extractions": sum(d["reads"] for d in done),  # pages read: one per extraction key
        "policies": policies + sum(d["policies"] for d in done),
    }


def _key_todo(con: duckdb.DuckDBPyConnection, store: RawStore, pool: Pool, n: int) -> None:
    """Fill in _todo's extraction keys (c3), computed by the pool's workers from the raw store."""
    con.execute("CREATE OR REPLACE TEMP TABLE _keys (payload_sha256 VARCHAR, extraction_key VARCHAR)")
    size = task_size(n, pool.slots, KEY_BATCH, 32)
    jobs = ((_key_batch, str(store.root), batch) for batch in todo_batches(con, size))
    for d in with_progress(pool.run(call, jobs), "extraction keys", n, size):
        keys = pd.DataFrame(d["keys"], columns=["payload_sha256", "extraction_key"])  # noqa: F841 (read by SQL)
        con.execute("INSERT INTO _keys SELECT * FROM keys")
    todo_table(
        con,
        "SELECT t.c0, t.c1, t.c2, k.extraction_key FROM _todo t LEFT JOIN _keys k ON k.payload_sha256 = t.c0 "
        "ORDER BY t._i",
        [],
    )
    con.execute("DROP TABLE _keys")


def _copy_known(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Document every to-do payload whose extraction key has a document (of an earlier run) with a copy of it,
    dated for the payload's own first capture, and take it off _todo; (documents copied, policies among them).
    A payload whose date only the page around the text could give (see `dated_like`) stays to be extracted."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _known AS
        SELECT row_number() OVER (ORDER BY t._i) AS i, t.c0 AS sha, t.c2 AS first, d.rowid AS r
        FROM _todo t
        JOIN (SELECT extraction_key, min(payload_sha256) AS sha FROM documents
              WHERE extractor_version = ? AND extraction_key IS NOT NULL GROUP BY 1) k ON k.extraction_key = t.c3
        JOIN documents d ON d.payload_sha256 = k.sha AND d.extractor_version = ?
        """,
        [EXTRACTOR_VERSION, EXTRACTOR_VERSION],
    )
    fields = set(Document.__dataclass_fields__)
    copied = policies = 0
    start = 1
    while True:  # a page at a time: the known documents' texts may outgrow memory
        cur = con.execute(
            "SELECT k.sha, k.first, d.* FROM _known k JOIN documents d ON d.rowid = k.r "
            "WHERE k.i >= ? AND k.i < ? ORDER BY k.i",
            [start, start + COPY_PAGE],
        )
        names = [c[0] for c in cur.description][2:]
        page = cur.fetchall()
        if not page:
            break
        start += COPY_PAGE
        rows = []
        for sha, first, *values in page:
            doc = Document(**{k: v for k, v in zip(names, values, strict=True) if k in fields})
            if (copy := dated_like(doc, first)) is not None:
                rows.append({"payload_sha256": sha, **copy.row()})
        if rows:
            tables.append(con, "documents", rows)
            copied += len(rows)
            policies += sum(bool(r["is_policy"]) for r in rows)
    con.execute("DROP TABLE _known")
    con.execute(
        "DELETE FROM _todo WHERE c0 IN (SELECT payload_sha256 FROM documents WHERE extractor_version = ?)",
        [EXTRACTOR_VERSION],
    )
    return copied, policies


def key_batches(con: duckdb.DuckDBPyConnection, keys: int) -> Iterator[list[tuple]]:
    """_todo (payload, content type, first capture, extraction key; a key's rows next to each other) in batches
    of at most `keys` distinct keys, a key's payloads in one batch so that its page is read once; a payload
    without a key is a key."""
    batch: list[tuple] = []
    distinct, last = 0, None
    for rows in todo_batches(con, 1000):
        for row in rows:
            key = row[3]
            new = key is None or key != last
            if new and distinct == keys:
                yield batch
                batch, distinct = [], 0
            distinct += new
            last = key
            batch.append(row)
    if batch:
        yield batch


def segment_documents(
    con: duckdb.DuckDBPyConnection, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Segment every policy document of these shards that has no segments yet.

    Segments are a function of the text alone, and an archive holds one text under many payloads: each text is
    segmented once (on the pool), and every other document with that text gets a copy of its rows, in SQL.
    """
    where, params = in_shards(shards)
    # `text_group` tells equal texts (the smallest rowid holding the text); `text_sha256` is over normalized
    # text, and two texts it equates (one with a bold heading, one without) segment apart. The texts are read
    # by rowid for the GROUP BY alone: a window partitioned by the text, or texts carried through the joins
    # that pick the documents, take three to five times as long
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _unsegmented AS
        WITH u AS (
            SELECT d.rowid AS r, d.payload_sha256, d.text_sha256
            FROM documents d
            WHERE d.extractor_version = ? AND d.is_policy
              AND d.payload_sha256 IN (SELECT payload_sha256 FROM captures c WHERE c.{where})
              AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.payload_sha256 = d.payload_sha256
                              AND s.extractor_version = d.extractor_version)
        )
        SELECT u.r, u.payload_sha256, u.text_sha256, g.text_group
        FROM u JOIN (SELECT unnest(list(rowid)) AS r, min(rowid) AS text_group FROM documents
                     WHERE rowid IN (SELECT r FROM u) GROUP BY text) g USING (r)
        """,
        [EXTRACTOR_VERSION, *params],
    )
    documents = con.execute("SELECT count(*) FROM _unsegmented").fetchone()[0]
    if not documents:
        con.execute("DROP TABLE _unsegmented")
        return {"documents": 0, "segments": 0, "texts_segmented": 0}
    # one document of each text that no segmented document has yet
    n = todo_table(
        con,
        f"""
        SELECT min(r), arg_min(payload_sha256, r) FROM _unsegmented
        WHERE payload_sha256 NOT IN (SELECT target FROM ({_SEGMENTED_LIKE}))
        GROUP BY text_group ORDER BY 1
        """,
        [EXTRACTOR_VERSION] * 3,
    )
    made = 0
    if n:
        with staging_dir(con, "segments") as stage_dir, pool_or_local(pool, n) as p:
            jobs = (
                (_segment_batch, str(stage_dir / f"{i:08d}.parquet"), batch)
                for i, batch in enumerate(with_texts(con, "documents", SEGMENT_BATCH, EXTRACTOR_VERSION))
            )
            made = sum(d["rows"] for d in stream_to_table(con, p, jobs, "segments", (n, SEGMENT_BATCH)))
    copied = _copy_segments(con)
    con.execute("DROP TABLE _unsegmented")
    return {"documents": documents, "segments": made + copied, "texts_segmented": n}


# For each document of _unsegmented, a segmented document with exactly its text (if any): the one whose rows it
# copies. Texts are compared where their normalized hashes agree.
_SEGMENTED_LIKE = """
    SELECT u.payload_sha256 AS target, min(d.payload_sha256) AS source
    FROM _unsegmented u
    JOIN documents du ON du.payload_sha256 = u.payload_sha256 AND du.extractor_version = ?
    JOIN documents d ON d.text_sha256 = u.text_sha256 AND d.extractor_version = ? AND d.text = du.text
    WHERE EXISTS (SELECT 1 FROM segments s WHERE s.payload_sha256 = d.payload_sha256 AND s.extractor_version = ?)
    GROUP BY 1
"""


def _copy_segments(con: duckdb.DuckDBPyConnection) -> int:
    """Give each document of _unsegmented still without segments a copy of the rows of a segmented document
    with its text; the number of rows copied."""
    cols = TABLES["segments"].column_names
    copied = ", ".join("k.target" if c == "payload_sha256" else f"s.{c}" for c in cols)
    with tables.transaction(con):
        return con.execute(
            f"""
            INSERT INTO segments ({", ".join(cols)})
            SELECT {copied}
            FROM ({_SEGMENTED_LIKE}) k
            JOIN segments s ON s.payload_sha256 = k.source AND s.extractor_version = ?
            WHERE NOT EXISTS (SELECT 1 FROM segments t WHERE t.payload_sha256 = k.target
                              AND t.extractor_version = ?)
            """,
            [EXTRACTOR_VERSION] * 5,
        ).fetchone()[0]
