"""OpenRLHF `--reward.remote_url file.py` adapter.

OpenRLHF calls `reward_func(queries, prompts, labels, **kwargs)` (queries are
prompt + response) and expects `{"rewards", "scores", "extra_logs"}`; tensors
when torch is importable (it is, inside OpenRLHF), lists otherwise. The
response is the query with its prompt removed; the item is
`{"label": ..., "prompt": ...}`.

    # reward.py
    import graders
    from graders.integrations.openrlhf import openrlhf_reward_func
    reward_func = openrlhf_reward_func(graders.load("grader.yaml"))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from graders.api import Grader


def openrlhf_reward_func(grader: Grader) -> Callable[..., dict[str, Any]]:
    def reward_func(queries: list[str], prompts: list[str], labels: list[Any], **_: Any) -> dict[str, Any]:
        responses = [q[len(p):] if q.startswith(p) else q for q, p in zip(queries, prompts, strict=True)]
        items = [{"label": lab, "prompt": p} for lab, p in zip(labels, prompts, strict=True)]
        res = grader.score(responses, items)
        rewards = [0.0 if math.isnan(x) else float(x) for x in res.scores.tolist()]
        logs = {k: [0.0 if math.isnan(v) else float(v) for v in vals.tolist()] for k, vals in res.components.items()}
        try:
            import torch
        except ImportError:
            return {"rewards": rewards, "scores": rewards, "extra_logs": logs}
        t = torch.tensor(rewards, dtype=torch.float32)
        return {"rewards": t, "scores": t.clone(), "extra_logs": {k: torch.tensor(v) for k, v in logs.items()}}

    return reward_func
