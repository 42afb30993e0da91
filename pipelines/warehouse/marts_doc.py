"""Document the marts for `policy-history schema`: each mart's header comment and the columns its SQL makes.

The SQL file is the one source of truth: the marts are created on an empty in-memory warehouse and DuckDB says
what columns and types they have, so the documentation cannot drift from what a build writes.
"""

from __future__ import annotations

from pipelines.warehouse import models, tables


def mart_columns() -> dict[str, list[tuple[str, str]]]:
    """Every mart of `sql/marts` with its (column, type) pairs, in model order, as built on an empty warehouse."""
    with tables.connect(":memory:") as con:  # base tables created empty, as on a first build
        models.run_models(con)
        return {
            path.stem: [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{path.stem}"').fetchall()]
            for path in models.model_files()
            if path.parent.name == "marts"
        }


def header(sql: str) -> str:
    """The leading `--` comment of a model file as one paragraph, less build directives (`materialized: ...`)."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        if not text.startswith("materialized:"):
            lines.append(text)
    return " ".join(lines)


def markdown_doc() -> str:
    """Render every mart as markdown: its header comment (grain, meaning of columns), then its columns and types."""
    files = {p.stem: p for p in models.model_files() if p.parent.name == "marts"}
    out: list[str] = []
    for name, cols in mart_columns().items():
        out.append(f"### `{name}` (mart)\n\n{header(files[name].read_text())}\n")
        out.append("| column | type |\n| --- | --- |")
        out.extend(f"| `{c}` | {t} |" for c, t in cols)
        out.append("")
    return "\n".join(out)
