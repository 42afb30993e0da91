"""Reading the texts of documents and segments a batch at a time, by rowid: a to-do list over a million
documents holds their keys, never their texts."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

_TEXT_KEY = {"documents": "payload_sha256", "segments": "text_sha256"}


def texts_at(
    con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple[int, str]], extractor_version: str | None = None
) -> dict[str, str]:
    """{key: text} for (rowid, key) pairs of `documents` (of `extractor_version`, which it then needs) or
    `segments`.

    Read within the pairs' rowid range, which DuckDB reads without scanning the rest of the table. Texts are
    paired by the key read with them, and a key whose rowid no longer holds it (rowids are not promised stable
    across a checkpoint) is looked up by key instead: its smallest text, the one a to-do list over segments
    chooses, so the result does not depend on the order rows were loaded in.
    """
    rows = list(rows)
    if not rows:
        return {}
    key = _TEXT_KEY[table]
    if table == "documents" and extractor_version is None:
        raise ValueError("documents' texts are read at one extractor version: give it")
    version = " AND extractor_version = ?" if table == "documents" else ""
    params = [extractor_version] if version else []
    ids = [r for r, _ in rows]
    found = dict(
        con.execute(
            f"SELECT {key}, text FROM {table} WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT unnest(?)){version}",
            [min(ids), max(ids), ids, *params],
        ).fetchall()
    )
    if missing := [k for _, k in rows if k not in found]:
        found.update(
            con.execute(
                f"SELECT {key}, min(text) FROM {table} WHERE {key} IN (SELECT unnest(?)){version} GROUP BY 1",
                [missing, *params],
            ).fetchall()
        )
    return found
