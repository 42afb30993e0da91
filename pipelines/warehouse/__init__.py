"""The DuckDB warehouse: table schemas, connections and idempotent loads, the SQL models, and publication
(Parquet exports, a read-only copy, the dashboard)."""
