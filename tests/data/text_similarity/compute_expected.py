"""Recompute the expected metric values in pairs.jsonl with the library versions OpenAI's grader image pins.

Run in a throwaway venv, never graders' own (the point is an independent computation):

    python3 -m venv /tmp/pinned
    /tmp/pinned/bin/pip install rapidfuzz==3.10.1 nltk==3.9.1 rouge-score==0.1.2
    apt-get install wordnet-base        # WordNet 3.0 for METEOR (or set WORDNET_DIR)
    /tmp/pinned/bin/python tests/data/text_similarity/compute_expected.py

It does not import graders. The calls are the ones graders.textmetrics documents.
The first line of pairs.jsonl records the versions and calls; each pair line gets
`expected: {metric: value}` (null where the library raised, with `raised`).
"""

from __future__ import annotations

import io
import json
import os
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

from nltk.corpus.reader.wordnet import WordNetCorpusReader
from nltk.tokenize import word_tokenize
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from nltk.translate.gleu_score import sentence_gleu
from nltk.translate.meteor_score import meteor_score
from rapidfuzz import fuzz, utils
from rouge_score import rouge_scorer

HERE = Path(__file__).parent
WORDNET_DIR = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()


class DebianWordNet(WordNetCorpusReader):
    def open(self, fileid):
        if fileid == "lexnames" and not os.path.exists(os.path.join(WORDNET_DIR, "lexnames")):
            pos = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
            return io.StringIO("".join(f"{i:02d}\t{n}\t{pos[n.split('.')[0]]}\n" for i, n in enumerate(LEXNAMES)))
        return super().open(fileid)

    def map_wn(self, version="wordnet"):
        return None


def tok(s: str) -> list[str]:
    return word_tokenize(s, preserve_line=True)


def main() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wn = DebianWordNet(WORDNET_DIR, None)
    smooth = SmoothingFunction().method4
    metrics = {
        "fuzzy_match": lambda h, r: fuzz.WRatio(h, r, processor=utils.default_process) / 100.0,
        "bleu": lambda h, r: sentence_bleu([tok(r)], tok(h), smoothing_function=smooth),
        "gleu": lambda h, r: sentence_gleu([tok(r)], tok(h)),
        "meteor": lambda h, r: meteor_score([tok(r)], tok(h), wordnet=wn, alpha=0.9, beta=3.0, gamma=0.5),
    }
    for n in ("1", "2", "3", "4", "5", "L"):
        sc = rouge_scorer.RougeScorer([f"rouge{n}"])
        metrics[f"rouge_{n.lower()}"] = (lambda s, k: lambda h, r: s.score(r, h)[k].fmeasure)(sc, f"rouge{n}")
    path = HERE / "pairs.jsonl"
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    pairs = [p for p in lines if "meta" not in p]
    meta = {"meta": {
        "versions": {k: version(k) for k in ("rapidfuzz", "nltk", "rouge-score")},
        "python": sys.version.split()[0],
        "wordnet": f"WordNet 3.0 from {WORDNET_DIR} (Debian wordnet-base 1:3.0-37)",
        "tokens": "nltk.tokenize.word_tokenize(text, preserve_line=True)",
        "calls": {
            "fuzzy_match": "fuzz.WRatio(candidate, reference, processor=utils.default_process) / 100",
            "bleu": "sentence_bleu([ref_tokens], cand_tokens, smoothing_function=SmoothingFunction().method4)",
            "gleu": "sentence_gleu([ref_tokens], cand_tokens)",
            "meteor": "meteor_score([ref_tokens], cand_tokens, wordnet=<WordNet 3.0>, alpha=0.9, beta=3.0, gamma=0.5)",
            "rouge_n": "RougeScorer(['rougeN']).score(reference, candidate)['rougeN'].fmeasure",
        }}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in pairs:
            exp, raised = {}, {}
            for name, fn in metrics.items():
                try:
                    exp[name] = float(fn(p["candidate"], p["reference"]))
                except Exception as exc:  # recorded: graders must define a value where the library has none
                    exp[name] = None
                    raised[name] = f"{type(exc).__name__}: {exc}"
            p["expected"] = exp
            if raised:
                p["raised"] = raised
            else:
                p.pop("raised", None)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(meta, ensure_ascii=False) + "\n")
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} pairs, {len(metrics)} metrics -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
