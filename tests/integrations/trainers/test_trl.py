"""TRL's own GRPOTrainer, two steps on a tiny Qwen2 built locally, with our reward functions.

Two rewards: a gated math reward (a format gate that stops rows without a digit,
then `numeric` against `ground_truth`), and the same grader restricted by
`applies_to` to half the rows of a mixed-task dataset, which must come back as
None (TRL's NaN, left out of that function's mean) for the other task's rows.
One of them is the async form, which TRL gathers on its own event loop.
"""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest

pytest.importorskip("trl")
torch = pytest.importorskip("torch")

GRADER = {"name": "gsm8k-reward", "grader": {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"\d"},
    "correct": {"type": "numeric", "reference": "{{ item.ground_truth }}"}}}}


def test_grpo_trainer_two_steps(tmp_path: Path, tiny_model_dir: Path) -> None:
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    import graders
    from graders.integrations.trl import trl_reward

    g = graders.from_dict(GRADER)
    math_reward = trl_reward(g)
    only_math = trl_reward(g, name="only-math", applies_to={"task": "math"}, async_=True)
    assert pickle.loads(pickle.dumps(only_math)).__name__ == "only_math"  # what async GRPO's workers need

    calls: list[tuple[list[float | None], list[str]]] = []

    class Recording(type(only_math)):  # type: ignore[misc]
        async def __call__(self, *args, **kwargs):
            out = await super().__call__(*args, **kwargs)
            calls.append((out, list(kwargs["task"])))
            return out

    recording = Recording(g, name="only-math", applies_to={"task": "math"})
    data = Dataset.from_list([
        {"prompt": f"Question {i}: 48 + 24 =", "ground_truth": "72", "task": "math" if i % 2 == 0 else "code"}
        for i in range(8)])
    args = GRPOConfig(output_dir=str(tmp_path / "out"), per_device_train_batch_size=8, num_generations=4,
                      max_completion_length=8, max_steps=2, logging_steps=1, report_to="none", use_cpu=True,
                      save_strategy="no", seed=0, bf16=False, dataloader_num_workers=0)
    torch.manual_seed(0)
    trainer = GRPOTrainer(model=AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                          processing_class=AutoTokenizer.from_pretrained(tiny_model_dir),
                          reward_funcs=[math_reward, recording], args=args, train_dataset=data)
    trainer.train()
    assert trainer.state.global_step == 2

    logs = [h for h in trainer.state.log_history if "rewards/gsm8k_reward/mean" in h]
    assert len(logs) == 2
    for h in logs:
        # our component metrics sit beside TRL's own rewards/gsm8k_reward/mean, as rates
        assert 0.0 <= h["rewards/gsm8k_reward/correct/ran"] <= 1.0
        assert h["rewards/gsm8k_reward/error_rate"] == 0.0
        assert h["rewards/only_math/skipped_rate"] in (0.0, 0.5, 1.0)  # 2 prompts of 4 completions per step
    ran = [h["rewards/gsm8k_reward/correct/ran"] for h in logs]
    assert any(0.0 < r < 1.0 for r in ran) or (min(ran) == 0.0 and max(ran) == 1.0), \
        f"the gate should stop some rows and pass others: {ran}"
    # None exactly for the other task's rows, a number for the math rows
    assert len(calls) == 2
    for out, tasks in calls:
        assert [v is None for v in out] == [t == "code" for t in tasks]
        assert all(v is None or (isinstance(v, float) and not math.isnan(v)) for v in out)
    seen = [t for _, tasks in calls for t in tasks]
    assert "code" in seen and "math" in seen, seen
