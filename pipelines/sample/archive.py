"""Writing the sample archive: the gzipped WARC, the ``sources.toml`` that describes its sites, and both
ground-truth files (conventions in the package docstring).

Run ``python -m pipelines.sample OUT_DIR [SEED]`` to write the files.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import random
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.sample.captures import plan_site
from pipelines.sample.history import paragraphs
from pipelines.sample.library import sites
from pipelines.sample.model import Record


@dataclass(frozen=True)
class SampleFiles:
    """Paths of the files produced by :func:`write_sample`."""

    warc: Path
    sources: Path
    truth_captures: Path
    truth_paragraphs: Path


def _digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_date(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _server(year: int) -> str:
    return (
        "Apache/2.0.59 (Unix)"
        if year < 2009
        else "Apache/2.2.22 (Ubuntu)"
        if year < 2015
        else "nginx/1.10.3"
        if year < 2020
        else "nginx"
    )


def write_warc(path: Path, records: list[Record]) -> None:
    reasons = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.0")
    for r in records:
        headers = [("Date", format_datetime(r.at, usegmt=True)), ("Server", _server(r.at.year))]
        if r.location:
            headers.append(("Location", r.location))
        headers += [("Content-Type", r.content_type), ("Content-Length", str(len(r.body)))]
        http = StatusAndHeaders(f"{r.status} {reasons[r.status]}", headers, protocol="HTTP/1.1")
        rtype = "revisit" if r.refers_to else "response"
        digest = _digest(r.body)
        # Content-derived IDs keep the file byte-identical across runs.
        rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{rtype}|{r.url}|{_warc_date(r.at)}|{digest}")
        warc_headers = {"WARC-Record-ID": f"<urn:uuid:{rid}>", "WARC-Date": _warc_date(r.at)}
        if r.refers_to:
            rec = writer.create_revisit_record(
                r.url,
                digest,
                r.refers_to.url,
                _warc_date(r.refers_to.at),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
        else:
            rec = writer.create_warc_record(
                r.url,
                "response",
                payload=io.BytesIO(r.body),
                length=len(r.body),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
        writer.write_record(rec)
    path.write_bytes(buf.getvalue())


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings


def _write_sources(path: Path) -> None:
    lines = []
    for s in sites():
        urls = ", ".join(_toml_str(s.base + p) for p in s.policy_paths)
        lines += [
            "[[site]]",
            f"id = {_toml_str(s.site_id)}",
            f"name = {_toml_str(s.name)}",
            f"policy_urls = [{urls}]",
            f"homepage = {_toml_str(s.base + '/')}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_sample(out_dir: Path, seed: int = 7) -> SampleFiles:
    """Write the sample WARC, ``sources.toml`` and both ground-truth files into ``out_dir``.

    Output is a pure function of ``seed``: no clock, network or hash-order dependence.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SampleFiles(
        out_dir / "sample.warc.gz",
        out_dir / "sources.toml",
        out_dir / "truth_captures.csv",
        out_dir / "truth_paragraphs.jsonl",
    )
    plans = [(site, plan_site(site, random.Random(f"{seed}:{site.site_id}"))) for site in sites()]
    records = [r for _, recs in plans for r in recs]
    write_warc(files.warc, records)
    _write_sources(files.sources)

    with files.truth_captures.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "site_id",
                "url",
                "captured_at",
                "status",
                "kind",
                "is_policy",
                "version_no",
                "starts_new_version",
                "stated_date",
                "language",
            ]
        )
        for site, recs in plans:
            for r in recs:
                v = r.version
                w.writerow(
                    [
                        site.site_id,
                        r.url,
                        _warc_date(r.at),
                        r.status,
                        r.kind,
                        str(v is not None).lower(),
                        v.no if v else "",
                        str(r.starts_new_version).lower(),
                        v.stated.isoformat() if v else "",
                        v.language if v else "",
                    ]
                )

    with files.truth_paragraphs.open("w", encoding="utf-8", newline="\n") as fh:
        for site, recs in plans:
            versions = sorted({r.version.no: r.version for r in recs if r.version}.items())
            for _, v in versions:
                for pos, (head, text, practices) in enumerate(paragraphs(site, v)):
                    row = {
                        "site_id": site.site_id,
                        "version_no": v.no,
                        "position": pos,
                        "heading": head,
                        "text": text,
                        "practices": list(practices),
                    }
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return files


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m pipelines.sample OUT_DIR [SEED]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -m pipelines.sample OUT_DIR [SEED]", file=sys.stderr)
        return 2
    files = write_sample(Path(args[0]), int(args[1]) if len(args) > 1 else 7)
    for p in (files.warc, files.sources, files.truth_captures, files.truth_paragraphs):
        print(p)
    return 0
