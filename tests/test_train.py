"""The OPP-115 reader and the trained tagger, on tiny synthetic OPP-115-format folders written here."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.practices.opp115 import read_corpus, segments_of, split_of
from pipelines.practices.taggers import load_tagger
from pipelines.practices.train import DEFAULT_GRID, TrainedTagger, rules_scores, train

# Synthetic segments per category: word material a policy would use, recombined at random.
TEMPLATES = {
    "Data Security": ["We protect your {x} with encryption and firewalls.", "Secure servers and SSL guard {x}."],
    "Data Retention": ["We retain {x} for two years and then delete it.", "Records of {x} are kept for six months."],
    "Third Party Sharing/Collection": ["We share {x} with advertising partners.", "Partners may receive {x} for ads."],
    "Other": ["Contact us by email with questions about {x}.", "Write to our office with questions on {x}."],
}
NOUNS = ["account data", "billing details", "usage logs", "contact details", "order history", "device data"]


def _write_policy(root: Path, uid: int, segments: list[tuple[str, list[str], int]]) -> None:
    """segments: (text, categories, how many of the 3 annotators chose each category)."""
    (root / "sanitized_policies").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    html = "|||".join(f"<p>{t} <br></p>" for t, _, _ in segments)
    (root / "sanitized_policies" / f"{uid}_site{uid}.com.html").write_text(html)
    buf = io.StringIO()
    w = csv.writer(buf)
    n = 0
    for i, (_, cats, votes) in enumerate(segments):
        for cat in cats:
            for annotator in range(votes):
                n += 1
                w.writerow([n, "batch", f"a{annotator}", uid, i, cat, "{}", "Not specified", f"http://site{uid}.com"])
    (root / "annotations" / f"{uid}_site{uid}.com.csv").write_text(buf.getvalue())


def _synthetic_corpus(root: Path, uids: list[int], per_policy: int = 12, seed: int = 0) -> None:
    rng = random.Random(seed)
    cats = sorted(TEMPLATES)
    for uid in uids:
        segs = []
        for _ in range(per_policy):
            cat = rng.choice(cats)
            segs.append((rng.choice(TEMPLATES[cat]).format(x=rng.choice(NOUNS)), [cat], 3))
        _write_policy(root, uid, segs)


def test_reader_majority_vote_and_split(tmp_path: Path) -> None:
    _write_policy(
        tmp_path,
        8,
        [
            ("We use SSL &amp; encryption.", ["Data Security"], 2),
            ("Contact us.", ["Other"], 1),
            ("We keep logs and share them.", ["Data Retention", "Third Party Sharing/Collection"], 3),
        ],
    )
    _write_policy(tmp_path, 9, [("Hello.", ["Other"], 3)])
    (tmp_path / "sanitized_policies" / "notes_readme.html").write_text("no uid")  # ignored: no numeric uid
    policies = read_corpus(tmp_path)
    assert [p.uid for p in policies] == [8, 9]
    segs = policies[0].segments
    assert [s.text for s in segs] == ["We use SSL & encryption.", "Contact us.", "We keep logs and share them."]
    assert segs[0].labels == {"Data Security"}
    assert segs[1].labels == frozenset()  # one vote of three is not a majority
    assert segs[2].labels == {"Data Retention", "Third Party Sharing/Collection"}
    assert split_of(8) == "test" and split_of(9) == "dev"
    assert [s.uid for s in segments_of(policies, "dev")] == [9]
    assert len(segments_of(policies, "test")) == 3


def test_reader_rejects_folder_without_layout(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path)


@pytest.mark.slow
def test_train_tagger_cli_fits_loadable_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "opp"
    # uids 1..11 not divisible by 4 are dev; 4 and 8 are test and must not change the model.
    _synthetic_corpus(data, [1, 2, 3, 5, 6, 7, 9, 10, 11, 4, 8])
    out = tmp_path / "models" / "tagger.joblib"
    assert cli.main(["train-tagger", "--opp115", str(data), "--out", str(out)]) == 0
    sidecar = json.loads(capsys.readouterr().out)
    assert sidecar["tagger"] == "trained" and sidecar["train_policies"] == 9
    assert json.loads((out.parent / "tagger.joblib.json").read_text())["version"] == sidecar["version"]

    tagger = load_tagger(out)
    assert isinstance(tagger, TrainedTagger)
    assert tagger.name == "trained" and tagger.version == sidecar["version"]
    held_out = [
        "Firewalls and encryption protect the purchase records.",
        "We retain the purchase records for two years and then delete them.",
    ]
    tags = tagger.tag_batch(held_out)
    assert "Data Security" in {t.category for t in tags[0]}
    assert "Data Retention" in {t.category for t in tags[1]}
    assert "Data Security" not in {t.category for t in tags[1]}
    assert all(t.cue for ts in tags for t in ts)

    # The same data and config give the same version; the test split does not enter the fingerprint.
    _write_policy(data, 12, [("Completely different test text about cookies.", ["Other"], 3)])
    again = train(data, tmp_path / "again.joblib", grid=DEFAULT_GRID)
    assert again["version"] == sidecar["version"]


def test_tag_cli_with_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    data = tmp_path / "opp"
    _synthetic_corpus(data, [1, 2, 3, 5, 6, 7], per_policy=10, seed=1)
    out = tmp_path / "m.joblib"
    train(data, out, grid=({"C": 4.0, "char": False},))
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": 7, "text": "We share device data with partners."})))
    assert cli.main(["tag", "--model", str(out)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == 7 and "Third Party Sharing/Collection" in row["categories"]


def test_load_model_rejects_other_pickles(tmp_path: Path) -> None:
    import joblib

    path = tmp_path / "x.joblib"
    joblib.dump({"something": 1}, path)
    with pytest.raises(ValueError):
        load_tagger(path)


def test_rules_scores_feature_block() -> None:
    """The rules block: one row per text, one column per category and marker, the rules' own scores."""
    from pipelines.practices.rules import score_text
    from pipelines.practices.vocabulary import LEXICON

    texts = ["We encrypt your data with SSL and firewalls.", "Nothing to see here at all."]
    block = rules_scores(texts).toarray()
    assert block.shape == (2, len(LEXICON))
    assert block[0].tolist() == score_text(texts[0])[0]
    assert block[0, list(LEXICON).index("Data Security")] > 0.5
    assert block[1].max() < block[0].max()


def test_model_with_rules_features_saves_and_loads(tmp_path: Path) -> None:
    data = tmp_path / "opp"
    _synthetic_corpus(data, [1, 2, 3, 5, 6, 7])
    out = tmp_path / "m.joblib"
    sidecar = train(data, out, grid=({"C": 4.0, "char": False, "rules": True},))
    assert sidecar["params"]["rules"] is True
    tagger = load_tagger(out)
    tags = tagger.tag_batch(["We retain the billing details for two years and then delete them."])
    assert "Data Retention" in {t.category for t in tags[0]}
