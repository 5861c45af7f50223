"""OpenAI's text_similarity metrics, computed with the libraries OpenAI's grader image pins.

OpenAI publishes the metric names and the libraries (rapidfuzz 3.10.1, nltk
3.9.1, rouge-score 0.1.2) but not the calls. The calls here follow Microsoft's
public Azure AI Evaluation evaluators, which implement the same metric set:

| metric | call (on `input` = hypothesis, `reference`) |
|---|---|
| fuzzy_match | `rapidfuzz.fuzz.WRatio(input, reference, processor=utils.default_process) / 100` (OpenAI's graders guide) |
| bleu | `nltk.translate.bleu_score.sentence_bleu([ref_tokens], hyp_tokens, smoothing_function=SmoothingFunction().method4)` |
| gleu | `nltk.translate.gleu_score.sentence_gleu([ref_tokens], hyp_tokens)` |
| meteor | `nltk.translate.meteor_score.meteor_score([ref_tokens], hyp_tokens, alpha=0.9, beta=3.0, gamma=0.5)` with WordNet 3.0 |
| rouge_1..5, rouge_l | `rouge_score.rouge_scorer.RougeScorer(["rougeN" / "rougeL"]).score(reference, input).fmeasure` (no stemmer) |

Tokens (bleu, gleu, meteor): `nltk.tokenize.word_tokenize(text, preserve_line=True)`,
NLTK's Treebank word rules without Punkt sentence splitting. Azure splits
sentences with Punkt first; Punkt's model is a data download, and nothing
here downloads at score time. The two differ only on a period inside a
multi-sentence text ("sat. The" stays "sat." here).

WordNet for METEOR is never downloaded. It is found, in order: `$GRADERS_WORDNET_DIR`
(a WordNet 3.0 `dict` directory), NLTK's own `corpora/wordnet` on the NLTK
data path (`$NLTK_DATA`), then Debian/Ubuntu's `wordnet-base` package
(`/usr/share/wordnet`). Loading takes about a second, once per process.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graders.errors import ConfigError, MissingExtraError

METRICS = ("fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5",
           "rouge_l", "cosine")
NLTK_METRICS = ("bleu", "gleu", "meteor")
DEBIAN_WORDNET = "/usr/share/wordnet"
WORDNET_ENV = "GRADERS_WORDNET_DIR"

# lexnames(5WN): the 45 lexicographer file names of WordNet 3.0. Debian's wordnet-base
# ships the data files without this one, which NLTK's reader needs.
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_POS_NUM = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
_WORDNET_FILES = ("data.noun", "index.noun", "data.verb", "index.verb", "data.adj", "index.adj", "data.adv",
                  "index.adv", "noun.exc", "verb.exc", "adj.exc", "adv.exc")

_lock = threading.Lock()
_wordnet: Any = None


def require(metric: str) -> None:
    """Raise at load time if `metric` cannot run here (missing library or corpus), never at score time."""
    import importlib.util

    if metric in NLTK_METRICS or metric.startswith("rouge"):
        for mod, pkg in (("nltk", "nltk"), ("rouge_score", "rouge-score")):
            if (mod == "nltk" or metric.startswith("rouge")) and importlib.util.find_spec(mod) is None:
                raise MissingExtraError(
                    f"text_similarity metric {metric!r} needs the {pkg} package: pip install 'graders[text]'")
    if metric == "meteor" and wordnet_location() is None:
        raise ConfigError(
            "text_similarity metric 'meteor' needs the WordNet 3.0 corpus, which graders never downloads and "
            "no PyPI package ships. Provide it one of these ways: install Debian/Ubuntu's `wordnet-base` "
            f"package ({DEBIAN_WORDNET}); or set ${WORDNET_ENV} to a WordNet 3.0 dict directory; or put "
            "NLTK's corpus at <dir>/corpora/wordnet(.zip) and set $NLTK_DATA=<dir> "
            "(e.g. `python -m nltk.downloader -d <dir> wordnet` on a machine with network access)")


def wordnet_location() -> tuple[str, str] | None:
    """Where WordNet is: ("dir", path) for a WordNet dict directory, ("nltk", path) for NLTK's corpus."""
    env = os.environ.get(WORDNET_ENV)
    if env and _is_wordnet_dir(Path(env)):
        return ("dir", env)
    try:
        import nltk.data

        for name in ("corpora/wordnet.zip/wordnet/", "corpora/wordnet"):
            try:
                return ("nltk", str(nltk.data.find(name)))
            except LookupError:
                continue
    except ImportError:
        pass
    if _is_wordnet_dir(Path(DEBIAN_WORDNET)):
        return ("dir", DEBIAN_WORDNET)
    return None


def _is_wordnet_dir(p: Path) -> bool:
    return all((p / f).is_file() for f in _WORDNET_FILES)


def wordnet() -> Any:
    """NLTK's WordNet reader over the corpus found by `wordnet_location()` (loaded once per process)."""
    global _wordnet
    with _lock:
        if _wordnet is not None:
            return _wordnet
        where = wordnet_location()
        if where is None:
            require("meteor")  # raises with the instructions
        kind, path = where  # type: ignore[misc]
        if kind == "nltk":
            from nltk.corpus import wordnet as wn

            wn.ensure_loaded()
            _wordnet = wn
        else:
            _wordnet = _dir_reader(path)
        return _wordnet


def _dir_reader(path: str) -> Any:
    import nltk.data
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    if path not in nltk.data.path:  # nltk >= 3.10 reads corpora only under its data path
        nltk.data.path.append(path)

    lexnames = "".join(f"{i:02d}\t{n}\t{_POS_NUM[n.split('.')[0]]}\n" for i, n in enumerate(_LEXNAMES))

    class _DirWordNet(WordNetCorpusReader):  # type: ignore[misc]
        """A plain WordNet 3.0 dict directory; lexnames supplied when the directory lacks it."""

        def open(self, fileid: str) -> Any:
            if fileid == "lexnames" and not os.path.exists(os.path.join(path, "lexnames")):
                return io.StringIO(lexnames)
            return super().open(fileid)

        def map_wn(self, version: str = "wordnet") -> None:
            return None  # this is WordNet 3.0 itself: no mapping (NLTK would look for its own corpus)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available": not used
        return _DirWordNet(path, None)


def tokenize(text: str) -> list[str]:
    from nltk.tokenize import word_tokenize

    return list(word_tokenize(text, preserve_line=True))


def pair_function(metric: str) -> Callable[[Sequence[str], Sequence[str]], list[float]]:
    """A batch function (inputs, references) -> scores for one metric (cosine excluded)."""
    if metric == "fuzzy_match":
        return _fuzzy_match
    if metric.startswith("rouge_"):
        return _rouge(metric)
    if metric == "bleu":
        return _tokenized(_bleu())
    if metric == "gleu":
        return _tokenized(_gleu())
    if metric == "meteor":
        return _tokenized(_meteor())
    raise ValueError(f"unknown metric {metric!r}")


def _fuzzy_match(inputs: Sequence[str], refs: Sequence[str]) -> list[float]:
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    sims = process.cpdist(list(inputs), list(refs), scorer=fuzz.WRatio, processor=utils.default_process,
                          dtype=np.float64, workers=1)
    return (sims / 100.0).tolist()  # type: ignore[no-any-return]


def _rouge(metric: str) -> Callable[[Sequence[str], Sequence[str]], list[float]]:
    name = "rougeL" if metric == "rouge_l" else "rouge" + metric[-1]
    state: dict[str, Any] = {}

    def score(inputs: Sequence[str], refs: Sequence[str]) -> list[float]:
        scorer = state.get("s")
        if scorer is None:
            from rouge_score import rouge_scorer

            scorer = state["s"] = rouge_scorer.RougeScorer([name])
        return [float(scorer.score(r, h)[name].fmeasure) for h, r in zip(inputs, refs, strict=True)]

    return score


def _bleu() -> Callable[[list[str], list[str]], float]:
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

    smooth = SmoothingFunction().method4
    return lambda ref, hyp: float(sentence_bleu([ref], hyp, smoothing_function=smooth))


def _gleu() -> Callable[[list[str], list[str]], float]:
    from nltk.translate.gleu_score import sentence_gleu

    return lambda ref, hyp: float(sentence_gleu([ref], hyp))


def _meteor() -> Callable[[list[str], list[str]], float]:
    from nltk.translate.meteor_score import meteor_score

    wn = wordnet()
    return lambda ref, hyp: float(meteor_score([ref], hyp, wordnet=wn, alpha=0.9, beta=3.0, gamma=0.5))


def _tokenized(fn: Callable[[list[str], list[str]], float]) -> Callable[[Sequence[str], Sequence[str]], list[float]]:
    def score(inputs: Sequence[str], refs: Sequence[str]) -> list[float]:
        out = []
        toks: dict[str, list[str]] = {}  # a reference repeats across a prompt's samples: tokenize it once

        def tok(text: str) -> list[str]:
            t = toks.get(text)
            if t is None:
                t = toks[text] = tokenize(text)
            return t

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nltk warns on every zero n-gram count
            for h, r in zip(inputs, refs, strict=True):
                out.append(fn(tok(r), tok(h)))
        return out

    return score
