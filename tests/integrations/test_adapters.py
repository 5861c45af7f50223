from __future__ import annotations

import asyncio
import math
import pickle

import numpy as np

import graders
from graders.integrations.openrlhf import openrlhf_reward_func, response_of
from graders.integrations.trl import trl_reward
from graders.integrations.verl import verl_compute_score

TREE = {"type": "weighted", "graders": {
    "correct": {"type": "numeric", "reference": "{{ item.answer }}", "extract": "boxed"},
    "short": {"type": "regex", "pattern": r"^.{0,40}$", "dotall": True}}}

# A format gate: rows without <answer>...</answer> at the end never run `correct`.
GATED = {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.ground_truth }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}


def test_trl_reward_batches_columns_and_logs_rates() -> None:
    g = graders.from_dict({"name": "math-reward", "grader": TREE})
    logged: dict[str, float] = {}
    fn = trl_reward(g)
    out = fn(completions=["\\boxed{4}", [{"role": "assistant", "content": "\\boxed{5}"}]], prompts=["2+2?", "2+2?"],
             answer=["4", "4"], completion_ids=[[1], [2]], log_metric=lambda k, v: logged.__setitem__(k, v))
    assert out == [1.0, 0.5]
    assert fn.__name__ == "math_reward"  # TRL's own metric is rewards/math_reward/mean: ours sit beside it
    assert logged["rewards/math_reward/correct/mean"] == 0.5
    assert logged["rewards/math_reward/correct/ran"] == 1.0
    assert logged["rewards/math_reward/error_rate"] == 0.0 and logged["rewards/math_reward/skipped_rate"] == 0.0


def test_trl_reward_returns_none_for_skipped_and_other_task_rows() -> None:
    g = graders.from_dict({"type": "exact", "reference": "{{ item.answer }}", "on_error": "skip"})
    assert trl_reward(g)(completions=["4", "5"], answer=["4", "4"]) == [1.0, 0.0]
    assert trl_reward(g)(completions=["4", "4"], other=["x", "y"]) == [None, None]
    plain = graders.from_dict({"type": "exact", "reference": "{{ item.answer }}"})
    logged: dict[str, float] = {}
    fn = trl_reward(plain, applies_to={"task": "math"})
    out = fn(completions=["4", "4", "4"], answer=["4", "x", "4"], task=["math", "math", "code"],
             log_metric=lambda k, v: logged.__setitem__(k, v))
    assert out == [1.0, 0.0, None]
    assert math.isclose(logged[f"rewards/{fn.__name__}/skipped_rate"], 1 / 3)
    # a row of another task that lacks the column the grader reads: None, not 0
    assert trl_reward(plain, none_when_missing=True)(completions=["4", "5"], answer=["4", "4"]) == [1.0, 0.0]
    assert trl_reward(plain, none_when_missing=True)(completions=["4"], question=["q"]) == [None]
    assert trl_reward(plain)(completions=["4"], question=["q"]) == [0.0]


def test_trl_async_and_pickle() -> None:
    g = graders.from_dict({"grader": TREE})
    fn = trl_reward(g, async_=True)
    out = asyncio.run(fn(completions=["\\boxed{4}"], answer=["4"]))
    assert out == [1.0]
    back = pickle.loads(pickle.dumps(fn))
    assert asyncio.run(back(completions=["\\boxed{3}"], answer=["4"])) == [0.5]


def test_verl_same_keys_on_every_row_when_a_gate_stops_some() -> None:
    fn = verl_compute_score(graders.from_dict({"grader": GATED}))
    ok = fn("openai/gsm8k", "so <answer>72</answer>", "72", {"answer": "long solution #### 72"})
    stopped = fn("openai/gsm8k", "72", "72", {})
    assert ok["score"] == 1.0 and stopped["score"] == 0.0
    assert list(ok) == list(stopped) == ["score", "format", "correct", "grader/error", "grader/no_answer"]
    assert stopped["correct"] == 0.0  # the gate stopped it: 0, not absent
    rows = fn(data_sources=["a", "a"], solution_strs=["<answer>4</answer>", "4"], ground_truths=["4", "4"],
              extra_infos=[None, None])
    assert [r["score"] for r in rows] == [1.0, 0.0] and list(rows[0]) == list(rows[1])


def test_verl_numpy_ground_truth_and_extra_info() -> None:
    fn = verl_compute_score(graders.from_dict({"grader": GATED}))
    out = fn(np.str_("openai/gsm8k"), "<answer>72</answer>", np.int64(72), {"index": np.int64(3)})
    assert out["score"] == 1.0
    g = graders.from_dict({"type": "exact", "input": "{{ item.ids }}", "reference": "[1,2]"})
    assert g.score(["x"], [{"ids": np.array([1, 2])}]).scores[0] == 1.0


def test_verl_async_variant_is_a_coroutine_function_and_pickles() -> None:
    import inspect

    fn = verl_compute_score(graders.from_dict({"grader": GATED}), asynchronous=True)
    assert inspect.iscoroutinefunction(fn)
    out = asyncio.run(fn(data_source="s", solution_str="<answer>2</answer>", ground_truth="2", extra_info={}))
    assert out["score"] == 1.0
    cloudpickle = __import__("pytest").importorskip("cloudpickle")  # what Ray uses for functions
    back = cloudpickle.loads(cloudpickle.dumps(fn))
    assert asyncio.run(back(data_source="s", solution_str="<answer>3</answer>", ground_truth="2"))["score"] == 0.0


def test_verl_sync_pickles_and_rebuilds_its_threads() -> None:
    fn = verl_compute_score(graders.from_dict({"grader": GATED}))
    fn("s", "<answer>1</answer>", "1", {})  # starts the coalescer thread
    back = pickle.loads(pickle.dumps(fn))
    assert back("s", "<answer>1</answer>", "1", {})["score"] == 1.0


def test_openrlhf_strips_prompt_and_special_tokens() -> None:
    g = graders.from_dict({"grader": {**GATED, "graders": {**GATED["graders"], "correct": {
        **GATED["graders"]["correct"], "reference": "{{ item.label }}"}}}})
    fn = openrlhf_reward_func(g)
    prompt = "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
    out = fn(queries=[prompt + "<answer>4</answer><|im_end|>", prompt + "<answer>4</answer>\n<|endoftext|>",
                      prompt + "4<|im_end|>"], prompts=[prompt] * 3, labels=["4", "4", "4"])
    assert [float(x) for x in out["rewards"]] == [1.0, 1.0, 0.0]
    assert set(out["extra_logs"]) == {"format", "correct", "grader/error", "grader/no_answer"}
    assert [float(x) for x in out["extra_logs"]["correct"]] == [1.0, 1.0, 0.0]
    lists = openrlhf_reward_func(g, as_lists=True)(queries=[prompt + "<answer>4</answer></s>"], prompts=[prompt],
                                                   labels=["4"])
    import json

    assert json.loads(json.dumps(lists))["rewards"] == [1.0]


def test_openrlhf_per_sample_threads_share_batches_and_match_uncoalesced_calls() -> None:
    # OpenRLHF 0.11 calls reward_func with one sample per thread: through the coalescer the
    # batch is formatted once and each caller gets its own row, equal to an uncoalesced call.
    from concurrent.futures import ThreadPoolExecutor

    g = graders.from_dict({"grader": {**GATED, "graders": {**GATED["graders"], "correct": {
        **GATED["graders"]["correct"], "reference": "{{ item.label }}"}}}})
    prompt = "<|im_start|>user\nn?<|im_end|>\n<|im_start|>assistant\n"

    def query(i: int) -> str:  # every 4th unformatted (gated), every 3rd wrong
        body = str(i) if i % 4 == 0 else f"<answer>{i + (i % 3 == 0)}</answer>"
        return prompt + body + "<|im_end|>"

    on, off = openrlhf_reward_func(g, as_lists=True), openrlhf_reward_func(g, as_lists=True, coalesce=False)
    with ThreadPoolExecutor(32) as pool:
        got = list(pool.map(lambda i: on([query(i)], [prompt], [str(i)]), range(400)))
    assert on.scorer.coalescer.batches < 400
    for i, out in enumerate(got):
        assert out == off([query(i)], [prompt], [str(i)]), i
        assert out["rewards"] == [0.0 if i % 4 == 0 or i % 3 == 0 else 1.0], i
        assert set(out["extra_logs"]) == {"format", "correct", "grader/error", "grader/no_answer"}


def test_async_per_sample_adapters_share_batches_and_match_sync_calls() -> None:
    # verl's `asynchronous=True` compute_score and OpenRLHF's acall, awaited concurrently on one
    # loop: one formatted batch shared by the coroutines, each equal to a sync uncoalesced call.
    g = graders.from_dict({"grader": GATED})
    rows = [(f"<answer>{i + (i % 3 == 0)}</answer>" if i % 4 else str(i), str(i)) for i in range(200)]
    sync = verl_compute_score(g, coalesce=False)
    fn = verl_compute_score(g, asynchronous=True, window_ms=5.0)

    async def verl_all() -> list[dict[str, float]]:
        return list(await asyncio.gather(*(fn(data_source="s", solution_str=t, ground_truth=a, extra_info={"i": i})
                                           for i, (t, a) in enumerate(rows))))

    got = asyncio.run(verl_all())
    assert got == [sync(data_source="s", solution_str=t, ground_truth=a, extra_info={"i": i})
                   for i, (t, a) in enumerate(rows)]
    assert [r["score"] for r in got] == [0.0 if i % 4 == 0 or i % 3 == 0 else 1.0 for i in range(200)]
    assert fn.state.scorer.coalescer.batches < 50  # type: ignore[attr-defined]

    g2 = graders.from_dict({"grader": {**GATED, "graders": {**GATED["graders"], "correct": {
        **GATED["graders"]["correct"], "reference": "{{ item.label }}"}}}})
    on, off = openrlhf_reward_func(g2, as_lists=True, window_ms=5.0), openrlhf_reward_func(g2, as_lists=True,
                                                                                           coalesce=False)

    async def orlhf_all() -> list[dict[str, object]]:
        return list(await asyncio.gather(*(on.acall([f"q:{t}<|im_end|>"], ["q:"], [a]) for t, a in rows)))

    assert asyncio.run(orlhf_all()) == [off([f"q:{t}<|im_end|>"], ["q:"], [a]) for t, a in rows]
    assert on.scorer.coalescer.batches < 50


def test_response_of_uses_the_tokenizers_special_tokens() -> None:
    class Tok:
        all_special_tokens = ["<|my_end|>"]
        eos_token = "<|my_end|>"

    from graders.integrations._common import special_tokens

    toks = special_tokens(Tok())
    assert response_of("P: x<answer>1</answer><|my_end|>", "P: ", toks) == "x<answer>1</answer>"
    assert response_of("<s>P: hi</s>", "P: ", toks) == "hi"  # BOS before the prompt
    assert response_of("other", "P: ", toks) == "other"


def test_group_graders_get_prompt_groups_in_trl_and_are_refused_per_sample() -> None:
    import pytest

    g = graders.load(str(__import__("pathlib").Path(__file__).resolve().parents[2] / "examples/group_length.yaml"))
    if "group" not in getattr(g, "needs", ()):
        pytest.skip("this checkout's Grader has no `needs` yet")
    fn = trl_reward(g)
    # two prompts x 4 completions, interleaved as a TRL slice never is: groups come from the prompt
    comps = ["\\boxed{72}", "so \\boxed{9}", "a b c \\boxed{72}", "w x y z q \\boxed{9}"] * 2
    prompts = ["P1", "P2"] * 4
    out = fn(completions=comps, prompts=prompts, answer=["72", "9"] * 4)
    assert all(v is not None for v in out)
    assert out[0] == 1.5  # shortest correct answer of P1's group
    with pytest.raises(graders.ConfigError, match="group"):
        verl_compute_score(g)
    with pytest.raises(graders.ConfigError, match="group"):
        openrlhf_reward_func(g)


def test_verl_scores_verls_gsm8k_layout_with_the_example() -> None:
    from pathlib import Path

    g = graders.load(str(Path(__file__).resolve().parents[2] / "examples/gsm8k.yaml"))
    fn = verl_compute_score(g)
    sol = "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72"  # openai/gsm8k's answer field
    out = fn("openai/gsm8k", "<think>48 + 24 = 72</think>\n<answer>72</answer>", "72",
             {"split": "train", "index": 0, "answer": sol, "question": "Natalia sold 48 clips ..."})
    assert out["score"] == 1.0


def test_grader_pickles_as_its_config_from_every_constructor(tmp_path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("name: picky\ngrader: {type: exact, reference: '{{ item.a }}'}\n")
    built = [graders.load(str(path)), graders.from_yaml(path.read_text()), graders.from_dict({"grader": TREE}),
             graders.Grader(graders.from_dict({"type": "exact", "reference": "{{ item.a }}"}).spec)]
    path.unlink()  # a file-loaded grader does not need its file where it is unpickled
    for g in built:
        g.score(["x"], [{"a": "x", "answer": "1"}])  # warm caches (locks inside) must not matter
        back = pickle.loads(pickle.dumps(g))
        assert back.name == g.name
        assert back.score(["x"], [{"a": "x", "answer": "1"}]).scores.tolist() == \
            g.score(["x"], [{"a": "x", "answer": "1"}]).scores.tolist()
