"""Which tagger a build uses: the rules, or a model trained by `policy-history train-tagger`."""

from __future__ import annotations

from pathlib import Path

from pipelines.practices.rules import RulesTagger
from pipelines.practices.tags import Tagger


def load_tagger(model_path: Path | str | None = None) -> Tagger:
    """The rules tagger, or a trained model saved by `policy-history train-tagger`."""
    if model_path is None:
        return RulesTagger()
    from pipelines.practices.train import load_model  # scikit-learn is only needed for trained models

    return load_model(Path(model_path))
