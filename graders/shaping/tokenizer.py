"""Finding the tokenizer a config names, on local disk only (never a download).

`tokenizer:` is looked up in this order, once, when the grader is loaded:

1. a path to a `tokenizer.json` file, or to a directory holding one
   (loaded with the `tokenizers` package);
2. a Hugging Face model id already in the local Hugging Face cache
   (`HF_HOME` / `HF_HUB_CACHE`): its `tokenizer.json`, read with
   `local_files_only=True` under `HF_HUB_OFFLINE=1`;
3. with `transformers` installed, `AutoTokenizer.from_pretrained(name,
   local_files_only=True)` (slow tokenizers, e.g. sentencepiece-only models).

Anything else is a load-time error saying how to make the tokenizer local.
Needs the optional extra: `pip install 'graders[tokenizers]'`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from graders.errors import MissingExtraError

Encoder = Callable[[Sequence[str]], list[list[int]]]


class TokenizerNotFound(LookupError):
    """The named tokenizer is not on local disk."""


def load_encoder(name: str) -> Encoder:
    """A batch encoder (texts -> token id lists, no special tokens) for `name`, from local files."""
    p = Path(name).expanduser()
    if p.is_dir() and (p / "tokenizer.json").is_file():
        p = p / "tokenizer.json"
    if p.is_file():
        return _from_tokenizer_json(str(p))
    if p.exists() or name.startswith((".", "/", "~")):
        raise TokenizerNotFound(f"{name!r} is a path but holds no tokenizer.json")
    cached = _hub_cached_file(name)
    if cached is not None:
        return _from_tokenizer_json(cached)
    auto = _from_transformers(name)
    if auto is not None:
        return auto
    raise TokenizerNotFound(
        f"{name!r} is neither a local tokenizer.json (or a directory with one) nor in the local "
        "Hugging Face cache; graders never downloads at score time: download it once "
        f"(`huggingface-cli download {name} tokenizer.json`) or point `tokenizer:` at the file")


def _from_tokenizer_json(path: str) -> Encoder:
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise MissingExtraError("`tokenizer:` needs the tokenizers package: pip install 'graders[tokenizers]'") from None
    tok = Tokenizer.from_file(path)

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in tok.encode_batch(list(texts), add_special_tokens=False)]

    return encode


def _hub_cached_file(name: str) -> str | None:
    try:
        from huggingface_hub import hf_hub_download
    except ImportError:
        return None
    old = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        return str(hf_hub_download(name, "tokenizer.json", local_files_only=True))
    except Exception:  # not cached, bad repo id, offline errors: all mean "not local"
        return None
    finally:
        if old is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = old


def _from_transformers(name: str) -> Encoder | None:
    try:
        from transformers import AutoTokenizer
    except ImportError:
        return None
    try:
        tok = AutoTokenizer.from_pretrained(name, local_files_only=True)
    except Exception:
        return None

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return list(tok(list(texts), add_special_tokens=False)["input_ids"])

    return encode
