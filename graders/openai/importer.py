"""OpenAI grader JSON -> a graders config, with OpenAI's validation rules and semantics.

`from_openai(obj)` accepts a grader object (`{"type": "string_check", ...}`),
a run/validate request body (`{"grader": {...}}`), a JSON string or a path to
a `.json` file, checks it as OpenAI's API would, and builds a `Grader` that
scores as OpenAI's grader does:

* `string_check` -> `string_check` (`neq` normalised to `ne`);
* `text_similarity` -> `text_similarity`;
* `score_model` / `label_model` -> the same kinds with `prompt_style: openai`
  (the config's messages only, no graders system message, no UNTRUSTED
  markers) and, for `score_model`, `scale: raw` (a parent `multi` sees the
  clipped score on `range`, as OpenAI's does);
* `python` -> `python` (sandboxed);
* `multi` -> `multi` (`calculate_output` over the `graders` keys; one level);
* `endpoint` (Azure Foundry) -> `endpoint`.

Every error names the path in the JSON (`graders.email.operation`) and what
was expected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graders.errors import ConfigError, ConfigIssue
from graders.openai import spec
from graders.openai.spec import issue, join


def load_openai_json(obj: Any) -> tuple[dict[str, Any], str | None]:
    """The grader object from a dict, a JSON string or a path; plus the file name when read from one."""
    filename: str | None = None
    if hasattr(obj, "model_dump") and not isinstance(obj, type):  # an openai-python model (StringCheckGrader(...))
        obj = obj.model_dump(mode="json", exclude_none=True)
    if isinstance(obj, Path) or (isinstance(obj, str) and not obj.lstrip().startswith("{")):
        filename = str(obj)
        try:
            text = Path(obj).read_text(encoding="utf-8")
        except OSError as exc:
            raise issue("", f"cannot read {filename}: {exc.strerror or exc}", filename) from None
        except UnicodeDecodeError as exc:
            raw = Path(obj).read_bytes()[: exc.start]
            line, col = raw.count(b"\n") + 1, exc.start - (raw.rfind(b"\n") + 1) + 1
            it = ConfigIssue(f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8",
                             file=filename, line=line, column=col)
            raise ConfigError(str(it), [it]) from None
        obj = text
    if isinstance(obj, str):
        obj = parse_json(obj, filename)
    if isinstance(obj, list) and len(obj) == 1 and isinstance(obj[0], dict):
        obj = obj[0]  # a testing_criteria list holding one grader
    if not isinstance(obj, dict):
        more = "; a testing_criteria list with several graders: import each one" if isinstance(obj, list) else ""
        raise issue("", f"an OpenAI grader is a JSON object, got {type(obj).__name__}{more}", filename)
    return _unwrap(obj, filename), filename


def _wrapper_path(data: Any) -> tuple[Any, ...]:
    """Where `_unwrap` finds the grader in `data`, as a path tuple."""
    if isinstance(data, list) and len(data) == 1:
        return (0,)
    if not isinstance(data, dict) or data.get("type") in spec.TYPES:
        return ()
    if isinstance(data.get("grader"), dict):
        return ("grader",)
    if isinstance(data.get("method"), dict) and isinstance(data["method"].get("reinforcement"), dict) \
            and isinstance(data["method"]["reinforcement"].get("grader"), dict):
        return ("method", "reinforcement", "grader")
    if isinstance(data.get("testing_criteria"), list) and len(data["testing_criteria"]) == 1:
        return ("testing_criteria", 0)
    return ()


def _unwrap(obj: dict[str, Any], filename: str | None) -> dict[str, Any]:
    """The grader inside a run/validate body, an RFT job body or an eval's testing_criteria."""
    if "type" in obj and obj.get("type") in spec.TYPES:
        return obj
    if isinstance(obj.get("grader"), dict):  # a run/validate request body
        return obj["grader"]
    method = obj.get("method")
    rft = method.get("reinforcement") if isinstance(method, dict) else None
    if isinstance(rft, dict) and isinstance(rft.get("grader"), dict):  # fine_tuning.jobs.create(method=...)
        return rft["grader"]
    criteria = obj.get("testing_criteria")
    if isinstance(criteria, list) and criteria:  # evals.create(testing_criteria=[...])
        if len(criteria) == 1 and isinstance(criteria[0], dict):
            return criteria[0]
        names = [c.get("name") for c in criteria if isinstance(c, dict)]
        raise issue("testing_criteria", f"this eval has {len(criteria)} testing criteria {names}; each is its "
                                        "own grader: import them one at a time", filename)
    return obj


def parse_json(text: str, filename: str | None = None) -> Any:
    """JSON text -> data; a syntax error names the file, line and column and what was expected."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        it = ConfigIssue(f"not valid JSON: {exc.msg}", file=filename, line=exc.lineno, column=exc.colno)
        raise ConfigError(str(it), [it]) from None
    except (ValueError, RecursionError) as exc:
        raise issue("", f"not valid JSON: {exc}", filename) from None


def _path_tuple(path: str) -> tuple[Any, ...]:
    """`graders.email.input[0].content` -> ("graders", "email", "input", 0, "content")."""
    out: list[Any] = []
    for m in re.finditer(r"\[(\d+)\]|([^.\[\]]+)", path):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)


def locate(exc: ConfigError, text: str, filename: str) -> ConfigError:
    """The same error with each issue's file, line and column (of the deepest JSON node on its path)."""
    from graders.config import parse_yaml

    try:  # JSON is YAML: the YAML composer gives each node's line and column
        data, marks = parse_yaml(text, filename)
    except ConfigError:
        data, marks = None, {}
    root = _wrapper_path(data)  # a run/validate body, RFT job or eval: paths are inside its grader
    for it in exc.issues:
        it.file = it.file or filename
        if it.line is None and marks:
            path = root + _path_tuple(it.path)
            while path and path not in marks:
                path = path[:-1]
            it.line, it.column = marks.get(path, (None, None))
    return ConfigError("\n".join(str(i) for i in exc.issues), exc.issues)


def is_openai_grader_file(path: str | Path) -> bool:
    """True for a .json file holding an OpenAI grader object (a top-level `type` OpenAI knows)."""
    if not str(path).endswith(".json"):
        return False
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        return False
    if data.get("type") in spec.TYPES:
        return True
    if "type" in data or ("grader" in data and "model_sample" not in data):
        return False  # a native node, or a graders file ({name?, grader: {...}}); a run body has model_sample
    try:
        inner = _unwrap(data, None)
    except ConfigError:
        return True  # an eval with several criteria: from_openai says so
    return inner is not data and isinstance(inner, dict) and inner.get("type") in spec.TYPES


def load_grader_file(path: str, *, opt: Any = None) -> Any:
    """`graders.load(path)`, or `from_openai(path)` for an OpenAI grader .json (what the CLI commands use)."""
    if str(path).endswith(".json"):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None  # graders.load reports it
        if text is not None:
            parse_json(text, str(path))  # a .json file that is not JSON: say so, with line and column
    if is_openai_grader_file(path):
        return from_openai(path, opt=opt)
    from graders.api import load

    return load(path, opt=opt)


def openai_to_config(obj: Any) -> dict[str, Any]:
    """OpenAI grader JSON -> a graders file dict `{"name": ..., "grader": {...}}` (validated by OpenAI's rules)."""
    try:
        grader, filename = load_openai_json(obj)
    except ConfigError as exc:
        path = obj if isinstance(obj, Path) or (isinstance(obj, str) and not obj.lstrip().startswith("{")) else None
        if path is not None and any(i.path and i.line is None for i in exc.issues):
            raise locate(exc, Path(path).read_text(encoding="utf-8"), str(path)) from None
        raise
    try:
        node = _convert(grader, "", inside_multi=False)
    except ConfigError as exc:
        if filename:
            raise locate(exc, Path(filename).read_text(encoding="utf-8"), filename) from None
        raise
    out: dict[str, Any] = {}
    if isinstance(grader.get("name"), str) and grader["name"]:
        out["name"] = grader["name"]
    out["grader"] = node
    return out


def from_openai(obj: Any, *, opt: Any = None) -> Any:
    """Build a `Grader` from an OpenAI grader: a dict, an openai-python grader model, JSON text, a .json path,
    or a body holding one (run/validate, RFT job, one-criterion eval)."""
    from graders.api import from_dict

    cfg = openai_to_config(obj)
    try:
        g = from_dict(cfg, opt=opt)
    except ConfigError as exc:  # a rule of the converted kind (paths in our tree: grader.<same keys>)
        filename = str(obj) if isinstance(obj, Path) or (isinstance(obj, str) and not obj.lstrip().startswith("{")) \
            else None
        for it in exc.issues:
            it.path = it.path.removeprefix("grader.").removeprefix("grader")
            it.file = None if it.file == "<dict>" else it.file
        if filename:
            raise locate(exc, Path(filename).read_text(encoding="utf-8"), filename) from None
        raise ConfigError("\n".join(str(i) for i in exc.issues), exc.issues) from None
    g.openai_type = cfg["grader"]["type"]  # type: ignore[attr-defined]
    return g


# -- per type ------------------------------------------------------------------------
def _convert(g: Any, path: str, *, inside_multi: bool) -> dict[str, Any]:
    if not isinstance(g, dict):
        raise issue(path, f"expected a grader object, got {type(g).__name__}")
    t = g.get("type")
    if t not in spec.TYPES:
        raise issue(join(path, "type"), f"unknown grader type {t!r}; OpenAI's types are {', '.join(spec.TYPES)}")
    if t == "multi" and inside_multi:
        raise issue(path, "a multi grader cannot contain another multi grader (OpenAI refuses it); "
                          "write the inner formula into the outer calculate_output, or use graders' own "
                          "nested `formula` nodes in YAML")
    required, optional = spec.FIELDS[t]
    allowed = {"type", "name", *required, *optional}
    for k in g:
        if k not in allowed:
            raise issue(join(path, k), f"unknown field {k!r} for a {t} grader; it takes {', '.join(sorted(allowed))}")
    for k in required:
        if k not in g:
            raise issue(join(path, k), f"a {t} grader needs `{k}`")
    name = g.get("name")
    if name is not None and not isinstance(name, str):
        raise issue(join(path, "name"), f"name must be a string, got {type(name).__name__}")
    node: dict[str, Any] = {"type": t}
    if name:
        node["name"] = name
    return _BUILDERS[t](g, path, node)


def _str(g: dict[str, Any], key: str, path: str) -> str:
    v = g[key]
    if not isinstance(v, str):
        raise issue(join(path, key), f"`{key}` must be a string, got {type(v).__name__}")
    return v


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise issue(where, f"expected a number, got {json.dumps(v)[:60]}")
    return float(v)


def _string_check(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    op = g["operation"]
    op = spec.OPERATION_ALIASES.get(op, op) if isinstance(op, str) else op
    if op not in spec.OPERATIONS:
        raise issue(join(path, "operation"), f"operation must be one of {', '.join(spec.OPERATIONS)} "
                                             f"(got {json.dumps(g['operation'])}); `like` is a substring test")
    node.update(input=_str(g, "input", path), reference=_str(g, "reference", path), operation=op)
    return node


def _text_similarity(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    metric = g["evaluation_metric"]
    if metric not in spec.METRICS:
        import difflib

        guess = metric.lower().replace("-", "_").replace("rougel", "rouge_l") if isinstance(metric, str) else ""
        close = [guess] if guess in spec.METRICS else difflib.get_close_matches(guess, spec.METRICS, n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise issue(join(path, "evaluation_metric"),
                    f"evaluation_metric must be one of {', '.join(spec.METRICS)} (got {json.dumps(metric)}){hint}")
    node.update(input=_str(g, "input", path), reference=_str(g, "reference", path), evaluation_metric=metric)
    if g.get("pass_threshold") is not None:
        node["pass_threshold"] = _number(g["pass_threshold"], join(path, "pass_threshold"))
    return node


def _part(p: Any, where: str, text_only: bool) -> dict[str, Any]:
    if isinstance(p, str):  # openai-python's GraderInputItem: a plain string is a text input
        return {"type": "input_text", "text": p}
    if not isinstance(p, dict):
        raise issue(where, f"a content part is an object with `type`, got {type(p).__name__}")
    t = p.get("type")
    if t in ("input_text", "output_text"):
        if not isinstance(p.get("text"), str):
            raise issue(join(where, "text"), f"an {t} part needs a string `text`")
        return {"type": t, "text": p["text"]}
    if text_only:
        raise issue(join(where, "type"), f"a label_model takes text parts only (input_text, output_text), got {t!r}")
    if t == "input_image":
        if not isinstance(p.get("image_url"), str):
            raise issue(join(where, "image_url"), "an input_image part needs a string `image_url`")
        out: dict[str, Any] = {"type": t, "image_url": p["image_url"]}
        if p.get("detail") is not None:
            if p["detail"] not in ("auto", "low", "high"):
                raise issue(join(where, "detail"), f"detail must be auto, low or high, got {p['detail']!r}")
            out["detail"] = p["detail"]
        return out
    if t == "input_audio":
        audio = p.get("input_audio", p)  # the Responses shape nests {data, format} under input_audio
        if not isinstance(audio, dict) or not isinstance(audio.get("data"), str):
            raise issue(join(where, "input_audio"), "an input_audio part needs `input_audio: {data, format}`")
        return {"type": t, "data": audio["data"], "format": audio.get("format", "wav")}
    raise issue(join(where, "type"), f"unknown content part type {t!r}; expected input_text, output_text, "
                                     "input_image or input_audio")


def _messages(g: dict[str, Any], path: str, *, text_only: bool) -> list[dict[str, Any]]:
    msgs = g["input"]
    where = join(path, "input")
    if not isinstance(msgs, list) or not msgs:
        raise issue(where, "`input` must be a non-empty list of messages {role, content}")
    out = []
    for i, m in enumerate(msgs):
        mp = join(where, i)
        if not isinstance(m, dict):
            raise issue(mp, f"a message is an object {{role, content}}, got {type(m).__name__}")
        extra = set(m) - {"role", "content", "type"}
        if extra:
            raise issue(join(mp, sorted(extra)[0]), f"unknown message field {sorted(extra)[0]!r}; a message has "
                                                   "role, content and optional type: message")
        if m.get("type") not in (None, "message"):
            raise issue(join(mp, "type"), f"message type must be 'message', got {m.get('type')!r}")
        if m.get("role") not in spec.ROLES:
            raise issue(join(mp, "role"), f"role must be one of {', '.join(spec.ROLES)}, got {m.get('role')!r}")
        c = m.get("content")
        if isinstance(c, str):
            content: Any = c
        elif isinstance(c, dict):  # a single part object (the SDK's union allows it)
            content = [_part(c, join(mp, "content"), text_only)]
        elif isinstance(c, list) and c:
            content = [_part(p, join(join(mp, "content"), j), text_only) for j, p in enumerate(c)]
        else:
            raise issue(join(mp, "content"), "content must be a string or a non-empty list of parts")
        out.append({"role": m["role"], "content": content})
    return out


def _sampling(g: dict[str, Any], path: str, model: str) -> dict[str, Any]:
    from graders.judge.config import accepts_reasoning_effort, is_reasoning_model

    key = "sampling_params" if "sampling_params" in g else "sampling_parameters"  # Azure's spec spells it so
    if "sampling_params" in g and "sampling_parameters" in g:
        raise issue(join(path, "sampling_parameters"), "give sampling_params or sampling_parameters, not both")
    sp = g.get(key)
    where = join(path, key)
    if sp is None:
        return {}
    if not isinstance(sp, dict):
        raise issue(where, f"sampling_params must be an object, got {type(sp).__name__}")
    out: dict[str, Any] = {}
    for k, v in sp.items():
        key = spec.SAMPLING_ALIASES.get(k, k)
        if key not in spec.SAMPLING_PARAMS:
            raise issue(join(where, k), f"unknown sampling parameter {k!r}; OpenAI's are "
                                        f"{', '.join(spec.SAMPLING_PARAMS)}")
        if v is None:
            continue
        kp = join(where, k)
        if key == "reasoning_effort":
            if v not in spec.REASONING_EFFORTS:
                raise issue(kp, f"reasoning_effort must be one of {', '.join(spec.REASONING_EFFORTS)}, got {v!r}")
            if not accepts_reasoning_effort(model):
                raise issue(kp, f"reasoning_effort cannot be set for {model!r}, which is not a reasoning model "
                                "(OpenAI accepts it for o1, o3, o4-mini and gpt-5* only)")
        elif key in ("seed", "max_completions_tokens"):
            if isinstance(v, bool) or not isinstance(v, int):
                raise issue(kp, f"{k} must be an integer, got {json.dumps(v)[:40]}")
        else:
            _number(v, kp)
            if key == "temperature" and is_reasoning_model(model) and v != 1:
                # 1 is their fixed value: the API reference runs gpt-5-mini with temperature 1
                raise issue(kp, f"temperature cannot be set for reasoning model {model!r} (o1, o3, o4-mini and "
                                f"gpt-5* accept only 1, got {json.dumps(v)})")
        if key in out:
            raise issue(kp, f"{k} repeats {key} (give one of them)")
        out[key] = v
    return out


def _model(g: dict[str, Any], path: str) -> str:
    model = _str(g, "model", path)
    if not model.strip():
        raise issue(join(path, "model"), "model must not be empty")
    return model


def _score_model(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    model = _model(g, path)
    node.update(model=model, input=_messages(g, path, text_only=False))
    rng = g.get("range")
    if rng is not None:
        rp = join(path, "range")
        if not isinstance(rng, list) or len(rng) != 2:
            raise issue(rp, f"range is [min, max], got {json.dumps(rng)[:60]}")
        lo, hi = _number(rng[0], join(rp, 0)), _number(rng[1], join(rp, 1))
        if not lo < hi:
            raise issue(rp, f"range must have min < max, got {json.dumps(rng)}")
        node["range"] = [lo, hi]
    sp = _sampling(g, path, model)
    if sp:
        node["sampling_params"] = sp
    if g.get("pass_threshold") is not None:
        node["pass_threshold"] = _number(g["pass_threshold"], join(path, "pass_threshold"))
    node["prompt_style"] = "openai"
    node["scale"] = "raw"  # OpenAI's multi reads the clipped score on `range`, never a [0, 1] mapping
    return node


def _label_model(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    model = _model(g, path)
    node.update(model=model, input=_messages(g, path, text_only=False))  # the SDK's type takes images and audio
    for key in ("labels", "passing_labels"):
        v = g[key]
        if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
            raise issue(join(path, key), f"`{key}` must be a non-empty list of strings")
    unknown = [lab for lab in g["passing_labels"] if lab not in g["labels"]]
    if unknown:
        raise issue(join(path, "passing_labels"), f"passing_labels {unknown} are not in labels {g['labels']}")
    node.update(labels=list(g["labels"]), passing_labels=list(g["passing_labels"]), prompt_style="openai")
    sp = _sampling(g, path, model)
    if sp:
        node["sampling_params"] = sp
    return node


def _python(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    from graders.sandbox.python_grade import SourceInvalid, check_source

    source = _str(g, "source", path)
    try:
        check_source(source)
    except SourceInvalid as exc:
        raise issue(join(path, "source"), str(exc)) from None
    node["source"] = source
    if g.get("image_tag") is not None:
        node["image_tag"] = _str(g, "image_tag", path)
    # pass_threshold: an Evals pass mark RFT ignores; the python kind does not keep it.
    return node


def _multi(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    from graders.errors import FormulaError
    from graders.formula import compile_formula

    gp = join(path, "graders")
    children = g["graders"]
    if isinstance(children, dict) and isinstance(children.get("type"), str):
        # The SDKs typed `graders` as one grader (openai-java#647); accepted, keyed by its name.
        key = children.get("name")
        if not isinstance(key, str) or not key.isidentifier():
            raise issue(gp, "`graders` is a single grader, not a map of key -> grader; give it an identifier "
                            "`name` (the formula's variable) or write {\"key\": {...grader...}}")
        children = {key: children}
    elif isinstance(children, list):
        # The API reference's example object and some UIs write a list: each grader keyed by its `name`.
        keyed: dict[str, Any] = {}
        for i, child in enumerate(children):
            key = child.get("name") if isinstance(child, dict) else None
            if not isinstance(key, str) or not key.isidentifier():
                raise issue(join(join(gp, i), "name"), "`graders` is a list; a listed grader needs an identifier `name` (the "
                                         f"formula's variable), got {json.dumps(key)}; or write "
                                         "{\"key\": {...grader...}}")
            if key in keyed:
                raise issue(join(join(gp, i), "name"), f"two listed graders are named {key!r}")
            keyed[key] = child
        children = keyed
    if not isinstance(children, dict) or not children:
        raise issue(gp, "`graders` must be a non-empty object mapping keys (the formula's variables) to graders")
    out: dict[str, Any] = {}
    for k, child in children.items():
        if not isinstance(k, str) or not k.isidentifier():
            raise issue(join(gp, k), f"grader key {k!r} must be an identifier (letters, digits, _) to be usable "
                                     "in calculate_output")
        out[k] = _convert(child, join(gp, k), inside_multi=True)
    expr = _str(g, "calculate_output", path)
    fp = join(path, "calculate_output")
    try:
        formula = compile_formula(expr, set(out))
    except FormulaError as exc:
        raise issue(fp, f"{exc} (calculate_output may use the graders keys {sorted(out)})") from None
    bad = openai_formula_problem(formula.root)
    if bad:
        raise issue(fp, f"{bad}; OpenAI's calculate_output has + - * / ^, parentheses and "
                        f"{', '.join(sorted(spec.FORMULA_FUNCTIONS))}")
    node.update(calculate_output=expr, graders=out)
    return node


def openai_formula_problem(root: Any) -> str | None:
    """What in a parsed formula OpenAI's calculate_output lacks (comparisons, other functions), or None."""
    from graders import formula as f

    stack = [root]
    while stack:
        n = stack.pop()
        if isinstance(n, f.Compare):
            return f"comparison {n.op!r} is not part of OpenAI's formula language"
        if isinstance(n, f.Call):
            if n.func not in spec.FORMULA_FUNCTIONS:
                return f"function {n.func}() is not part of OpenAI's formula language"
            if n.func == "log" and len(n.args) != 1:
                return "log() takes one argument in OpenAI's formula language (natural log)"
            stack.extend(n.args)
        elif isinstance(n, f.Unary):
            stack.append(n.operand)
        elif isinstance(n, f.Chain):
            stack.append(n.head)
            stack.extend(x for _op, x in n.rest)
        elif isinstance(n, f.Power):
            stack.extend((n.base, n.exponent))
    return None


def _endpoint(g: dict[str, Any], path: str, node: dict[str, Any]) -> dict[str, Any]:
    url = _str(g, "url", path)
    if not url.startswith(("http://", "https://")):
        raise issue(join(path, "url"), f"url must be an http(s) URL, got {url!r}")
    node["url"] = url
    for k in spec.FIELDS["endpoint"][1]:
        if k in g and g[k] is not None:
            node[k] = g[k]
    return node


_BUILDERS = {
    "string_check": _string_check,
    "text_similarity": _text_similarity,
    "score_model": _score_model,
    "label_model": _label_model,
    "python": _python,
    "multi": _multi,
    "endpoint": _endpoint,
}
