"""`run_openai`: the response of OpenAI's `POST /v1/fine_tuning/alpha/graders/run`, computed locally.

The shape follows openai-python's `GraderRunResponse`: `reward`,
`sub_rewards` (key -> score of a multi's graders), `metadata` {name, type,
errors {every boolean flag + *_details / *_type}, execution_time, scores,
token_usage, sampled_model_name} and `model_grader_token_usage_per_model`.

Our per-row error kinds map onto OpenAI's flags (`ERROR_FLAGS`); a kind with
no OpenAI counterpart sets `other_error`.
"""

from __future__ import annotations

import json
from typing import Any

# graders error kind -> OpenAI error flag
ERROR_FLAGS = {
    "missing_field": "invalid_variable_error",
    "invalid_output_json": "invalid_variable_error",
    "judge_parse_error": "model_grader_parse_error",
    "judge_invalid_label": "model_grader_parse_error",
    "judge_truncated": "model_grader_parse_error",
    "judge_bad_response": "model_grader_parse_error",
    "judge_refusal": "model_grader_refusal_error",
    "judge_timeout": "model_grader_server_error",
    "judge_server_error": "model_grader_server_error",
    "judge_rate_limited": "model_grader_server_error",
    "judge_connection_error": "model_grader_server_error",
    "judge_request_error": "model_grader_server_error",
    "judge_auth_error": "model_grader_server_error",
    "judge_error": "model_grader_server_error",
    "python_grader_runtime_error": "python_grader_runtime_error",
    "python_timeout": "python_grader_runtime_error",
    "python_memory": "python_grader_runtime_error",
    "sandbox_refused": "python_grader_server_error",
    "sandbox_error": "python_grader_server_error",
    "endpoint_unresponsive": "unresponsive_reward_error",
    "bad_row": "sample_parse_error",
}
FLAGS = ("formula_parse_error", "invalid_variable_error", "model_grader_parse_error", "model_grader_refusal_error",
         "model_grader_server_error", "other_error", "python_grader_runtime_error", "python_grader_server_error",
         "sample_parse_error", "truncated_observation_error", "unresponsive_reward_error")
DETAILS = {"model_grader_server_error": "model_grader_server_error_details",
           "python_grader_runtime_error": "python_grader_runtime_error_details",
           "python_grader_server_error": "python_grader_server_error_type"}


def openai_sample(sample: Any) -> dict[str, Any]:
    """OpenAI's `sample` for a run: a string is `model_sample` (output_json set when it parses as JSON)."""
    if isinstance(sample, str):
        try:
            parsed: Any = json.loads(sample)
        except (ValueError, RecursionError):
            parsed = None
        return {"output_text": sample, "output_json": parsed, "output_tools": [], "choices": [_choice(sample, [])]}
    if not isinstance(sample, dict):
        raise TypeError(f"sample must be a string or an object, got {type(sample).__name__}")
    out = dict(sample)
    message = _first_message(out)
    if "output_text" not in out and isinstance(message.get("content"), str):
        out["output_text"] = message["content"]  # an Evals sample that carries only Chat Completions choices
    if "output_tools" not in out and isinstance(message.get("tool_calls"), list):
        out["output_tools"] = message["tool_calls"]
    if "output_text" not in out:
        out["output_text"] = json.dumps(out["output_json"]) if "output_json" in out else ""
    if "output_json" not in out:
        out["output_json"] = openai_sample(out["output_text"])["output_json"]
    out.setdefault("output_tools", [])
    out.setdefault("choices", [_choice(out["output_text"], out["output_tools"])])
    return out


def _first_message(sample: dict[str, Any]) -> dict[str, Any]:
    choices = sample.get("choices")
    first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    message = first.get("message")
    return message if isinstance(message, dict) else {}


def _choice(text: str, tools: list[Any]) -> dict[str, Any]:
    """`sample.choices[0]` in the Chat Completions shape (message content and tool_calls)."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tools:
        message["tool_calls"] = tools
    return {"index": 0, "message": message, "finish_reason": "tool_calls" if tools else "stop"}


def _flag(kind: str) -> str:
    if kind in ERROR_FLAGS:
        return ERROR_FLAGS[kind]
    if kind.startswith("judge_"):
        return "model_grader_server_error"
    if kind.startswith("python_"):
        return "python_grader_runtime_error"
    return "other_error"


def run_openai(grader: Any, sample: Any, item: Any = None) -> dict[str, Any]:
    """Score one sample like OpenAI's run endpoint: `grader` is OpenAI JSON (dict/text/path) or a Grader."""
    from graders.api import Grader
    from graders.openai.importer import from_openai, load_openai_json

    if isinstance(grader, Grader):
        g = grader
        name = g.name
        gtype = getattr(g.spec.grader, "type", "")  # type: ignore[attr-defined]
    else:
        g = from_openai(grader)  # checks it first: from a path, errors name the file and line
        obj, _ = load_openai_json(grader)
        name = obj.get("name") or g.name
        gtype = obj.get("type", "")
    item = {} if item is None else item
    res = g.score([openai_sample(sample)], [item])
    reward = float(res.scores[0])
    errors: dict[str, Any] = dict.fromkeys(FLAGS, False)
    details: dict[str, list[str]] = {}
    for e in res.errors[0]:
        flag = _flag(e.kind)
        errors[flag] = True
        if flag in DETAILS:
            details.setdefault(DETAILS[flag], []).append(
                e.kind if flag == "python_grader_server_error" else f"{e.grader}: {e.message}")
    if res.counters.get("invalid_output_json"):
        errors["invalid_variable_error"] = True
    ordered: dict[str, Any] = {}  # the SDK's order: each *_details / *_type right after its flag
    for flag in FLAGS:
        ordered[flag] = errors[flag]
        if flag in DETAILS:
            ordered[DETAILS[flag]] = "; ".join(details[DETAILS[flag]]) if DETAILS[flag] in details else None
    errors = ordered
    if reward != reward:  # a skipped row (on_error: skip) has no reward; OpenAI's is 0
        reward = 0.0
    children = [k for k, _ in g.plan.children] if gtype == "multi" else []
    sub = {k: _num(res.components[k][0]) for k in children if k in res.components}
    per_model, total = _usage(res.usage)
    judges = list(per_model)
    return {
        "reward": reward,
        "sub_rewards": sub,
        "metadata": {
            "name": name,
            "type": gtype,
            "errors": errors,
            "execution_time": res.elapsed_s,
            "scores": dict(sub),
            "token_usage": total,
            "sampled_model_name": judges[0] if judges else _judge_model(g),
        },
        "model_grader_token_usage_per_model": per_model,
    }


def _num(v: Any) -> float | None:
    f = float(v)
    return None if f != f else f


def _usage(usage: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int] | None]:
    per: dict[str, Any] = {}
    for model, u in (usage.get("by_model") or {}).items():
        per[model] = {"prompt_tokens": int(u.get("prompt_tokens", 0)),
                      "completion_tokens": int(u.get("completion_tokens", 0)),
                      "total_tokens": int(u.get("total_tokens", 0)),
                      "cached_tokens": int(u.get("cached_prompt_tokens", 0))}
    if not per:
        return {}, None
    total = {k: sum(v[k] for v in per.values()) for k in ("prompt_tokens", "completion_tokens", "total_tokens",
                                                          "cached_tokens")}
    return per, total


def _judge_model(g: Any) -> str | None:
    stack = [g.spec.grader]
    while stack:
        n = stack.pop()
        if getattr(n, "judge_mode", None) and isinstance(getattr(n, "model", None), str):
            return n.model  # type: ignore[no-any-return]
        stack.extend(getattr(n, "graders", {}).values() if isinstance(getattr(n, "graders", None), dict) else [])
    return None
