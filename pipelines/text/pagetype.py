"""What kind of page is this: a privacy policy, a cookie notice, another legal page, not a legal page at all, or
`unknown` in a language the model was not built for.

A multinomial logistic model over the language-neutral cues of `pagecues` (what the page calls itself, what it
says it is, the vocabulary of contracts, rules, imprints, processors and cookies), trained inside the project by
`python -m pipelines.text.train_pagetype` on Open Terms Archive's legal pages (ODC-BY) and on generic non-legal
pages, and shipped as a JSON file of weights (`data/page_type_model.json`): readable, diffable, and loaded
without unpickling anything. Where the ambiguous types go and why: docs/page-types.md.

The model's `privacy_policy` is vetoed when the page's own name (title, first heading) says it is another
legal page and names privacy nowhere (`pagenames`): what a page calls itself does not change with its sections.

Only `privacy_policy` pages are policies: `is_policy` (and so versions and marts) counts them alone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.text.pagecues import CUE_NAMES, cues
from pipelines.text.pagenames import named_otherwise

PRIVACY_POLICY = "privacy_policy"
COOKIE_NOTICE = "cookie_notice"
OTHER_LEGAL = "other_legal"
NOT_LEGAL = "not_legal"
UNKNOWN = "unknown"
TYPES = (PRIVACY_POLICY, COOKIE_NOTICE, OTHER_LEGAL, NOT_LEGAL)

# The cue lexicons are written in these languages; elsewhere the cues read nothing and the model would guess.
LANGUAGES = frozenset({"en", "fr", "de"})
# Function words of those languages: a second opinion where the language detector, reading a sample of lines
# full of names, links or image markup, names a language the text is not in (English texts read as "pcm", "lij").
_FUNCTION_WORDS = frozenset(
    {"the", "and", "of", "to", "in", "that", "is", "for", "with", "this", "you", "we", "our", "are", "or", "by",
     "be", "not", "your", "le", "la", "les", "des", "et", "du", "une", "pour", "dans", "que", "qui", "est", "nous",
     "vous", "sur", "par", "pas", "aux", "der", "die", "das", "und", "ist", "nicht", "mit", "sie", "wir", "ihr",
     "den", "dem", "auf", "für", "von", "zu", "oder"}
)  # fmt: skip
FUNCTION_SHARE = 0.2  # English, French or German prose runs at 0.3-0.5; other languages near 0
MODEL_FILE = Path(__file__).parent / "data" / "page_type_model.json"


@dataclass(frozen=True)
class Model:
    """Weights of a multinomial logistic model over named cues; `weights[t][i]` goes with `features[i]`."""

    types: tuple[str, ...]
    features: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]
    intercepts: tuple[float, ...]
    about: dict

    def probabilities(self, values: dict[str, float]) -> dict[str, float]:
        """Softmax over the types for these cue values (a missing cue reads 0)."""
        x = [values.get(name, 0.0) for name in self.features]
        z = [
            b + sum(w * v for w, v in zip(ws, x, strict=True))
            for ws, b in zip(self.weights, self.intercepts, strict=True)
        ]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {t: p / total for t, p in zip(self.types, e, strict=True)}

    def to_json(self) -> str:
        return json.dumps(
            {
                "about": self.about,
                "types": self.types,
                "features": self.features,
                "weights": [[round(w, 6) for w in ws] for ws in self.weights],
                "intercepts": [round(b, 6) for b in self.intercepts],
            },
            indent=1,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        raw = json.loads(text)
        model = cls(
            tuple(raw["types"]),
            tuple(raw["features"]),
            tuple(tuple(float(w) for w in ws) for ws in raw["weights"]),
            tuple(float(b) for b in raw["intercepts"]),
            raw.get("about", {}),
        )
        # a model file from other cue code would silently misread every page: refuse it instead
        if set(model.types) != set(TYPES) or set(model.features) - set(CUE_NAMES):
            raise ValueError(f"{MODEL_FILE.name} does not match the cues of pagecues.py; retrain it")
        return model


@cache
def shipped_model() -> Model:
    """The model shipped in the package, read once per process."""
    return Model.from_json(MODEL_FILE.read_text(encoding="utf-8"))


def built_for(text: str, language: str | None) -> bool:
    """Whether the cues can read this text: its detected language is one they are written in, or a fifth of its
    first 2,000 words are function words of one of those languages."""
    if language is None or language in LANGUAGES:
        return True
    words = text[:20_000].lower().split()[:2000]
    return bool(words) and sum(w in _FUNCTION_WORDS for w in words) / len(words) >= FUNCTION_SHARE


@dataclass(frozen=True)
class PageType:
    """A page's type and the model's 0-1 confidence that it is a privacy policy (also for `unknown` pages,
    where it is a hint for analysts, not a decision)."""

    type: str
    policy_score: float

    @property
    def is_policy(self) -> bool:
        return self.type == PRIVACY_POLICY


def page_type(text: str, title: str = "", language: str | None = None, model: Model | None = None) -> PageType:
    """The type of a page from its clean text (markdown or extracted), its title and its language."""
    if not text.strip():
        return PageType(NOT_LEGAL, 0.0)
    probs = (model or shipped_model()).probabilities(cues(text, title))
    score = probs[PRIVACY_POLICY]
    if not built_for(text, language):
        return PageType(UNKNOWN, score)
    best = max(probs, key=probs.__getitem__)
    if best == PRIVACY_POLICY and named_otherwise(text, title):
        # a terms page, FAQ or imprint with a privacy section reads like a policy; it does not call itself one
        best = max((t for t in probs if t != PRIVACY_POLICY), key=probs.__getitem__)
    return PageType(best, score)
