"""The policy_versions and version_changes stages (what their assets call): group each site's policy captures
into versions, and compare consecutive versions, on the pool, a chunk of sites a job.

A shard is skipped when its inputs and the code are those of the last run (`runtime.fingerprints`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter

import duckdb
import pandas as pd

from pipelines.history import changes as changes_module
from pipelines.history import versions as versions_module
from pipelines.history.changes import diff_versions
from pipelines.history.versions import group_versions
from pipelines.practices.catalog import PRACTICE_OF, practice_of
from pipelines.practices.tags import Tagger
from pipelines.runtime.fingerprints import code_identity, shard_prints, stale_shards
from pipelines.runtime.pool import Pool, call, pool_or_local
from pipelines.runtime.shards import in_shards, sites_of
from pipelines.runtime.staging import LOAD_EVERY, with_progress
from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.warehouse import tables
from pipelines.warehouse.texts import texts_at

SITE_CHUNK = 100  # sites a versions or changes job covers: its texts are what a job holds in memory


def _versions_prints(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> dict[int, str]:
    where, params = in_shards(shards)
    sql = f"""
        SELECT c.shard, count(*), bit_xor(hash(c.capture_id, c.site_id, c.url, c.captured_at, c.payload_sha256,
                                             d.text_sha256, d.stated_date, d.word_count, d.language))
        FROM captures c JOIN documents d USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok' AND d.is_policy AND d.extractor_version = ?
        GROUP BY 1
    """
    return shard_prints(con, [(sql, [*params, EXTRACTOR_VERSION])], shards, code_identity(versions_module))


def build_versions(con: duckdb.DuckDBPyConnection, shards: Sequence[int], pool: Pool | None = None) -> dict[str, int]:
    """Group the policy captures of every site of these shards into versions (their rows replaced).

    A shard is skipped when its policy captures and documents, and the grouping code, are those of the last
    run. The others are grouped on the pool, SITE_CHUNK sites a job: memory holds the texts of the jobs in
    flight, never a whole shard's, and the jobs of all stale shards share the workers.
    """
    prints = _versions_prints(con, shards)
    stale = stale_shards(con, "policy_versions", prints)
    if not stale:
        return {"versions": 0, "sites": 0, "unchanged": 1}
    n_versions = n_sites = 0
    names = ("policy_versions", "capture_versions")
    for fresh, done, loads in _by_chunk(con, stale, pool, names, _version_jobs, "sites grouped"):
        _load_chunk(con, "policy_versions", loads, fresh, {s: prints[s] for s in done})
        versions = [rows for table, rows in loads if table == "policy_versions" and len(rows)]
        n_versions += sum(len(rows) for rows in versions)
        n_sites += sum(rows["site_id"].nunique() for rows in versions)  # a site is in one job
    return {"versions": n_versions, "sites": n_sites, "shards": len(stale)}


def _site_chunks(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> tuple[dict[int, list[list[str]]], int]:
    """The sites of each of these shards in chunks of up to SITE_CHUNK site ids, in site order (the chunks of a
    shard that has no site are empty), and the shards' ok captures."""
    where, params = in_shards(shards)
    n = con.execute(f"SELECT count(*) FROM captures WHERE {where} AND fetch_status = 'ok'", params).fetchone()[0]
    sites = con.execute(f"SELECT DISTINCT shard, site_id FROM captures WHERE {where} ORDER BY 1, 2", params).fetchall()
    chunks: dict[int, list[list[str]]] = {s: [] for s in shards}
    for shard, rows in itertools.groupby(sites, key=itemgetter(0)):
        ids = [site for _, site in rows]
        chunks[shard] = [ids[i : i + SITE_CHUNK] for i in range(0, len(ids), SITE_CHUNK)]
    return chunks, n


def _by_chunk(
    con: duckdb.DuckDBPyConnection,
    shards: Sequence[int],
    pool: Pool | None,
    names: Sequence[str],
    jobs_of: Callable[[duckdb.DuckDBPyConnection, dict[int, list[list[str]]]], Iterator[tuple]],
    what: str,
) -> Iterator[tuple[list[int], list[int], list[tuple[str, pd.DataFrame]]]]:
    """Run the pool jobs `jobs_of(con, {shard: chunks})` makes for the shards' chunks of sites (each job returns
    its shard and a frame of each table of `names`). Yield the results as they come, LOAD_EVERY at a time, as
    (fresh, done, loads): the shards they are the first of to come (their old rows to delete), the shards they
    complete (their fingerprints to record), and their (table, rows). The shards with no sites come first,
    all at once, with empty frames: a small build has most of its shards empty, and a load a shard costs
    ~10 ms for nothing. `jobs_of` reads what the jobs need for all the shards at once: a query a shard would
    scan the same tables once for each.

    Jobs are made as the pool takes them and results are loaded as they come, so the writer holds the inputs
    and results of the jobs in flight and of LOAD_EVERY more: nothing that grows with the tables.
    """
    chunks, n = _site_chunks(con, shards)
    left = {s: len(c) for s, c in chunks.items()}
    started: set[int] = set()

    def grouped(results: list[tuple[list[int], list[pd.DataFrame]]]) -> tuple:
        fresh, done = [], []
        for shards_of, _ in results:
            fresh += [s for s in shards_of if s not in started]
            started.update(shards_of)
            for s in shards_of:
                left[s] = max(left[s] - 1, 0)  # an empty shard has no job to wait for
                if not left[s]:
                    done.append(s)
        results_loads = [(name, rows) for _, frames in results for name, rows in zip(names, frames, strict=True)]
        results.clear()
        return fresh, done, results_loads

    pending = [(empty, [pd.DataFrame()] * len(names))] if (empty := [s for s in shards if not left[s]]) else []
    if busy := {s: chunks[s] for s in shards if left[s]}:
        with pool_or_local(pool, n) as p:
            total = sum(len(c) for cs in chunks.values() for c in cs)
            for shard, *frames in with_progress(p.run(call, jobs_of(con, busy)), what, total, SITE_CHUNK):
                pending.append(([shard], frames))
                if len(pending) >= LOAD_EVERY:
                    yield grouped(pending)
    if pending:
        yield grouped(pending)


def _load_chunk(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    loads: list[tuple[str, pd.DataFrame]],
    fresh: list[int],
    prints: dict[int, str],
) -> None:
    """Load some results' rows, in one transaction: first deleting the old rows of the `fresh` shards (those
    the results are the first of), and last recording the `prints` of the shards they complete, so that a
    crash before a shard's last load leaves it stale, to be redone whole by the next run."""
    tables.load_slices(con, loads, sites_of(fresh) if fresh else None, (stage, prints))


def _chunk_rows(con: duckdb.DuckDBPyConnection, shard: int, sites: list[str]) -> pd.DataFrame:
    """The rows of _shard for one chunk of a shard's sites (chunks are ranges of the shard's sites in order)."""
    return con.execute(
        "SELECT * EXCLUDE (shard) FROM _shard WHERE shard = ? AND site_id BETWEEN ? AND ?", [shard, sites[0], sites[-1]]
    ).df()


def _version_jobs(con: duckdb.DuckDBPyConnection, chunks: dict[int, list[list[str]]]) -> Iterator[tuple]:
    """Versions jobs for these shards' chunks of sites: each, the policy captures of a chunk
    (versions.VERSION_INPUT_COLUMNS), each text held once however many captures share it (and pickled once to a
    worker)."""
    # `_t` is the smallest rowid of the documents with the row's text: texts read by rowid for a GROUP BY
    # alone take a third to a fifth of the time of a window partitioned by the text, or of texts carried
    # through the joins that pick the documents
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard AS
           WITH c AS (SELECT * FROM captures WHERE shard IN (SELECT unnest(?)) AND fetch_status = 'ok'),
           d AS (SELECT rowid AS _r, payload_sha256, stated_date, word_count, language FROM documents
                 WHERE is_policy AND extractor_version = ? AND payload_sha256 IN (SELECT payload_sha256 FROM c)),
           t AS (SELECT unnest(list(rowid)) AS _r, min(rowid) AS _t FROM documents
                 WHERE rowid IN (SELECT _r FROM d) GROUP BY text)
           SELECT c.shard, c.capture_id, c.site_id, c.url, c.captured_at, c.payload_sha256, d.stated_date,
                  d.word_count, d.language, d._r, t._t
           FROM c JOIN d USING (payload_sha256) JOIN t USING (_r)
           ORDER BY c.shard, c.site_id""",
        [list(chunks), EXTRACTOR_VERSION],
    )
    for shard, shard_chunks in chunks.items():
        for sites in shard_chunks:
            df = _chunk_rows(con, shard, sites)
            yield _group_chunk, shard, df.drop(columns=["_r", "_t"]).assign(text=_each_text_once(con, df))


def _each_text_once(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> pd.Series:
    """The text of each row of `df` (its document's rowid `_r`, payload, and `_t`, one number for each distinct
    text), each distinct text read once: an archive holds one text under many payloads."""
    one = df.drop_duplicates("_t")
    texts = texts_at(con, "documents", zip(one["_r"], one["payload_sha256"], strict=True), EXTRACTOR_VERSION)
    by_text = dict(zip(one["_t"], one["payload_sha256"].map(texts), strict=True))
    return df["_t"].map(by_text)


def _group_chunk(shard: int, df: pd.DataFrame) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """group_versions over one chunk of sites (run on a worker), tagged with the chunk's shard."""
    return (shard, *group_versions(df))


def _changes_prints(con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int]) -> dict[int, str]:
    where, params = in_shards(shards)
    # the shard of each version's site, then what diff_versions reads: versions, their segments and tags
    versions = f"""
        WITH site_shard AS (SELECT DISTINCT site_id, shard FROM captures WHERE {where})
        SELECT ss.shard, v.* FROM policy_versions v JOIN site_shard ss USING (site_id)
    """
    queries = [
        (
            f"""WITH v AS ({versions}) SELECT shard, count(*), bit_xor(hash(version_id, version_no, payload_sha256,
                text_sha256, valid_from, last_captured_at, changed_after, stated_date, language)) FROM v GROUP BY 1""",
            params,
        ),
        (
            f"""WITH v AS ({versions}) SELECT v.shard, count(*), bit_xor(hash(v.version_id, s.segment_id,
                s.text_sha256)) FROM v JOIN segments s USING (payload_sha256) GROUP BY 1""",
            params,
        ),
        (
            f"""WITH v AS ({versions}) SELECT v.shard, count(*), bit_xor(hash(v.version_id, s.position, p.category))
                FROM v JOIN segments s USING (payload_sha256)
                JOIN segment_practices p ON p.text_sha256 = s.text_sha256 AND p.tagger = ? AND p.tagger_version = ?
                GROUP BY 1""",
            [*params, tagger.name, tagger.version],
        ),
    ]
    code = (
        f"{code_identity(changes_module)} {tagger.name} {tagger.version} {EXTRACTOR_VERSION} "
        f"{sorted(tagger.languages)} {sorted(PRACTICE_OF.items())}"
    )
    return shard_prints(con, queries, shards, code)


def build_changes(
    con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Compare every pair of consecutive versions of the sites of these shards (their rows replaced).

    A shard is skipped when its versions, their segments and tags, and the diff code are those of the last run.
    The others are compared on the pool, SITE_CHUNK sites a job, as `build_versions` groups them.
    """
    prints = _changes_prints(con, tagger, shards)
    stale = stale_shards(con, "version_changes", prints)
    if not stale:
        return {"changes": 0, "unchanged": 1}
    jobs_of = functools.partial(_change_jobs, tagger=tagger)
    total = 0
    for fresh, done, loads in _by_chunk(con, stale, pool, ("version_changes",), jobs_of, "sites compared"):
        _load_chunk(con, "version_changes", loads, fresh, {s: prints[s] for s in done})
        total += sum(len(rows) for _, rows in loads)
    return {"changes": total, "shards": len(stale)}


def _change_jobs(con: duckdb.DuckDBPyConnection, chunks: dict[int, list[list[str]]], tagger: Tagger) -> Iterator[tuple]:
    """Changes jobs for these shards' chunks of sites: each, what `diff_versions` reads for a chunk: their
    versions, and each version's text, segments and tags."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard AS
           SELECT ss.shard, v.*, coalesce(d.rowid, -1) AS _r FROM policy_versions v
           JOIN (SELECT DISTINCT shard, site_id FROM captures WHERE shard IN (SELECT unnest(?))) ss
             ON ss.site_id = v.site_id
           LEFT JOIN documents d ON d.payload_sha256 = v.payload_sha256 AND d.extractor_version = ?
           ORDER BY ss.shard, v.site_id""",
        [list(chunks), EXTRACTOR_VERSION],
    )
    # a document's segments are loaded together: one rowid range each
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard_segments AS
           SELECT payload_sha256, min(rowid) AS lo, max(rowid) AS hi, count(*) AS n FROM segments
           WHERE extractor_version = ? AND payload_sha256 IN (SELECT payload_sha256 FROM _shard) GROUP BY 1""",
        [EXTRACTOR_VERSION],
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard_practices AS
           SELECT DISTINCT s.payload_sha256, p.category FROM segments s
           JOIN segment_practices p ON p.text_sha256 = s.text_sha256 AND p.tagger = ? AND p.tagger_version = ?
           WHERE s.extractor_version = ? AND s.payload_sha256 IN (SELECT payload_sha256 FROM _shard)""",
        [tagger.name, tagger.version, EXTRACTOR_VERSION],
    )
    for shard, shard_chunks in chunks.items():
        for sites in shard_chunks:
            versions = _chunk_rows(con, shard, sites)
            texts = texts_at(
                con, "documents", set(zip(versions["_r"], versions["payload_sha256"], strict=True)), EXTRACTOR_VERSION
            )
            payloads = versions["payload_sha256"].unique().tolist()
            yield (
                _diff_chunk,
                shard,
                versions.drop(columns="_r"),
                texts,
                _segments_of(con, payloads),
                _practices_of(con, payloads),
                tagger.languages,
            )


def _segments_of(con: duckdb.DuckDBPyConnection, payloads: list[str]) -> dict[str, dict[str, str]]:
    """{payload: {segment id: text}} for these payloads of _shard_segments, read within their rowid range (a
    payload whose rows are no longer all there, as rowids may move at a checkpoint, is read by key)."""
    ranges = con.execute(
        "SELECT payload_sha256, lo, hi, n FROM _shard_segments WHERE payload_sha256 IN (SELECT unnest(?))", [payloads]
    ).fetchall()
    if not ranges:
        return {}
    segs: dict[str, dict[str, str]] = {}
    query = """SELECT payload_sha256, segment_id, text FROM segments
               WHERE extractor_version = ? AND payload_sha256 IN (SELECT unnest(?)) {}"""
    got = con.execute(
        query.format("AND rowid BETWEEN ? AND ?"),
        [EXTRACTOR_VERSION, [r[0] for r in ranges], min(r[1] for r in ranges), max(r[2] for r in ranges)],
    ).fetchall()
    for sha, sid, text in got:
        segs.setdefault(sha, {})[sid] = text
    if short := [sha for sha, _, _, n in ranges if len(segs.get(sha, ())) != n]:
        for sha in short:
            segs.pop(sha, None)
        for sha, sid, text in con.execute(query.format(""), [EXTRACTOR_VERSION, short]).fetchall():
            segs.setdefault(sha, {})[sid] = text
    return segs


def _practices_of(con: duckdb.DuckDBPyConnection, payloads: list[str]) -> dict[str, set[str]]:
    """{payload: the practice ids tagged in its segments} for these payloads of _shard_practices."""
    practices: dict[str, set[str]] = {}
    for sha, cat in con.execute(
        "SELECT payload_sha256, category FROM _shard_practices WHERE payload_sha256 IN (SELECT unnest(?))", [payloads]
    ).fetchall():
        practices.setdefault(sha, set()).add(practice_of(cat))
    return practices


def _diff_chunk(
    shard: int,
    versions: pd.DataFrame,
    texts: dict[str, str],
    segs: dict[str, dict[str, str]],
    practices: dict[str, set[str]],
    languages: tuple[str, ...],
) -> tuple[int, pd.DataFrame]:
    """diff_versions over one chunk of sites (run on a worker), tagged with the chunk's shard."""
    return shard, diff_versions(versions, texts, segs, practices, languages) if len(versions) else pd.DataFrame()
