"""The local OpenAI-compatible test server: embeddings endpoint and the old module path."""

from __future__ import annotations

import math
import subprocess
import sys

import openai

from graders.testing.fake_server import FakeJudgeServer, Faults, hashed_embedding


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_hashed_embedding_is_deterministic_unit_and_word_based() -> None:
    a = hashed_embedding("The cat sat on the mat")
    assert a == hashed_embedding("the MAT sat on the cat")  # bag of words, case-folded
    assert math.isclose(math.sqrt(sum(v * v for v in a)), 1.0)
    near = _cos(a, hashed_embedding("the cat sat on a mat"))
    far = _cos(a, hashed_embedding("quantum chromodynamics lattice"))
    assert near > 0.7 > far
    assert len(hashed_embedding("", dims=8)) == 8


def test_embeddings_endpoint_through_openai_client_float_and_base64() -> None:
    with FakeJudgeServer() as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x")
        # the client asks for base64 by default and decodes it
        r = client.embeddings.create(model="text-embedding-3-large", input=["red apple", "green apple"])
        assert [d.index for d in r.data] == [0, 1]
        for d, text in zip(r.data, ["red apple", "green apple"], strict=True):
            assert all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-7) for x, y in zip(d.embedding, hashed_embedding(text), strict=True))
        f = client.embeddings.create(model="m", input="red apple", encoding_format="float", dimensions=16)
        assert f.data[0].embedding == hashed_embedding("red apple", 16)
        assert f.usage.total_tokens >= 1
        assert srv.total_judged == 2


def test_embeddings_bad_input_and_injected_faults() -> None:
    with FakeJudgeServer(faults=Faults(rate_500=1.0)) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
        try:
            client.embeddings.create(model="m", input="x", encoding_format="float")
        except openai.InternalServerError:
            pass
        else:
            raise AssertionError("expected the injected 500")
    with FakeJudgeServer() as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
        try:
            client.embeddings.create(model="m", input=[{"bad": 1}], encoding_format="float")  # type: ignore[list-item]
        except openai.BadRequestError as exc:
            assert "input must be" in str(exc)
        else:
            raise AssertionError("expected 400")


def test_old_module_path_still_runs_the_server() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "graders.judge.fake_server", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        r = openai.OpenAI(base_url=url, api_key="x").embeddings.create(model="m", input="hi", encoding_format="float")
        assert len(r.data[0].embedding) == 256
    finally:
        proc.terminate()
        proc.wait(timeout=10)
