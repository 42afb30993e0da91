"""``python -m pipelines.sample OUT_DIR [SEED]`` writes the sample archive."""

from pipelines.sample.archive import main

if __name__ == "__main__":
    raise SystemExit(main())
