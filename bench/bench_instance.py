"""Wall time of a demo build with an ephemeral Dagster instance vs recorded in a project-style instance.

`python -m bench.bench_instance [N]` prints the median `seconds` of N alternating builds of each kind (CLI builds
record their run in the project's instance; this is what that costs).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from pipelines.build import demo

ROOT = Path(__file__).resolve().parents[1]


def main(n: int = 3) -> None:
    times: dict[str, list[float]] = {"ephemeral": [], "recorded": []}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "dagster_home"
        home.mkdir()
        shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
        for i in range(n):
            for kind in times:
                out = Path(tmp) / f"{kind}{i}"
                summary = demo(out, dagster_home=home if kind == "recorded" else None)
                assert summary["ok"], summary["reason"]
                times[kind].append(summary["seconds"])
                shutil.rmtree(out)
    for kind, values in times.items():
        print(f"{kind:10s} median {statistics.median(values):5.1f} s  runs {values}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
