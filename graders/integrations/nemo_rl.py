"""NeMo-RL environment adapter: `EnvironmentInterface.step(message_log_batch, metadata)`.

NeMo-RL asks an environment (a Ray actor) to step a batch of OpenAI-style
message logs with per-sample metadata (e.g. `{"ground_truth": "72"}`) and
expects an `EnvironmentReturn(observations, metadata, next_stop_strings,
rewards, terminateds, answers)`. Here the sample is the last assistant
message's content and the item is the sample's metadata dict; the episode ends
after one step. With `component_rewards=True`, `rewards` is a dict of named
tensors (NeMo-RL's multi-reward / GDPO form): `score` plus each component
(0.0 where a gate stopped it).

    env = ray.remote(GraderEnvironment).options(max_concurrency=16).remote(graders.load("g.yaml"))

NeMo-RL is not installable from PyPI here (its package there is a 0.0.0
placeholder), so this is checked against NeMo-RL's interface as published
(nemo_rl/environments/interfaces.py), not its runtime: when `nemo_rl` is
importable its own EnvironmentReturn is returned.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from graders.integrations._common import component_keys, refuse_needs


class _EnvironmentReturn(NamedTuple):
    observations: list[dict[str, str]]
    metadata: list[Any]
    next_stop_strings: list[Any]
    rewards: Any
    terminateds: Any
    answers: list[str | None] | None = None


def _return_type() -> Any:
    try:
        from nemo_rl.environments.interfaces import EnvironmentReturn
    except ImportError:
        return _EnvironmentReturn
    return EnvironmentReturn


class GraderEnvironment:
    """A one-step NeMo-RL environment scoring each batch with one `score()` call."""

    def __init__(self, grader: Any, *, component_rewards: bool = False) -> None:
        refuse_needs(grader, {"group"}, "a NeMo-RL environment step")
        self.grader = grader
        self.component_rewards = component_rewards
        self.keys = component_keys(grader)

    @staticmethod
    def _response(log: list[dict[str, Any]]) -> str:
        for msg in reversed(log):
            if msg.get("role") == "assistant":
                content = msg.get("content")
                return content if isinstance(content, str) else str(content)
        return ""

    def step(self, message_log_batch: list[list[dict[str, Any]]], metadata: list[Any]) -> Any:
        import torch

        n = len(message_log_batch)
        samples = [self._response(log) for log in message_log_batch]
        items = [m if isinstance(m, dict) else {} for m in metadata]
        res = self.grader.score(samples, items)
        scores = torch.nan_to_num(torch.tensor(res.scores, dtype=torch.float32), nan=0.0)
        rewards: Any = scores
        if self.component_rewards:
            rewards = {"score": scores}
            for k in self.keys:
                col = res.components.get(k)
                t = torch.zeros(n) if col is None else torch.nan_to_num(torch.tensor(col, dtype=torch.float32), nan=0.0)
                rewards[k] = t
        observations = [{"role": "environment", "content": f"Environment: score {float(s):g}"} for s in scores]
        return _return_type()(observations, list(metadata), [None] * n, rewards, torch.ones(n), [None] * n)

    def global_post_process_and_metrics(self, batch: Any) -> tuple[Any, dict[str, float]]:
        """NeMo-RL's end-of-batch hook: the batch unchanged; mean reward as `accuracy`."""
        metrics: dict[str, float] = {}
        try:
            rewards = batch["rewards"]
            metrics["accuracy"] = float(rewards.float().mean())
        except (KeyError, TypeError, AttributeError):
            pass
        return batch, metrics

    def shutdown(self) -> None:
        pass
