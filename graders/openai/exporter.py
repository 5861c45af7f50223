"""A graders config -> OpenAI grader JSON (`graders.to_openai`, `graders convert G.yaml`).

Leaves OpenAI knows export as themselves. A tree of combinators is flattened
into one `multi` whose `calculate_output` is exact: `weighted` -> a weighted
sum with the normalised weights, `min` / `max` -> min()/max(), `product` ->
a product, `formula` / `multi` -> the expression inlined with each child
replaced by its own formula, a node `range` -> min(max(x, lo), hi), and a
`score_model` whose parent reads it on [0, 1] (`scale: unit`, or `auto`
inside a combinator) -> `((k - lo) / (hi - lo))`. Anything else fails with a
ConfigError naming the node: `gate` and `first_of` (row-wise control flow),
formula comparisons, leaf options OpenAI
lacks (`extract`, `on_error` other than zero, judge `n` > 1) and kinds
OpenAI lacks (math, regex, fuzzy, ...).
"""

from __future__ import annotations

from typing import Any

from graders.openai.spec import issue

_LEAVES = ("string_check", "text_similarity", "score_model", "label_model", "python", "endpoint")
_COMBINATORS = ("weighted", "min", "max", "product", "formula", "multi")


def to_openai(grader: Any, *, name: str | None = None) -> dict[str, Any]:
    """OpenAI grader JSON for a Grader, a loaded spec, a graders file dict or a YAML path."""
    from graders.api import Grader, from_dict, load

    if isinstance(grader, dict):
        grader = from_dict(grader)
    elif isinstance(grader, str):
        grader = load(grader)
    if isinstance(grader, Grader):
        spec = grader.spec
        name = name or grader.name
    else:
        spec = grader
        name = name or getattr(spec, "name", None) or "grader"
    root = spec.grader  # type: ignore[attr-defined]
    rname = root.name or name
    t = root.type
    if t in _LEAVES:
        return _leaf(root, "grader", rname)
    if t not in _COMBINATORS:
        raise _unsupported(root, "grader")
    # A multi / formula whose children are all leaves keeps its text; anything else is flattened.
    if t in ("multi", "formula") and root.range is None and all(
            c.type in _LEAVES and not _unit_scaled(c) for c in root.graders.values()):
        expr = root.calculate_output if t == "multi" else root.expression
        _check_openai_formula(expr, "grader")
        return {"type": "multi", "name": rname, "graders": {
            k: _leaf(c, f"grader.graders.{k}", c.name or k) for k, c in root.graders.items()},
            "calculate_output": expr}
    leaves: dict[str, dict[str, Any]] = {}
    expr = _flatten(root, "grader", "", leaves)
    return {"type": "multi", "name": rname, "graders": leaves, "calculate_output": expr}


def _unsupported(node: Any, path: str) -> Exception:
    return issue(path, f"a `{node.type}` node has no OpenAI equivalent and cannot be flattened into a multi "
                       "formula; OpenAI has string_check, text_similarity, score_model, label_model, python, multi "
                       "(and Azure's endpoint)")


def _unit_scaled(node: Any) -> bool:
    return node.type == "score_model" and getattr(node, "scale", "raw") in ("unit", "auto")


def _check_openai_formula(expr: str, path: str) -> None:
    from graders.formula import compile_formula
    from graders.openai.importer import openai_formula_problem

    bad = openai_formula_problem(compile_formula(expr).root)
    if bad:
        raise issue(path, f"{bad}: cannot express this formula in OpenAI's calculate_output")


def _leaf(node: Any, path: str, name: str) -> dict[str, Any]:
    t = node.type
    if t not in _LEAVES:
        raise _unsupported(node, path)
    if getattr(node, "extract", None) is not None:
        raise issue(path, f"`extract` on this {t} node has no OpenAI equivalent (OpenAI reads templates only)")
    if node.on_error != "zero":
        raise issue(path, f"on_error: {node.on_error} has no OpenAI equivalent (OpenAI scores a failed row 0)")
    out: dict[str, Any] = {"type": t, "name": name}
    if t == "string_check":
        out.update(input=node.input, reference=node.reference or "", operation=node.operation)
    elif t == "text_similarity":
        out.update(input=node.input, reference=node.reference or "", evaluation_metric=node.evaluation_metric)
        if node.pass_threshold is not None:
            out["pass_threshold"] = node.pass_threshold
    elif t in ("score_model", "label_model"):
        if node.n > 1:
            raise issue(path, f"n: {node.n} (several judge samples) has no OpenAI equivalent")
        out["model"] = node.model
        out["input"] = [m.model_dump(mode="json", exclude_none=True) for m in node.input]
        for m in out["input"]:
            if isinstance(m["content"], list):
                m["content"] = [_part_out(p) for p in m["content"]]
        if t == "score_model":
            lo, hi = node.range if node.range is not None else (0.0, 1.0)
            out["range"] = [lo, hi]
            sp = node.sampling_params.model_dump(mode="json", exclude_none=True)
            if sp:
                out["sampling_params"] = sp
            if node.pass_threshold is not None:
                out["pass_threshold"] = node.pass_threshold
        else:
            out.update(labels=list(node.labels), passing_labels=list(node.passing_labels))
            sp = node.sampling_params.model_dump(mode="json", exclude_none=True)
            if sp:  # the graders guide's label_model example carries sampling_params
                out["sampling_params"] = sp
    elif t == "python":
        out["source"] = node.source
        if node.image_tag:
            out["image_tag"] = node.image_tag
    else:  # endpoint
        d = node.model_dump(mode="json", exclude_defaults=True, exclude={"type", "name", "weight", "on_error"})
        out.update(d)
        out["url"] = node.url
    if node.range is not None and t not in ("score_model",) and t != "endpoint":
        raise issue(path, f"`range` on a {t} leaf has no OpenAI equivalent; put the leaf under a combinator "
                          "(exported as min(max(x, lo), hi)) instead")
    return out


def _part_out(p: dict[str, Any]) -> dict[str, Any]:
    if p.get("type") == "input_audio":
        return {"type": "input_audio", "input_audio": {"data": p["data"], "format": p.get("format", "wav")}}
    return p


def _num(x: float) -> str:
    r = repr(float(x))
    return f"({r})" if r.startswith("-") else r


def _flatten(node: Any, path: str, key: str, leaves: dict[str, dict[str, Any]]) -> str:
    """The formula text computing `node` (as its parent reads it), adding its leaves to `leaves`."""
    t = node.type
    if t in _LEAVES:
        k = key or "grader"
        base, i = k, 2
        while k in leaves:
            k = f"{base}_{i}"
            i += 1
        leaves[k] = _leaf(node, path, node.name or k)
        if _unit_scaled(node):
            lo, hi = node.range if node.range is not None else (0.0, 1.0)
            return f"(({k} - {_num(lo)}) / {_num(hi - lo)})"
        return k
    if t not in _COMBINATORS:
        raise _unsupported(node, path)
    if node.on_error != "zero":
        raise issue(path, f"on_error: {node.on_error} has no OpenAI equivalent")
    kids = {k: _flatten(c, f"{path}.graders.{k}", f"{key}_{k}" if key else k, leaves)
            for k, c in node.graders.items()}
    if t == "weighted":
        ws = node._weight_list()
        total = sum(ws) if node.normalize else 1.0
        expr = "(" + " + ".join(f"{_num(w / total)} * {kids[k]}" for k, w in zip(node.graders, ws, strict=True)) + ")"
    elif t in ("min", "max"):
        expr = f"{t}({', '.join(kids.values())})" if len(kids) > 1 else kids[next(iter(kids))]
    elif t == "product":
        expr = "(" + " * ".join(kids.values()) + ")"
    else:
        from graders.formula import compile_formula

        text = node.calculate_output if t == "multi" else node.expression
        expr = "(" + _render(compile_formula(text, set(kids)).root, kids, path) + ")"
    if node.range is not None:
        lo, hi = node.range
        expr = f"min(max({expr}, {_num(lo)}), {_num(hi)})"
    return expr


def _render(n: Any, env: dict[str, str], path: str) -> str:
    from graders import formula as f

    if isinstance(n, f.Number):
        return n.text
    if isinstance(n, f.Name):
        return env[n.id] if env[n.id].isidentifier() else f"({env[n.id]})"
    if isinstance(n, f.Unary):
        return f"({n.op}{_render(n.operand, env, path)})"
    if isinstance(n, f.Chain):
        out = _render(n.head, env, path)
        for op, x in n.rest:
            out = f"{out} {op} {_render(x, env, path)}"
        return f"({out})"
    if isinstance(n, f.Power):
        return f"({_render(n.base, env, path)} ^ {_render(n.exponent, env, path)})"
    if isinstance(n, f.Compare):
        raise issue(path, f"comparison {n.op!r} in this formula has no OpenAI equivalent")
    if isinstance(n, f.Call):
        args = [_render(a, env, path) for a in n.args]
        if n.func == "clip":
            return f"min(max({args[0]}, {args[1]}), {args[2]})"
        if n.func == "log" and len(args) == 2:
            return f"(log({args[0]}) / log({args[1]}))"
        return f"{n.func}({', '.join(args)})"
    raise issue(path, f"cannot export formula node {type(n).__name__}")
