"""verl 0.9's own reward loop: RewardLoopManager -> RewardLoopWorker actors -> reward manager -> ours.

A fake rollout batch (a real verl DataProto: left-padded prompts, EOS-terminated
responses, verl's GSM8K row layout from examples/data_preprocess/gsm8k.py:
`reward_model.ground_truth` is the final number, `extra_info.answer` the whole
worked solution) goes through verl's RewardLoopManager on a local Ray instance,
which loads our reward file with its own `custom_reward_function` loader, for the
`naive` manager (sync in its thread pool, and async awaited on its loop) and the
`remote` manager (which pickles the function into a Ray actor). verl then builds
reward_extra_info from every sample's keys: a gate that stops some rows must
not make those keys differ.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("verl")
torch = pytest.importorskip("torch")
ray = pytest.importorskip("ray")

ROOT = Path(__file__).resolve().parents[3]
SOLUTION = ("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips "
            "altogether in April and May.\n#### 72")
# (response, expected score) against ground_truth "72" with examples/gsm8k.yaml
CASES = [
    ("<think>48 / 2 = 24. 48 + 24 = 72.</think>\n<answer>72</answer>", 1.0),
    ("<think>48 + 24 = 71</think>\n<answer>71</answer>", 0.0),
    ("48 + 24 = 72\n#### 72", 0.0),  # no <think>/<answer>: the format gate stops it
    ("<think>so</think> <answer>The answer is 72.</answer>", 1.0),
]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield
    ray.shutdown()


def _batch(tok):
    from verl import DataProto

    prompt_len, resp_len = 24, 48
    prompts, responses, masks = [], [], []
    for text, _ in CASES:
        p = tok("<|im_start|>user\nNatalia sold 48 clips?<|im_end|>\n<|im_start|>assistant\n",
                add_special_tokens=False)["input_ids"][-prompt_len:]
        r = tok(text, add_special_tokens=False)["input_ids"][: resp_len - 1] + [tok.eos_token_id]
        pad = tok.pad_token_id
        prompts.append([pad] * (prompt_len - len(p)) + p)
        responses.append(r + [pad] * (resp_len - len(r)))
        masks.append([0] * (prompt_len - len(p)) + [1] * len(p) + [1] * len(r) + [0] * (resp_len - len(r)))
    n = len(CASES)
    prompts_t, responses_t = torch.tensor(prompts), torch.tensor(responses)
    non_tensors = {
        "data_source": np.array(["openai/gsm8k"] * n, dtype=object),
        "reward_model": np.array([{"style": "rule", "ground_truth": "72"} for _ in range(n)], dtype=object),
        "extra_info": np.array([{"split": "train", "index": i, "answer": SOLUTION,
                                 "question": "Natalia sold 48 clips ..."} for i in range(n)], dtype=object),
    }
    return DataProto.from_dict(
        tensors={"prompts": prompts_t, "responses": responses_t,
                 "input_ids": torch.cat([prompts_t, responses_t], 1), "attention_mask": torch.tensor(masks)},
        non_tensors=non_tensors)


def _config(tok_dir: Path, reward_file: Path, manager: str):
    from omegaconf import OmegaConf

    # One RewardLoopWorker (the remote manager also starts num_workers RewardComputeWorker actors,
    # num_cpus=1 each, per RewardLoopWorker: one of each fits the 2 CPUs of the local Ray instance).
    workers = 1
    return OmegaConf.create({
        "actor_rollout_ref": {"model": {"path": str(tok_dir), "tokenizer_path": str(tok_dir)}},
        "reward": {
            "num_workers": workers,
            "custom_reward_function": {"path": str(reward_file), "name": "compute_score", "reward_kwargs": {}},
            "reward_manager": {"source": "register", "name": manager, "module": {"path": None, "name": "x"}},
            "reward_model": {"enable": False, "enable_resource_pool": False},
        },
    })


@pytest.mark.parametrize("manager,asynchronous", [("naive", False), ("naive", True), ("remote", False)])
def test_reward_loop_manager_scores_gsm8k_layout(local_ray, tmp_path: Path, tiny_tokenizer_dir: Path,
                                                 manager: str, asynchronous: bool) -> None:
    from transformers import AutoTokenizer
    from verl.experimental.reward_loop.reward_loop import RewardLoopManager

    tok = AutoTokenizer.from_pretrained(tiny_tokenizer_dir)
    reward_file = tmp_path / "my_reward.py"
    reward_file.write_text(
        "import graders\n"
        "from graders.integrations.verl import verl_compute_score\n"
        f"compute_score = verl_compute_score(graders.load({str(ROOT / 'examples/gsm8k.yaml')!r}), "
        f"asynchronous={asynchronous})\n")
    mgr = RewardLoopManager(_config(tiny_tokenizer_dir, reward_file, manager))
    try:
        out = mgr.compute_rm_score(_batch(tok))
    finally:
        for w in mgr.reward_loop_workers:
            ray.kill(w)
    rm = out.batch["rm_scores"]
    assert rm.sum(dim=1).tolist() == [c[1] for c in CASES]
    keys = out.meta_info["reward_extra_keys"]
    assert keys == ["score", "format", "correct", "grader/error", "grader/no_answer"]
    assert out.non_tensor_batch["format"].tolist() == [1.0, 1.0, 0.0, 1.0]
    assert out.non_tensor_batch["correct"].tolist() == [1.0, 0.0, 0.0, 1.0]  # 0.0: stopped by the gate
