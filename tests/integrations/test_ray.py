"""Ray: Dataset scoring over warm actors and the scorer actor, on a local Ray instance."""

from __future__ import annotations

import numpy as np
import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

import graders  # noqa: E402
from graders.integrations.ray import score_dataset, scorer_actor  # noqa: E402

GATED = {"name": "gated", "grader": {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.answer }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}}


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield
    ray.shutdown()


def _rows(n: int) -> list[dict[str, object]]:
    return [{"sample": f"<answer>{i if i % 3 else i + 1}</answer>" if i % 5 else str(i),
             "item": {"answer": str(i), "id": i}} for i in range(n)]


def test_dataset_through_actor_pool_matches_score(local_ray) -> None:
    g = graders.from_dict(GATED)
    rows = _rows(300)
    want = g.score([r["sample"] for r in rows], [r["item"] for r in rows])
    ds = score_dataset(ray.data.from_items(rows), g, concurrency=2, batch_size=64)
    got = sorted(ds.take_all(), key=lambda r: r["item"]["id"])
    assert [r["score"] for r in got] == want.scores.tolist()
    fmt = [r["component/format"] for r in got]
    assert fmt == want.components["format"].tolist()
    correct = np.array([r["component/correct"] for r in got])
    assert np.array_equal(np.isnan(correct), np.isnan(want.components["correct"]))  # NaN: stopped by the gate


def test_item_from_columns(local_ray) -> None:
    g = graders.from_dict(GATED)
    rows = [{"sample": "<answer>4</answer>", "answer": "4"}, {"sample": "<answer>5</answer>", "answer": "4"}]
    got = score_dataset(ray.data.from_items(rows), g, item_column=None).take_all()
    assert sorted(r["score"] for r in got) == [0.0, 1.0]


def test_scorer_actor_batch_and_per_sample(local_ray) -> None:
    g = graders.from_dict(GATED)
    actor = scorer_actor(g, max_concurrency=16)
    assert ray.get(actor.ping.remote()) == "gated"
    out = ray.get(actor.score.remote(["<answer>4</answer>", "4"], [{"answer": "4"}, {"answer": "4"}]))
    assert out["scores"] == [1.0, 0.0] and np.isnan(out["components"]["correct"][1])
    refs = [actor.compute_score.remote(data_source="d", solution_str=f"<answer>{i}</answer>",
                                       ground_truth=None, extra_info={"answer": str(i if i % 2 else -1)})
            for i in range(40)]
    res = ray.get(refs)
    assert [r["score"] for r in res] == [1.0 if i % 2 else 0.0 for i in range(40)]
    assert all(list(r) == list(res[0]) for r in res)
    ray.kill(actor)


def test_nemo_rl_environment_step_as_a_ray_actor(local_ray) -> None:
    torch = pytest.importorskip("torch")
    from graders.integrations.nemo_rl import GraderEnvironment

    g = graders.from_dict(GATED)
    env = ray.remote(GraderEnvironment).options(max_concurrency=4).remote(g, component_rewards=True)
    logs = [[{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": c}]
            for c in ("<answer>4</answer>", "<answer>5</answer>", "4")]
    meta = [{"answer": "4"}] * 3
    out = ray.get(env.step.remote(logs, meta))
    assert out.rewards["score"].tolist() == [1.0, 0.0, 0.0]
    assert out.rewards["correct"].tolist() == [1.0, 0.0, 0.0] and out.rewards["format"].tolist() == [1.0, 1.0, 0.0]
    assert out.terminateds.tolist() == [1.0, 1.0, 1.0] and out.metadata == meta and len(out.observations) == 3
    assert isinstance(out.rewards["score"], torch.Tensor)
    ray.kill(env)
