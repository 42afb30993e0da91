"""The machinery every stage shares: the worker pool, staged batches, shards and input fingerprints."""
