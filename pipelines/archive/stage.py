"""The captures stage (what the `captures` asset calls): load a shard's captures and payloads, from WARC/ARC files
or a CDX server, into `captures` and `payloads`.

A load that brings in nothing usable raises `NothingUsable` (or the HTTP client's `ArchiveUnreachable`) with
one line saying why, so the build fails and nothing is published; partial trouble is counted in the stage's
stats, which `warnings` turns into the build summary's warnings.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.archive.bisect import TextJudge
from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.fetch import ingest_cdx
from pipelines.archive.http import DEFAULT_CDX_RATE, PoliteClient
from pipelines.archive.ingest import stage_warc
from pipelines.archive.sources import Sources, shard_of
from pipelines.archive.store import RawStore
from pipelines.archive.warc import DIGEST_MISMATCH, TRUNCATED, expand_paths, is_gzip, next_member
from pipelines.runtime.pool import PARALLEL_MIN_DOCS, Pool, call, pool_or_local, warm
from pipelines.runtime.shards import N_SHARDS, in_shards
from pipelines.runtime.staging import staging_dir
from pipelines.warehouse import tables
from pipelines.warehouse.schema import TABLES

log = logging.getLogger(__name__)

# Stats of this stage that count partial trouble, and what each means to a user; `<name>_detail` names them.
WARNING_STATS = {
    "files_unreadable": "WARC/ARC files not read, or read with corrupt records skipped",
    TRUNCATED: "records cut short (stored with fetch_status truncated, not extracted)",
    DIGEST_MISMATCH: "records whose payload does not match its digest (fetch_status digest_mismatch, not extracted)",
    "failed_sites": "sites whose CDX listing failed (they keep their previous captures)",
    "unavailable": "captures whose payload could not be fetched (fetch_status unavailable)",
}
MAX_NAMED = 5  # files or sites named in a warning; the count says how many there are


class NothingUsable(Exception):  # noqa: N818 - an outcome of a build, told to the user as is
    """A load that brought in nothing a build can use; the message is one line for the user."""


def warnings(stats: dict) -> list[dict]:
    """The partial trouble a captures stage's stats record: one entry (kind, count, what, detail) per kind."""
    return [
        {"kind": kind, "count": int(stats[kind]), "what": what, "detail": str(stats.get(f"{kind}_detail", ""))}
        for kind, what in WARNING_STATS.items()
        if stats.get(kind)
    ]


def _named(names: Sequence[str]) -> str:
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    return "; ".join(names[:MAX_NAMED]) + more


def load_captures(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    warc_paths: Iterable[Path | str],
    sources: Sources | None,
    shards: Sequence[int],
    pool: Pool | None = None,
    judge: TextJudge | None = None,
) -> dict[str, int | str]:
    """Load the captures of these shards into `captures` and `payloads`.

    From WARC files the shards' rows are replaced (the files are the whole truth), unless the files, the
    sources and the shards are exactly those of the last load, in which case nothing is read at all. Files
    are read as streams by the pool's workers (one staged Parquet file each); revisits are resolved and
    duplicates dropped here, in SQL, by the one writer. From a CDX server only captures newer than the
    newest known per site are asked for, and rows are upserted, so the history already loaded is kept and a
    scheduled run costs one listing per site. Which CDX captures are fetched follows the sources' `fetch`
    (`bisect`, with `judge` telling policy texts apart; `all` without one). WARC files, when given, win over the
    sources' CDX server.

    Raises `NothingUsable` when no file held a readable capture of a configured site (the shards' rows are
    then left as they were), when every site's listing failed, when every fetch of this run failed, or when
    the warehouse holds no capture with a usable payload at all; `ArchiveUnreachable` when the CDX server
    cannot be reached.
    """
    files = expand_paths(warc_paths)
    if sources is not None and sources.cdx and not files:
        stats = _load_cdx_captures(con, store, sources, shards, judge)
    else:
        stats = _load_warc_captures(con, store, files, sources, shards, pool)
    _require_usable(con)
    return stats


def _require_usable(con: duckdb.DuckDBPyConnection) -> None:
    """Raise NothingUsable when no capture of the warehouse has a payload the text stages can read."""
    by_status = dict(con.execute("SELECT fetch_status, count(*) FROM captures GROUP BY 1 ORDER BY 2 DESC").fetchall())
    if by_status.get("ok"):
        return
    if not by_status:
        raise NothingUsable("no capture of a configured site came in")
    counts = ", ".join(f"{n} {status}" for status, n in by_status.items())
    raise NothingUsable(f"no capture has a usable payload ({counts})")


# WARC bytes from which documents will go to the pool: ~35 kB an archived page compressed, so about the
# PARALLEL_MIN_DOCS pages below which the documents stage works in this process instead.
WARM_POOL_BYTES = 2_000_000
WORKER_MODULES = ("pipelines.text.extract",)  # what the documents stage's workers load first
# A .warc.gz of at least twice this many bytes is read in parts, one per worker, cut where records start.
PART_BYTES = 8_000_000


def _load_warc_captures(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    files: Sequence[Path],
    sources: Sources | None,
    shards: Sequence[int],
    pool: Pool | None,
) -> dict[str, int | str]:
    if not files:
        raise NothingUsable("no WARC/ARC files given")
    fingerprint = _warc_fingerprint(files, sources)
    done = tables.stage_fingerprints(con, "captures")
    if all(done.get(s) == fingerprint for s in shards):
        return {"captures": 0, "payloads_stored": 0, "skipped_unmatched": 0, "unchanged": 1}
    if pool is None and sum(f.stat().st_size for f in files) >= WARM_POOL_BYTES:
        warm(WORKER_MODULES)  # the workers start, and load what extraction needs, while the files are read
    parts = _parts(files, pool.slots if pool is not None else os.cpu_count() or 1)
    with staging_dir(con, "captures") as stage_dir, pool_or_local(pool, len(parts) * PARALLEL_MIN_DOCS // 2) as p:

        def job(i: int, file_no: int, start: int, end: int | None) -> tuple:
            out = str(stage_dir / f"{i:06d}.parquet")
            return (
                stage_warc,
                str(files[file_no]),
                str(store.root),
                sources,
                N_SHARDS,
                list(shards),
                out,
                file_no,
                start,
                end,
            )

        staged = list(p.run(call, (job(i, *part) for i, part in enumerate(parts))))
        wrong = _cut_wrong(staged)  # such a file is read again, whole; its parts only tell what they stored
        superseded = [s["path"] for s in staged if s["file_no"] in wrong]
        staged = [s for s in staged if s["file_no"] not in wrong]
        staged += p.run(call, [job(len(parts) + i, i, 0, None) for i in sorted(wrong)])
        _require_captures(staged)
        n, stored = _load_staged_captures(con, [s["path"] for s in staged], shards, superseded)
    tables.set_stage_fingerprints(con, "captures", dict.fromkeys(shards, fingerprint))
    errors = [s["error"] for s in sorted(staged, key=lambda s: (s["file_no"], s["start"])) if s["error"]]
    return {
        "captures": n,
        "payloads_stored": stored,
        "skipped_unmatched": sum(s["skipped_unmatched"] for s in staged),
        "records": sum(s["records"] for s in staged),
        TRUNCATED: sum(s[TRUNCATED] for s in staged),
        DIGEST_MISMATCH: sum(s[DIGEST_MISMATCH] for s in staged),
        "files_unreadable": len({s["file_no"] for s in staged if s["error"]}),
        "files_unreadable_detail": _named(errors),
    }


def _parts(files: Sequence[Path], slots: int) -> list[tuple[int, int, int | None]]:
    """What each reading job reads: (file number, first byte, end byte or None). A file is read whole, but a big
    .warc.gz on a machine with several workers is cut where records start into one part per worker (at most
    one per PART_BYTES), so that one file does not leave the other cores idle."""
    out: list[tuple[int, int, int | None]] = []
    for i, f in enumerate(files):
        size, cuts = f.stat().st_size, [0]
        n = min(slots, size // PART_BYTES)
        if n > 1 and is_gzip(f):
            with f.open("rb") as fh:
                for k in range(1, n):
                    at = next_member(fh, k * size // n)
                    if at is not None and at > cuts[-1]:
                        cuts.append(at)
        out += [(i, a, b) for a, b in zip(cuts, [*cuts[1:], None], strict=True)]
    return out


def _cut_wrong(staged: Sequence[dict]) -> set[int]:
    """The files whose parts were not read end to end: a part's reading did not stop exactly where the next
    part starts (a cut inside a record, which `next_member`'s check makes all but impossible)."""
    parts = sorted(staged, key=lambda s: (s["file_no"], s["start"]))
    pairs = zip(parts, parts[1:], strict=False)
    return {a["file_no"] for a, b in pairs if a["file_no"] == b["file_no"] and a["stopped_at"] != b["start"]}


def _require_captures(staged: Sequence[dict]) -> None:
    """Raise NothingUsable, before anything is replaced, when the files hold no capture of a configured site."""
    if any(s["rows"] for s in staged):
        return
    errors = [s["error"] for s in staged if s["error"]]
    if len(errors) == len(staged):
        raise NothingUsable(f"no readable WARC/ARC record: {_named(errors)}")
    if not sum(s["captures"] for s in staged):
        raise NothingUsable(
            f"no capture (response, revisit or page resource record) in {sum(s['records'] for s in staged)} records"
            f" of {len(staged)} file(s)" + (f"; {_named(errors)}" if errors else "")
        )
    if sum(s["skipped_unmatched"] for s in staged):
        raise NothingUsable(f"none of the {sum(s['captures'] for s in staged)} captures is of a configured site")
    raise NothingUsable("no capture of the sites of these shards")


def _warc_fingerprint(files: Sequence[Path], sources: Sources | None) -> str:
    """Identity of a WARC load's inputs: each file's path, size and mtime, and the site mapping."""
    h = hashlib.sha256(f"{N_SHARDS}\n".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    for site in sources.sites if sources else ():
        h.update(repr(site).encode())
    return h.hexdigest()


def _load_staged_captures(
    con: duckdb.DuckDBPyConnection, files: list[str], shards: Sequence[int], superseded: Sequence[str] = ()
) -> tuple[int, int]:
    """Replace the shards' captures with the staged rows and add payloads not yet known, one transaction a shard;
    (captures loaded, payloads this stage put into the raw store, counting those of the `superseded` staged
    files of a file read again).

    Shard by shard, the window that picks one record per capture, the payloads' aggregate and the transaction's
    own rows hold one shard's rows, not the archive's (loaded whole, they ran out of memory at 384,000 captures
    under a 100 MB cap). A crash between shards leaves the stage's fingerprint unrecorded: the next run loads
    every shard again.
    """
    cols = ", ".join(TABLES["captures"].column_names)
    # a view, not a table: each shard's statements stream the staged files rather than hold every row in memory.
    # The paths (our own staging files, quoted) are the one value written into SQL text: a view takes no parameters.
    paths = ", ".join(map(_quoted, files))
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged AS SELECT * FROM read_parquet([{paths}])")
    # A revisit takes the payload of a response with the same archive digest (of any shard); of two records of
    # one capture (url, time, digest) the first read wins, responses before revisits.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _responses AS
           SELECT digest, arg_min(payload_sha256, (file_no, ord)) AS sha FROM _staged
           WHERE record_type <> 'revisit' AND payload_sha256 IS NOT NULL AND digest IS NOT NULL GROUP BY 1"""
    )
    n = 0
    for shard in shards:
        with tables.transaction(con):
            con.execute("DELETE FROM captures WHERE shard = ?", [shard])
            n += con.execute(
                f"""
                INSERT INTO captures ({cols})
                SELECT {cols} FROM (
                    SELECT s.* REPLACE (
                        CASE WHEN s.record_type = 'revisit' THEN r.sha ELSE s.payload_sha256 END AS payload_sha256,
                        CASE WHEN s.record_type <> 'revisit' THEN s.fetch_status
                             WHEN s.status_code BETWEEN 300 AND 399 THEN 'redirect'
                             WHEN s.status_code >= 400 THEN 'http_error'
                             WHEN r.sha IS NOT NULL THEN 'ok' ELSE 'unavailable' END AS fetch_status,
                        CASE WHEN s.record_type <> 'revisit' THEN s.fetch_state
                             WHEN r.sha IS NOT NULL THEN 'reused' ELSE 'not_fetched' END AS fetch_state)
                    FROM _staged s LEFT JOIN _responses r ON s.record_type = 'revisit' AND r.digest = s.digest
                    WHERE s.shard = ?
                    QUALIFY row_number() OVER (PARTITION BY capture_id
                                               ORDER BY s.record_type = 'revisit', file_no, ord) = 1
                )
                """,
                [shard],
            ).fetchone()[0]
            # the shard's new payloads, described from all their records (a payload may recur in other shards)
            con.execute(
                """
                INSERT INTO payloads (payload_sha256, n_bytes, content_type, first_captured_at, stored_at)
                SELECT payload_sha256, any_value(n_bytes), arg_min(content_type, (file_no, ord)), min(captured_at),
                       CAST(current_timestamp AT TIME ZONE 'UTC' AS TIMESTAMP)
                FROM _staged s
                WHERE record_type <> 'revisit' AND payload_sha256 IS NOT NULL
                  AND payload_sha256 IN (SELECT payload_sha256 FROM captures WHERE shard = ?)
                  AND NOT EXISTS (SELECT 1 FROM payloads p WHERE p.payload_sha256 = s.payload_sha256)
                GROUP BY 1
                """,
                [shard],
            )
    # two parts of a file (or two files) may both have stored a payload they hold: count it once
    every = ", ".join(_quoted(f) for f in [*files, *superseded])
    stored = con.execute(f"SELECT count(DISTINCT payload_sha256) FROM read_parquet([{every}]) WHERE stored").fetchone()
    con.execute("DROP VIEW _staged")
    con.execute("DROP TABLE _responses")
    return n, stored[0]


def _quoted(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _load_cdx_captures(
    con: duckdb.DuckDBPyConnection, store: RawStore, sources: Sources, shards: Sequence[int], judge: TextJudge | None
) -> dict[str, int | str]:
    wanted = set(shards)
    where, params = in_shards(shards)
    mine = sources.only({s.id for s in sources.sites if shard_of(s.id, N_SHARDS) in wanted})
    known = dict(
        con.execute(f"SELECT site_id, max(captured_at) FROM captures WHERE {where} GROUP BY 1", params).fetchall()
    )
    client = _cdx_client(sources)
    result = ingest_cdx(mine, store, client, N_SHARDS, known, judge=judge, anchors=_anchors(con, where, params))
    rows = [c.row() for c in result.captures]
    n = tables.upsert(con, "captures", rows)
    if mine.sites and len(result.failed_sites) == len(mine.sites):
        raise NothingUsable(f"CDX listing failed for every site ({len(mine.sites)}) at {sources.cdx}")
    unavailable = sum(c.fetch_status == "unavailable" for c in result.captures)
    if unavailable and not any(c.fetch_status == "ok" for c in result.captures):
        raise NothingUsable(f"every fetch failed: {unavailable} captures unavailable from {sources.replay}")
    for site in result.failed_sites:
        log.warning("CDX listing failed for site %s; it keeps its previous captures", site)
    used = {r["payload_sha256"] for r in rows if r["payload_sha256"]}
    new_payloads = [p for sha, p in result.payloads.items() if sha in used]
    already: set[str] = set()
    if new_payloads:
        con.register("_p", pd.DataFrame({"s": [p["payload_sha256"] for p in new_payloads]}))
        already = {
            r[0] for r in con.execute("SELECT payload_sha256 FROM payloads JOIN _p ON s = payload_sha256").fetchall()
        }
        con.unregister("_p")
    tables.upsert(con, "payloads", [p for p in new_payloads if p["payload_sha256"] not in already])
    states = Counter(c.fetch_state for c in result.captures)
    return {
        "captures": n,
        "payloads_stored": result.stored,
        "skipped_unmatched": result.skipped_unmatched,
        "fetched": result.fetched,
        "captures_fetched": states["fetched"],
        "captures_reused": states["reused"],
        "captures_inferred": states["inferred"],
        "cdx_requests": client.n_queries,
        "replay_requests": client.n_replays,
        "http_retries": client.http.n_retries + client.cdx_http.n_retries,
        "failed_sites": len(result.failed_sites),
        "failed_sites_detail": _named(result.failed_sites),
        "unavailable": unavailable,
    }


def _anchors(con: duckdb.DuckDBPyConnection, where: str, params: list) -> dict[str, CdxRow]:
    """Per site, its newest capture with a payload: what a scheduled bisecting run probes new captures against."""
    rows = con.execute(
        f"""SELECT site_id, arg_max(url, captured_at), max(captured_at), arg_max(mime, captured_at),
                   arg_max(status_code, captured_at), arg_max(digest, captured_at)
            FROM captures WHERE {where} AND fetch_status = 'ok' GROUP BY 1""",
        params,
    ).fetchall()
    return {
        site: CdxRow(url, at.strftime("%Y%m%d%H%M%S"), mime, status, digest)
        for site, url, at, mime, status, digest in rows
    }


def _cdx_client(sources: Sources) -> CdxClient:
    replay = PoliteClient() if sources.rate is None else PoliteClient(rate=sources.rate)
    cdx = PoliteClient(rate=DEFAULT_CDX_RATE if sources.cdx_rate is None else sources.cdx_rate)
    return CdxClient(sources.cdx, sources.replay, replay, cdx_http=cdx)
