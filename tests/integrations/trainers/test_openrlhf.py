"""OpenRLHF 0.11's own reward path: SingleTurnAgentExecutor -> reward file -> Experience.

Drives openrlhf.utils.agent.SingleTurnAgentExecutor (the real class, loading our
reward file through its `--reward.remote_url file.py` loader) with a fake vLLM
engine whose responses end in the EOS token, then OpenRLHF's own
SamplesGenerator._process_response_into_experience, Experience.concat_experiences
and split_experience_batch (which raised when extra_logs keys differed per sample).
Installed with `pip install --no-deps openrlhf` (its deepspeed/vllm/flash-attn pins
cannot install on a CPU machine); only `vllm` (an import of samples_generator, never
called here) and the vLLM engine module are stubbed, as in OpenRLHF's own tests.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest

pytest.importorskip("openrlhf")
torch = pytest.importorskip("torch")

GRADER = """
name: tagged-answer
grader:
  type: gate
  otherwise: 0.0
  graders:
    format: {type: regex, pattern: "(?s)^<think>.*</think>\\\\s*<answer>.*</answer>\\\\s*$"}
    correct:
      type: numeric
      reference: "{{ item.label }}"
      extract: [{type: xml_tag, tag: answer}, auto]
"""

# (response, label, expected reward): the first two end in </answer> then EOS.
CASES = [
    ("<think>48 / 2 = 24. 48 + 24 = 72.</think>\n<answer>72</answer>", "72", 1.0),
    ("<think>hmm</think><answer>71</answer>", "72", 0.0),
    ("The answer is 72.", "72", 0.0),  # stopped by the gate: `correct` never runs
    ("<think>x</think>\n<answer>42</answer>\n", "42", 1.0),
]


class FakeEngine:
    """vLLM's AsyncLLM.generate as the executor uses it: one request, one output, EOS-terminated."""

    def __init__(self, tokenizer, responses: dict[str, str]) -> None:
        self.tok = tokenizer
        self.responses = responses

    async def generate(self, prompt_token_ids, sampling_params, multi_modal_data=None):
        prompt = self.tok.decode(prompt_token_ids, skip_special_tokens=False)
        text = self.responses[prompt]
        ids = self.tok(text, add_special_tokens=False)["input_ids"] + [self.tok.eos_token_id]
        await asyncio.sleep(0)
        out = SimpleNamespace(token_ids=ids, text=text + self.tok.eos_token, finish_reason="stop", logprobs=None)
        return SimpleNamespace(outputs=[out])


def _load(path: Path, name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_single_turn_executor_with_eos_terminated_queries(tmp_path: Path, tiny_tokenizer_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import openrlhf
    from openrlhf.trainer.ppo_utils.experience import Experience, split_experience_batch
    from openrlhf.utils.agent import SingleTurnAgentExecutor
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_tokenizer_dir)
    (tmp_path / "g.yaml").write_text(GRADER)
    reward_file = tmp_path / "reward.py"
    reward_file.write_text(
        "import graders\n"
        "from graders.integrations.openrlhf import openrlhf_reward_func\n"
        f"reward_func = openrlhf_reward_func(graders.load({str(tmp_path / 'g.yaml')!r}))\n")
    executor = SingleTurnAgentExecutor(str(reward_file))  # OpenRLHF's own loader for reward files

    prompts = [f"<|im_start|>user\nQuestion {i}?<|im_end|>\n<|im_start|>assistant\n" for i in range(len(CASES))]
    engine = FakeEngine(tok, {p: c[0] for p, c in zip(prompts, CASES, strict=True)})
    params = SimpleNamespace(max_tokens=64, logprobs=None)

    async def run():
        return await asyncio.gather(*(executor.execute(p, c[1], params, 256, tok, engine)
                                      for p, c in zip(prompts, CASES, strict=True)))

    outputs = asyncio.run(run())
    for out, (_, _, expected) in zip(outputs, CASES, strict=True):
        assert out["reward"] is not None, "the reward call failed inside the executor (it logs and moves on)"
        assert float(out["reward"]) == expected
        assert set(out["extra_logs"]) == {"format", "correct", "grader/error", "grader/no_answer"}

    # OpenRLHF's next steps: one Experience per response, concatenated, then split.
    monkeypatch.setitem(sys.modules, "vllm", MagicMock())
    monkeypatch.setitem(sys.modules, "openrlhf.trainer.ray.vllm_engine", MagicMock())
    gen = _load(Path(openrlhf.__file__).parent / "trainer/ppo_utils/samples_generator.py", "_samples_generator")
    sg = gen.SamplesGenerator(SimpleNamespace(args=None), None, None, tok, [])
    exps = [sg._process_response_into_experience(o, max_len=256) for o in outputs]
    batch = Experience.concat_experiences(exps, tok.pad_token_id)
    assert batch.rewards.tolist() == [c[2] for c in CASES]
    assert batch.info["correct"].tolist() == [1.0, 0.0, 0.0, 1.0]  # 0.0 where the gate stopped it
    parts = split_experience_batch(batch)
    assert len(parts) == len(CASES)
