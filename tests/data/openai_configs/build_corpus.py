"""Builds corpus.jsonl: OpenAI grader configs as other people wrote them, each with samples and expected results.

Run: .venv/bin/python tests/data/openai_configs/build_corpus.py  (rewrites corpus.jsonl next to this file)

Every config comes from a source we did not write (`source`: where and what). Expected rewards are
derived from OpenAI's documented semantics (`why`), never from graders itself:
- string_check: eq/ne case-sensitive (in)equality, like/ilike (case-insensitive) containment;
- text_similarity: the library the guide names, called here directly (rapidfuzz WRatio with
  default_process / 100 as in the guide's python example; rouge-score F-measure; nltk BLEU with
  method4 smoothing and GLEU, over word_tokenize(preserve_line=True) tokens);
- multi: the arithmetic of `calculate_output` on the children's scores, done by hand here;
- python: what `grade(sample, item)` returns, read off its source;
- judges: the reply the fake judge is scripted to give (`judge`), clipped to `range`.
"""

from __future__ import annotations

import json
from pathlib import Path

from nltk.tokenize import word_tokenize
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from nltk.translate.gleu_score import sentence_gleu
from rapidfuzz import fuzz, utils
from rouge_score import rouge_scorer

GUIDE = {"url": "https://developers.openai.com/api/docs/guides/graders",
         "mirror": "github voxmenthe/prompts src/DATA_SCRIPTS/OPENAI_DOCS_MIRROR/openai_platform_docs/guides/graders/index.md"}
APIREF = {"url": "https://developers.openai.com/api/reference/python/resources/fine_tuning/subresources/alpha/"
                 "subresources/graders (Run grader: Example; 'Score text alignment')"}
APIREF_MULTI = {"url": "https://platform.openai.com/docs/api-reference/graders/multi (OBJECT Multi Grader example)"}
SDK = {"url": "https://github.com/openai/openai-python/tree/main/src/openai/types/graders"}
SDK_EVALS = {"url": "https://github.com/openai/openai-python/blob/main/src/openai/types/eval_create_params.py"}
SDK_TEST = {"url": "https://github.com/openai/openai-python/blob/main/tests/api_resources/fine_tuning/alpha/test_graders.py"}
AZURE = {"url": "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reinforcement-fine-tuning"}
AZURE_QA = {"url": "https://learn.microsoft.com/en-us/answers/questions/5596946/request-example-for-multigrader-with-custom-grader"}


def third_party(what: str, index_id: str) -> dict[str, str]:
    return {"url": f"public GitHub file (code-search index id {index_id})", "what": what}


def fz(a: str, b: str) -> float:
    return fuzz.WRatio(a, b, processor=utils.default_process) / 100


def toks(s: str) -> list[str]:
    return word_tokenize(s, preserve_line=True)


def bleu(hyp: str, ref: str) -> float:
    return float(sentence_bleu([toks(ref)], toks(hyp), smoothing_function=SmoothingFunction().method4))


def gleu(hyp: str, ref: str) -> float:
    return float(sentence_gleu([toks(ref)], toks(hyp)))


def rouge(kind: str, hyp: str, ref: str) -> float:
    key = "rougeL" if kind == "l" else f"rouge{kind}"
    return float(rouge_scorer.RougeScorer([key]).score(ref, hyp)[key].fmeasure)


def tools(name: str, arguments: str) -> dict:
    return {"output_text": "", "output_tools": [{"id": "call_1", "type": "function",
                                                 "function": {"name": name, "arguments": arguments}}]}


CASES: list[dict] = []


def case(**kw: object) -> None:
    CASES.append(kw)


# -- the graders guide ----------------------------------------------------------------------------
TOOL_MULTI = {
    "type": "multi",
    "graders": {
        "function_name": {"name": "function_name", "type": "string_check", "input": "get_acceptors",
                          "reference": "{{sample.output_tools[0].function.name}}", "operation": "eq"},
        "arguments": {"name": "arguments", "type": "string_check", "input": "{\"smiles\": \"{{item.smiles}}\"}",
                      "reference": "{{sample.output_tools[0].function.arguments}}", "operation": "eq"},
    },
    "calculate_output": "0.5 * function_name + 0.5 * arguments",
}
case(id="guide_tool_call_multi", source={**GUIDE, "what": "Details on grading tool calls: multi of two string_checks"},
     grader=TOOL_MULTI,
     runs=[{"sample": tools("get_acceptors", "{\"smiles\": \"CCO\"}"), "item": {"smiles": "CCO"}, "reward": 1.0,
            "sub_rewards": {"function_name": 1.0, "arguments": 1.0}},
           {"sample": tools("get_acceptors", "{\"smiles\":\"CCO\"}"), "item": {"smiles": "CCO"}, "reward": 0.5,
            "sub_rewards": {"function_name": 1.0, "arguments": 0.0}},
           {"sample": tools("get_donors", "{\"smiles\": \"CCO\"}"), "item": {"smiles": "CCO"}, "reward": 0.5,
            "sub_rewards": {"function_name": 0.0, "arguments": 1.0}}],
     why="eq is case-sensitive exact equality (the guide warns arguments differing in form score 0); "
         "0.5 * a + 0.5 * b by hand; the multi has no name (the guide's example omits it)")

NAME_EMAIL = {
    "type": "multi",
    "graders": {
        "name": {"name": "name_grader", "type": "text_similarity", "input": "{{sample.output_json.name}}",
                 "reference": "{{item.name}}", "evaluation_metric": "fuzzy_match", "pass_threshold": 0.9},
        "email": {"name": "email_grader", "type": "string_check", "input": "{{sample.output_json.email}}",
                  "reference": "{{item.email}}", "operation": "eq"},
    },
    "calculate_output": "(name + email) / 2",
}
ITEM_JD = {"name": "John Doe", "email": "john.doe@gmail.com"}
case(id="guide_multigrader_name_email", source={**GUIDE, "what": "Multigraders: name + email over output_json"},
     grader=NAME_EMAIL,
     runs=[{"sample": json.dumps(ITEM_JD), "item": ITEM_JD, "reward": 1.0, "sub_rewards": {"name": 1.0, "email": 1.0}},
           {"sample": json.dumps({"name": "Jon Doe", "email": "john.doe@gmail.com"}), "item": ITEM_JD,
            "reward": (fz("Jon Doe", "John Doe") + 1) / 2, "approx": True},
           {"sample": json.dumps({"name": "John Doe", "email": "jd@gmail.com"}), "item": ITEM_JD, "reward": 0.5,
            "sub_rewards": {"name": 1.0, "email": 0.0}},
           {"sample": "John Doe, john.doe@gmail.com", "item": ITEM_JD, "reward": 0.0,
            "flags": ["invalid_variable_error"]}],
     why="the guide: 'samples that get the email wrong will score between 0-0.5'; fuzzy_match = rapidfuzz WRatio "
         "(default_process) / 100; a sample that is not JSON has no output_json (invalid variable -> 0)")

case(id="guide_python_fuzzy", source={**GUIDE, "what": "Python graders: the working example (rapidfuzz WRatio)"},
     grader={"type": "python", "source": "from rapidfuzz import fuzz, utils\n\ndef grade(sample, item) -> float:\n"
             "    output_text = sample[\"output_text\"]\n    reference_answer = item[\"reference_answer\"]\n"
             "    return fuzz.WRatio(output_text, reference_answer, processor=utils.default_process) / 100.0\n"},
     runs=[{"sample": "fuzzy wuzzy was a bear", "item": {"reference_answer": "fuzzy wuzzy had no hair"},
            "reward": fz("fuzzy wuzzy was a bear", "fuzzy wuzzy had no hair"), "approx": True}],
     needs="python+site_packages", why="grade() returns WRatio/100 for the guide's own run payload")

case(id="guide_python_minimal", source={**AZURE, "what": "Custom Code Grader example (also the guide's python schema)"},
     grader={"type": "python", "source": "def grade(sample, item):\n    return 1.0", "image_tag": "2025-05-08"},
     runs=[{"sample": "anything", "item": {}, "reward": 1.0}], needs="python", why="grade() returns 1.0")

SCORE_GUIDE = {
    "type": "score_model", "name": "my_score_model",
    "input": [{"role": "system", "content": "You are an expert grader. If the reference and model answer are exact "
               "matches, output a score of 1. If they are somewhat similar in meaning, output a score in 0.5. "
               "Otherwise, give a score of 0."},
              {"role": "user", "content": "Reference: {{ item.reference_answer }}. Model answer: {{ sample.output_text }}"}],
    "pass_threshold": 0.5, "model": "o4-mini-2025-04-16", "range": [0, 1],
    "sampling_params": {"max_completions_tokens": 32768, "top_p": 1, "reasoning_effort": "medium"},
}
case(id="guide_score_model", source={**GUIDE, "what": "Score model graders: the runnable code sample"},
     grader=SCORE_GUIDE,
     runs=[{"sample": "0.9", "item": {"reference_answer": 1.0}, "judge": {"result": 0.5, "steps": []}, "reward": 0.5},
           {"sample": "0.9", "item": {"reference_answer": 1.0}, "judge": {"result": 3, "steps": []}, "reward": 1.0},
           {"sample": "0.9", "item": {"reference_answer": 1.0}, "judge": {"result": "n/a", "steps": []}, "reward": 0.0,
            "flags": ["model_grader_parse_error"]}],
     request={"model": "o4-mini-2025-04-16", "max_completion_tokens": 32768, "top_p": 1, "reasoning_effort": "medium",
              "messages": [{"role": "system", "content": SCORE_GUIDE["input"][0]["content"]},
                           {"role": "user", "content": "Reference: 1.0. Model answer: 0.9"}]},
     why="'The output of the grader will be truncated to the given range, and default to 0 for all non-numeric "
         "outputs'")

LABEL_GUIDE = {
    "type": "label_model", "name": "my_label_model",
    "input": [{"role": "system", "content": "You are an expert grader."},
              {"role": "user", "content": "Classify this: {{ sample.output_text }} as either good or bad, where "
               "closer to 1 is good."}],
    "passing_labels": ["good"], "labels": ["good", "bad"], "model": "o3-mini-2024-01-31",
    "sampling_params": {"max_tokens": 32768, "top_p": 1, "seed": 42, "reasoning_effort": "medium"},
}
case(id="guide_label_model", source={**GUIDE, "what": "Label model graders: the runnable code sample "
                                                      "(sampling_params with max_tokens)"},
     grader=LABEL_GUIDE,
     runs=[{"sample": "0.9", "item": {}, "judge": {"label": "good", "steps": []}, "reward": 1.0},
           {"sample": "0.1", "item": {}, "judge": {"label": "bad", "steps": []}, "reward": 0.0}],
     request={"model": "o3-mini-2024-01-31", "max_completion_tokens": 32768, "top_p": 1, "seed": 42,
              "reasoning_effort": "medium",
              "messages": [{"role": "system", "content": "You are an expert grader."},
                           {"role": "user", "content": "Classify this: 0.9 as either good or bad, where closer to 1 "
                            "is good."}]},
     why="'return a 1 if the model output is within the label set and 0 otherwise'")

# -- the API reference --------------------------------------------------------------------------------
case(id="apiref_run_string_check", source={**SDK_TEST, "what": "run(grader=string_check placeholders, "
                                                               "model_sample='model_sample'); the API reference example"},
     grader={"input": "input", "name": "name", "operation": "eq", "reference": "reference", "type": "string_check"},
     runs=[{"sample": "model_sample", "item": {}, "reward": 0.0}],
     why="the literal 'input' does not equal the literal 'reference'")

ALIGN = {"type": "score_model", "name": "Example score model grader",
         "input": [{"role": "user", "content": [{"type": "input_text", "text": "Score how close the reference answer "
                    "is to the model answer on a 0-1 scale. Return only the score.\n\nReference answer: "
                    "{{item.reference_answer}}\n\nModel answer: {{sample.output_text}}"}]}],
         "model": "gpt-5-mini", "sampling_params": {"temperature": 1, "top_p": 1, "seed": 42}}
case(id="apiref_score_text_alignment", source={**APIREF, "what": "Score text alignment: documented response reward 1.0"},
     grader=ALIGN,
     runs=[{"sample": "fuzzy wuzzy was a bear", "item": {"reference_answer": "fuzzy wuzzy was a bear"},
            "judge": {"result": 1.0, "steps": []}, "reward": 1.0}],
     request={"model": "gpt-5-mini", "temperature": 1, "top_p": 1, "seed": 42},
     why="the reference runs temperature 1 on gpt-5-mini and documents reward 1.0: temperature 1 (reasoning "
         "models' fixed value) is accepted")

case(id="apiref_multi_object_example", source={**APIREF_MULTI, "what": "the Multi Grader object example: graders as a "
                                                                       "list of graders with spaced names"},
     grader={"type": "multi", "name": "example multi grader",
             "graders": [{"type": "text_similarity", "name": "example text similarity grader", "input": "The graded text",
                          "reference": "The reference text", "evaluation_metric": "fuzzy_match"},
                         {"type": "string_check", "name": "Example string check grader",
                          "input": "{{sample.output_text}}", "reference": "{{item.label}}", "operation": "eq"}],
             "calculate_output": "0.5 * text_similarity_score +  0.5 * string_check_score)"},
     error="identifier", error_path="graders[0].name",
     why="its formula names no grader and has an unbalanced ')': refused, naming the list entry")

LISTED = {"type": "multi", "name": "example multi grader",
          "graders": [{"type": "text_similarity", "name": "text_similarity_score", "input": "The graded text",
                       "reference": "The reference text", "evaluation_metric": "fuzzy_match"},
                      {"type": "string_check", "name": "string_check_score", "input": "{{sample.output_text}}",
                       "reference": "{{item.label}}", "operation": "eq"}],
          "calculate_output": "0.5 * text_similarity_score +  0.5 * string_check_score"}
case(id="apiref_multi_list_named", source={**APIREF_MULTI, "what": "the same example with the names the formula uses "
                                                                   "and its stray ')' removed"},
     grader=LISTED,
     runs=[{"sample": "yes", "item": {"label": "yes"}, "reward": 0.5 * fz("The graded text", "The reference text") + 0.5,
            "approx": True},
           {"sample": "no", "item": {"label": "yes"}, "reward": 0.5 * fz("The graded text", "The reference text"),
            "approx": True}],
     why="a listed grader is keyed by its name; fuzzy_match = WRatio/100; 0.5 a + 0.5 b by hand")

# -- the SDK types ----------------------------------------------------------------------------------------
case(id="sdk_reasoning_effort_max", source={**SDK, "what": "shared ReasoningEffort includes 'max'"},
     grader={"type": "score_model", "name": "s", "model": "gpt-5", "sampling_params": {"reasoning_effort": "max"},
             "input": [{"role": "user", "content": "Grade: {{ sample.output_text }}"}]},
     runs=[{"sample": "ok", "item": {}, "judge": {"result": 0.25, "steps": []}, "reward": 0.25}],
     request={"model": "gpt-5", "reasoning_effort": "max"}, why="the judge's result, within the default range [0, 1]")

case(id="sdk_grader_inputs_plain_strings", source={**SDK, "what": "GraderInputs: a list whose items may be plain strings"},
     grader={"type": "score_model", "name": "s", "model": "gpt-4.1-2025-04-14",
             "input": [{"role": "user", "content": ["Reference: {{ item.ref }}", {"type": "input_text",
                                                                              "text": "Answer: {{ sample.output_text }}"}]}]},
     runs=[{"sample": "4", "item": {"ref": "four"}, "judge": {"result": 0.75, "steps": []}, "reward": 0.75}],
     request={"texts": ["Reference: four", "Answer: 4"]}, why="a plain string item is a text input")

case(id="sdk_content_single_part_object", source=third_party(
        "evals.create testing_criteria score_model whose message content is one input_text object", "33455630818"),
     grader={"name": "python-checker", "type": "score_model", "model": "gpt-4.1-2025-04-14", "range": [0, 1],
             "pass_threshold": 1,
             "input": [{"type": "message", "role": "developer",
                        "content": {"type": "input_text", "text": "Check the code's printed result."}},
                       {"type": "message", "role": "user",
                        "content": {"type": "input_text", "text": "Code: {{ item.code }}\nResult: {{ sample.output_text }}"}}]},
     runs=[{"sample": "3", "item": {"code": "print(1+2)"}, "judge": {"result": 1, "steps": []}, "reward": 1.0}],
     request={"texts": ["Check the code's printed result.", "Code: print(1+2)\nResult: 3"]},
     why="content may be a single part (the SDK's InputContent union)")

case(id="sdk_label_model_image", source={**SDK, "what": "LabelModelGrader.Input content: text and an input_image "
                                                          "(Evals: TestingCriterionLabelModel EvalItem)"},
     grader={"type": "label_model", "name": "chart_ok", "model": "gpt-4.1-2025-04-14", "labels": ["matches", "differs"],
             "passing_labels": ["matches"],
             "input": [{"role": "user", "content": [
                 {"type": "input_text", "text": "Does the caption match the chart? Caption: {{ sample.output_text }}"},
                 {"type": "input_image", "image_url": "{{ item.chart_url }}", "detail": "low"}]}]},
     runs=[{"sample": "Sales doubled", "item": {"chart_url": "https://example.com/c.png"},
            "judge": {"label": "matches", "steps": []}, "reward": 1.0},
           {"sample": "Sales fell", "item": {"chart_url": "https://example.com/c.png"},
            "judge": {"label": "differs", "steps": []}, "reward": 0.0}],
     request={"texts": ["Does the caption match the chart? Caption: Sales doubled"],
              "image_urls": ["https://example.com/c.png"]},
     why="the chosen label passes when it is in passing_labels")

case(id="guide_cosine", source={**GUIDE, "what": "text_similarity 'cosine: ... using text-embedding-3-large'"},
     grader={"type": "text_similarity", "name": "cos", "input": "{{ sample.output_text }}",
             "reference": "{{ item.reference_answer }}", "evaluation_metric": "cosine", "pass_threshold": 0.8},
     runs=[{"sample": "the cat sat on the mat", "item": {"reference_answer": "the cat sat on the mat"}, "reward": 1.0,
            "approx": True, "embeddings": True}],
     request={"model": "text-embedding-3-large"},
     why="the cosine of a text's embedding with itself is 1, whatever the embedding")

COOKBOOK_TOOLS = {"url": "https://cookbook.openai.com/examples/evaluation/use-cases/tools-evaluation",
                  "what": "Tool Evaluation with OpenAI Evals: score_model over "
                          "{{sample.output_tools[0].function.arguments.symbols}} (rubric abridged)"}
SYMBOLS = [{"name": "Evals", "symbol_type": "class"}, {"name": "create", "symbol_type": "method"}]
case(id="cookbook_tool_arguments_path", source=COOKBOOK_TOOLS,
     grader={"type": "score_model", "name": "General Evaluator", "model": "o3",
             "input": [{"role": "system", "content": "Grade the extracted symbols on a scale of 1 to 7."},
                       {"role": "user", "content": "<Code File>\n{{item.input}}\n</Code File>\n\n<Extracted Information>\n"
                        "{{sample.output_tools[0].function.arguments.symbols}}\n</Extracted Information>"}],
             "range": [1, 7], "pass_threshold": 5.0},
     runs=[{"sample": tools("extract_symbols", json.dumps({"symbols": SYMBOLS})), "item": {"input": "class Evals: ..."},
            "judge": {"result": 6, "steps": []}, "reward": 6.0},
           {"sample": tools("extract_symbols", json.dumps({"symbols": []})), "item": {"input": "class Evals: ..."},
            "judge": {"result": 0, "steps": []}, "reward": 1.0}],
     request={"model": "o3", "messages": [
         {"role": "system", "content": "Grade the extracted symbols on a scale of 1 to 7."},
         {"role": "user", "content": "<Code File>\nclass Evals: ...\n</Code File>\n\n<Extracted Information>\n"
          + json.dumps(SYMBOLS, separators=(",", ":")) + "\n</Extracted Information>"}]},
     why="the cookbook reads a field inside the JSON-string tool arguments; a list renders as JSON; 0 is clipped "
         "to the range's 1")

case(id="cookbook_tool_arguments_field_check", source={**COOKBOOK_TOOLS, "what": "the same path in a string_check "
                                                                                 "(first symbol's name)"},
     grader={"type": "string_check", "name": "first_symbol", "operation": "eq", "reference": "{{ item.first }}",
             "input": "{{ sample.output_tools[0].function.arguments.symbols[0].name }}"},
     runs=[{"sample": tools("extract_symbols", json.dumps({"symbols": SYMBOLS})), "item": {"first": "Evals"},
            "reward": 1.0},
           {"sample": tools("extract_symbols", json.dumps({"symbols": []})), "item": {"first": "Evals"}, "reward": 0.0,
            "flags": ["invalid_variable_error"]}],
     why="eq on the name read from the arguments JSON; an absent element is an invalid variable (0)")

COOKBOOK_RFT = {"url": "https://cookbook.openai.com/examples/reinforcement_fine_tuning",
                "mirror": "github openai/openai-cookbook examples/Reinforcement_Fine_Tuning.ipynb"}
PHRASE = ("def grade(sample: dict, item: dict) -> float:\n    from rapidfuzz import fuzz, utils\n"
          "    score = fuzz.token_set_ratio(sample[\"output_text\"], item[\"reference_answer\"], "
          "processor=utils.default_process)\n    return score / 100.0\n")
BINARY = ("def grade(sample: dict, item: dict) -> float:\n"
          "    return 1.0 if sample[\"output_text\"] == item[\"reference_answer\"] else 0.0\n")


def tsr(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100


case(id="cookbook_rft_python_multi", source={**COOKBOOK_RFT, "what": "String based grader: multi of two python graders "
                                                                     "built with inspect.getsource (renamed to grade)"},
     grader={"type": "multi", "graders": {
         "clinical_phrase": {"name": "clinical_phrase_grader", "image_tag": "2025-05-08", "type": "python", "source": PHRASE},
         "clinical_phrase_binary": {"name": "clinical_phrase_binary_grader", "image_tag": "2025-05-08", "type": "python",
                                    "source": BINARY}},
         "calculate_output": "0.85 * clinical_phrase + 0.15 * clinical_phrase_binary"},
     runs=[{"sample": "thought withdrawal", "item": {"reference_answer": "thought withdrawal"}, "reward": 1.0,
            "approx": True},
           {"sample": "gouty arthritis", "item": {"reference_answer": "gout"},
            "reward": 0.85 * tsr("gouty arthritis", "gout"), "approx": True},
           {"sample": "Withdrawal of thought", "item": {"reference_answer": "thought withdrawal"},
            "reward": 0.85 * tsr("Withdrawal of thought", "thought withdrawal"), "approx": True}],
     needs="python+site_packages",
     why="token_set_ratio(default_process)/100 and exact equality, combined 0.85/0.15 by hand")

case(id="cookbook_rft_model_grader_1", source={**COOKBOOK_RFT, "what": "Model Grader 1: gpt-4.1 score_model, seed 42, "
                                                                       "temperature 0 (rubric abridged)"},
     grader={"type": "score_model", "name": "gpt41_score_model_1",
             "input": [{"role": "system", "content": "You are an expert medical grader. Compare the Reference Answer to "
                        "the Model's Answer."},
                       {"role": "user", "content": "Reference Answer: {{item.reference_answer}}. Model's Answer: "
                        "{{sample.output_text}}"}],
             "pass_threshold": 0.75, "model": "gpt-4.1-2025-04-14", "range": [0, 1],
             "sampling_params": {"seed": 42, "temperature": 0}},
     runs=[{"sample": "gouty arthritis", "item": {"reference_answer": "gout"}, "judge": {"result": 0.5, "steps": []},
            "reward": 0.5},
           {"sample": "aspirin 325 mg plus nitroglycerin", "item": {"reference_answer": "aspirin"},
            "judge": {"result": 1.2, "steps": []}, "reward": 1.0}],
     request={"model": "gpt-4.1-2025-04-14", "seed": 42, "temperature": 0,
              "messages": [{"role": "system", "content": "You are an expert medical grader. Compare the Reference Answer "
                            "to the Model's Answer."},
                           {"role": "user", "content": "Reference Answer: gout. Model's Answer: gouty arthritis"}]},
     why="the judge's result within range; 1.2 truncated to 1")

case(id="evals_python_pass_threshold", source={**SDK_EVALS, "what": "TestingCriterionPython: python grader + pass_threshold"},
     grader={"type": "python", "name": "len_ok", "pass_threshold": 0.5,
             "source": "def grade(sample, item):\n    return 1.0 if len(sample['output_text']) <= item['max_len'] else 0.25\n"},
     runs=[{"sample": "short", "item": {"max_len": 10}, "reward": 1.0},
           {"sample": "far too long an answer", "item": {"max_len": 10}, "reward": 0.25}],
     needs="python", why="the reward is grade()'s float; pass_threshold is an Evals pass mark, not a transform")

# -- other people's configs ----------------------------------------------------------------------------------
case(id="med_fuzzy_disease_name", source=third_party("RFT job script: text_similarity 'Fuzzy Disease Name Match'",
                                                     "48556989021"),
     grader={"type": "text_similarity", "name": "Fuzzy Disease Name Match", "input": "{{sample.output_text}}",
             "reference": "{{item.gold_disease_name}}", "pass_threshold": 0.5, "evaluation_metric": "fuzzy_match"},
     runs=[{"sample": "Myocardial Infarction", "item": {"gold_disease_name": "myocardial infarction"}, "reward": 1.0},
           {"sample": "Acute myocardial infarction (STEMI)", "item": {"gold_disease_name": "myocardial infarction"},
            "reward": fz("Acute myocardial infarction (STEMI)", "myocardial infarction"), "approx": True}],
     why="WRatio with default_process lower-cases and strips punctuation")

MED_MULTI = {
    "type": "multi",
    "graders": {
        "disease_match": {"type": "score_model", "name": "Disease Match Score", "model": "gpt-4o-2024-08-06",
                          "input": [{"role": "system", "content": "You are an expert medical grader. Score how well "
                                     "the model's diagnoses match the reference disease."},
                                    {"role": "user", "content": "Reference disease: {{item.gold_disease_name}}\n\n"
                                     "Model's diagnoses: {{sample.output_json}}\n\nScore from 0 to 1."}],
                          "range": [0, 1], "pass_threshold": 0.5},
        "valid_format": {"name": "Valid Format", "type": "python",
                         "source": "\ndef grade(sample, item):\n    try:\n        diagnoses = sample.get('output_json', {})"
                                   ".get('diagnoses', [])\n        if not isinstance(diagnoses, list) or len(diagnoses) == 0:\n"
                                   "            return 0.0\n        for d in diagnoses:\n            if not isinstance(d, dict)"
                                   " or 'disease_name' not in d or 'rank' not in d:\n                return 0.0\n"
                                   "        return 1.0\n    except:\n        return 0.0\n"},
    },
    "calculate_output": "0.9 * disease_match + 0.1 * valid_format",
}
case(id="med_structured_multi", source=third_party("RFT job script: multi of score_model + python (prompt abridged)",
                                                   "48556989021"),
     grader=MED_MULTI,
     runs=[{"sample": json.dumps({"diagnoses": [{"rank": 1, "disease_name": "Asthma"}]}),
            "item": {"gold_disease_name": "Asthma"}, "judge": {"result": 0.7, "steps": []}, "reward": 0.9 * 0.7 + 0.1,
            "approx": True, "sub_rewards": {"disease_match": 0.7, "valid_format": 1.0}},
           {"sample": json.dumps({"diagnoses": []}), "item": {"gold_disease_name": "Asthma"},
            "judge": {"result": 0.0, "steps": []}, "reward": 0.0}],
     needs="python", why="0.9 * judge + 0.1 * grade() by hand; an empty list fails the format check")

PASSTHROUGH = {
    "type": "multi",
    "graders": {
        "actual_score": {"type": "score_model", "name": "judge_grader",
                         "input": [{"role": "system", "content": "Score the assistant 0-100 against the rubric."},
                                   {"role": "user", "content": "### Conversation\n{{ item.conversation_str }}\n\n"
                                    "### Rubric\n{{ sample.output_text }}"}],
                         "model": "o3-2025-04-16", "range": [0, 100], "sampling_params": {"reasoning_effort": "medium"}},
        "expected_score": {"type": "python", "name": "passthrough_grader_v2",
                           "source": "def grade(sample, item):\n    return int(item['expected_judge_score'])",
                           "image_tag": "2025-05-08"},
    },
    "calculate_output": "(100 - abs(expected_score - actual_score)) / 100",
}
case(id="rubric_passthrough_multi", source=third_party("RFT job: judge on range [0, 100] vs a python passthrough "
                                                       "returning int (judge prompt abridged)", "24651448580"),
     grader=PASSTHROUGH,
     runs=[{"sample": "Be concise.", "item": {"conversation_str": "user: hi", "expected_judge_score": 70},
            "judge": {"result": 80, "steps": []}, "reward": 0.9, "approx": True,
            "sub_rewards": {"actual_score": 80.0, "expected_score": 70.0}},
           {"sample": "Be concise.", "item": {"conversation_str": "user: hi", "expected_judge_score": "40"},
            "judge": {"result": 150, "steps": []}, "reward": 0.4, "approx": True}],
     needs="python", why="a multi reads a judge's raw score on its range (150 clipped to 100); grade() returning an "
                         "int is a number; (100 - |e - a|) / 100 by hand")

GHIBLI = {"type": "score_model", "model": "gpt-5-mini", "name": "Scorer",
          "input": [{"content": "Count how many expected titles the output contains (0-3).", "role": "system",
                     "type": "message"},
                    {"content": [{"type": "input_text", "text": "**Reference answer**\n\n{{item.expected_titles}}\n\n"
                                  "**Response to evaluate**\n\n{{sample.output_text}}"}],
                     "role": "user", "type": "message"}],
          "range": [0.0, 3.0], "pass_threshold": 2.0}
case(id="evals_score_model_range_3", source=third_party("evals.create testing_criteria score_model, range [0, 3] "
                                                        "(system prompt translated and abridged)", "31081621396"),
     grader=GHIBLI,
     runs=[{"sample": "Totoro, Ponyo", "item": {"expected_titles": "Totoro,Ponyo,Laputa"},
            "judge": {"result": 2, "steps": []}, "reward": 2.0},
           {"sample": "Totoro, Ponyo, Laputa", "item": {"expected_titles": "Totoro,Ponyo,Laputa"},
            "judge": {"result": 4, "steps": []}, "reward": 3.0}],
     request={"model": "gpt-5-mini", "texts": ["Count how many expected titles the output contains (0-3).",
                                               "**Reference answer**\n\nTotoro,Ponyo,Laputa\n\n**Response to evaluate**"
                                               "\n\nTotoro, Ponyo"]},
     why="a top-level score_model returns the judge's score on its own range, clipped (the run endpoint's reward)")

case(id="evals_temperature_on_gpt5", source=third_party("evals.create score_model on gpt-5 with temperature 0 (its author "
                                                        "deletes sampling_params for reasoning models)", "42556812058"),
     grader={"type": "score_model", "name": "Answer Quality Score", "model": "gpt-5", "sampling_params": {"temperature": 0},
             "input": [{"role": "system", "content": "<input> {{ item.input }} </input>"}], "range": [0, 5],
             "pass_threshold": 3},
     error="temperature", error_path="sampling_params.temperature",
     why="the guide: 'temperature changes not supported for reasoning models'")

case(id="evals_item_only_score_model", source=third_party("the same eval with gpt-4o: a prompt over item fields only",
                                                          "42556812058"),
     grader={"type": "score_model", "name": "Answer Quality Score", "model": "gpt-4o", "sampling_params": {"temperature": 0},
             "input": [{"role": "system", "content": "<input> {{ item.input }} </input>\n<reference> {{ item.reference }} "
                        "</reference>\n<model_output> {{ item.output_text }} </model_output>"}],
             "range": [0, 5], "pass_threshold": 3},
     runs=[{"sample": "", "item": {"input": "What is H2O?", "reference": "Water.", "output_text": "Wine"},
            "judge": {"result": 1, "steps": []}, "reward": 1.0}],
     request={"model": "gpt-4o", "temperature": 0,
              "messages": [{"role": "system", "content": "<input> What is H2O? </input>\n<reference> Water. </reference>\n"
                            "<model_output> Wine </model_output>"}]},
     why="the judge's integer score on range [0, 5]")

case(id="azure_qa_python_with_input", source={**AZURE_QA, "what": "multi whose python grader carries input/reference "
                                                                  "and grade(sample_text, reference_text)"},
     grader={"name": "summary_quality_multigrader", "type": "multi",
             "graders": {"text_sim": {"name": "text_similarity_grader", "type": "text_similarity",
                                      "input": "{{sample.output_json.response}}", "reference": "{{item.reference.answer}}",
                                      "evaluation_metric": "fuzzy_match"},
                         "custom_quality": {"name": "custom_summary_quality", "type": "python",
                                            "input": "{{sample.output_json.response}}",
                                            "reference": "{{item.reference.answer}}",
                                            "source": "def grade(sample_text: str, reference_text: str) -> float:\n"
                                                      "    return 1.0"}},
             "calculate_output": "0.6 * text_sim + 0.4 * custom_quality", "invalid_grade": 0.0},
     error="unknown field 'input'", error_path="graders.custom_quality.input",
     why="a python grader takes name, source, image_tag (SDK PythonGrader); grade gets (sample, item)")

case(id="azure_countdown_python", source={**AZURE, "what": "custom code grader example (image_tag 'alpha'; the user's "
                                                           "own eval of output_json.expression)"},
     grader={"type": "python", "image_tag": "alpha",
             "source": "import json\nimport re\n\ndef extract_numbers_from_expression(expression: str):\n"
                       "    return [int(num) for num in re.findall(r'-?\\d+', expression)]\n\n"
                       "def grade(sample, item) -> float:\n    expression_str = sample['output_json']['expression']\n"
                       "    try:\n        math_expr_eval = eval(expression_str)\n    except Exception:\n        return 0\n"
                       "    expr_nums_list = extract_numbers_from_expression(expression_str)\n"
                       "    if sorted(expr_nums_list) != sorted(item['numbers']):\n        return 0\n"
                       "    return 1.0 if abs(math_expr_eval - item['result']) < 1e-6 else 0.0\n"},
     runs=[{"sample": json.dumps({"expression": "(3 + 5) * 3"}), "item": {"numbers": [3, 5, 3], "result": 24}, "reward": 1.0},
           {"sample": json.dumps({"expression": "3 + 5 + 3"}), "item": {"numbers": [3, 5, 3], "result": 24}, "reward": 0.0}],
     needs="python", why="grade() by hand: (3+5)*3 = 24 with the numbers used once each (abridged from the doc)")

# -- text_similarity: every metric on the guide's own pair, values from the libraries the guide names ------------
HYP, REF = "fuzzy wuzzy was a bear", "fuzzy wuzzy had no hair"
H2, R2 = "the quick brown dog jumps over the lazy fox", "the quick brown fox jumps over the lazy dog"
METRIC_VALUES = {
    "fuzzy_match": (fz(HYP, REF), fz(H2, R2)),
    "bleu": (bleu(HYP, REF), bleu(H2, R2)),
    "gleu": (gleu(HYP, REF), gleu(H2, R2)),
    **{f"rouge_{n}": (rouge(str(n), HYP, REF), rouge(str(n), H2, R2)) for n in range(1, 6)},
    "rouge_l": (rouge("l", HYP, REF), rouge("l", H2, R2)),
}
for metric, (v1, v2) in METRIC_VALUES.items():
    case(id=f"metric_{metric}", source={**GUIDE, "what": f"text_similarity evaluation_metric {metric!r}"},
         grader={"type": "text_similarity", "name": metric, "input": "{{ sample.output_text }}",
                 "reference": "{{ item.reference_answer }}", "evaluation_metric": metric, "pass_threshold": 0.5},
         runs=[{"sample": HYP, "item": {"reference_answer": REF}, "reward": v1, "approx": True},
               {"sample": H2, "item": {"reference_answer": R2}, "reward": v2, "approx": True},
               {"sample": R2, "item": {"reference_answer": R2}, "reward": 1.0, "approx": True}],
         why="the library call named in the module docstring, computed here directly")

# -- string_check on template values that are not strings -----------------------------------------------------
case(id="guide_item_number_reference", source={**GUIDE, "what": "Item namespace: {{ item.reference_answer }} where the "
                                                                "row holds a number (the guide's run item is 1.0)"},
     grader={"type": "string_check", "name": "num", "input": "{{ sample.output_text }}",
             "reference": "{{ item.reference_answer }}", "operation": "eq"},
     runs=[{"sample": "1.0", "item": {"reference_answer": 1.0}, "reward": 1.0},
           {"sample": "42", "item": {"reference_answer": 42}, "reward": 1.0},
           {"sample": "1", "item": {"reference_answer": 1.0}, "reward": 0.0}],
     why="a number renders as its JSON text (1.0 -> '1.0', 42 -> '42'); eq compares text")

case(id="guide_choices_namespace", source={**GUIDE, "what": "Sample namespace: choices, as Chat Completions choices"},
     grader={"type": "string_check", "name": "c", "input": "{{ sample.choices[0].message.content }}",
             "reference": "{{ item.label }}", "operation": "ilike"},
     runs=[{"sample": "The answer is PARIS.", "item": {"label": "paris"}, "reward": 1.0}],
     why="choices[0].message.content is the output text; ilike is case-insensitive containment")

case(id="guide_choices_only_sample", source={**GUIDE, "what": "Sample namespace: choices 'has the same structure as "
                                                               "output choices in the chat completions API'"},
     grader={"type": "multi", "name": "m", "calculate_output": "0.5 * text + 0.5 * tool",
             "graders": {"text": {"type": "string_check", "name": "t", "input": "{{ sample.output_text }}",
                                  "reference": "{{ item.answer }}", "operation": "ilike"},
                         "tool": {"type": "string_check", "name": "f", "operation": "eq", "reference": "lookup",
                                  "input": "{{ sample.output_tools[0].function.name }}"}}},
     runs=[{"sample": {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": "It is Paris.",
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}]}}]},
            "item": {"answer": "paris"}, "reward": 1.0}],
     why="a sample given only as Chat Completions choices: its message content is the output text and its tool_calls "
         "the output tools (the guide: output_tools = choices[0].message.tool_calls)")

case(id="rft_job_body", source=third_party("fine_tuning.jobs.create body: method.reinforcement.grader (the fuzzy "
                                           "grader of the RFT job script)", "48556989021"),
     grader={"training_file": "file-abc", "validation_file": "file-def", "model": "o4-mini-2025-04-16",
             "method": {"type": "reinforcement", "reinforcement": {
                 "grader": {"type": "text_similarity", "name": "Fuzzy Disease Name Match",
                            "input": "{{sample.output_text}}", "reference": "{{item.gold_disease_name}}",
                            "pass_threshold": 0.5, "evaluation_metric": "fuzzy_match"},
                 "hyperparameters": {"reasoning_effort": "medium"}}}},
     runs=[{"sample": "Myocardial Infarction", "item": {"gold_disease_name": "myocardial infarction"}, "reward": 1.0}],
     why="the job's grader is what runs; WRatio with default_process is 1 for a case-only difference")

case(id="evals_create_body", source=third_party("evals.create body with one string_check testing criterion",
                                                "16599287206"),
     grader={"name": "RFP_Evaluation",
             "data_source_config": {"type": "custom", "item_schema": {"type": "object", "properties": {
                 "prompt": {"type": "string"}, "label": {"type": "string"}}}, "include_sample_schema": True},
             "testing_criteria": [{"type": "string_check", "name": "Match output to human label",
                                   "input": "{{ sample.output_text }}", "operation": "eq",
                                   "reference": "{{ item.correct_label }}"}]},
     runs=[{"sample": "positive", "item": {"correct_label": "positive"}, "reward": 1.0},
           {"sample": "Positive", "item": {"correct_label": "positive"}, "reward": 0.0}],
     why="the eval's one criterion is the grader; eq is case-sensitive")

COOKBOOK_MCP = {"url": "https://cookbook.openai.com/examples/evaluation/use-cases/mcp_eval_notebook",
                "what": "MCP eval: testing_criteria = label_model pass/fail on o3 + python 'Assert MCP was used'"}
case(id="cookbook_mcp_label_model", source=COOKBOOK_MCP,
     grader={"type": "label_model", "name": "General Evaluator", "model": "o3",
             "input": [{"role": "system", "content": "Respond with pass if the answer matches the expected answer or "
                        "conveys the same meaning, otherwise fail."},
                       {"role": "user", "content": "\n<Query>\n{{item.query}}\n</Query>\n\n<Web Search Result>\n"
                        "{{sample.output_text}}\n</Web Search Result>\n\n<Ground Truth>\n{{item.answer}}\n</Ground Truth>\n"}],
             "passing_labels": ["pass"], "labels": ["pass", "fail"]},
     runs=[{"sample": "Use tiktoken.encoding_for_model('gpt-4o').", "item": {"query": "How do I get an encoder?",
            "answer": "Call tiktoken.encoding_for_model"}, "judge": {"label": "pass", "steps": []}, "reward": 1.0},
           {"sample": "I don't know.", "item": {"query": "How do I get an encoder?",
            "answer": "Call tiktoken.encoding_for_model"}, "judge": {"label": "fail", "steps": []}, "reward": 0.0}],
     request={"model": "o3", "messages": [
         {"role": "system", "content": "Respond with pass if the answer matches the expected answer or conveys the same "
          "meaning, otherwise fail."},
         {"role": "user", "content": "\n<Query>\nHow do I get an encoder?\n</Query>\n\n<Web Search Result>\n"
          "Use tiktoken.encoding_for_model('gpt-4o').\n</Web Search Result>\n\n<Ground Truth>\n"
          "Call tiktoken.encoding_for_model\n</Ground Truth>\n"}]},
     why="pass is in passing_labels (1), fail is not (0); templates render in place, newlines kept (system prompt "
         "abridged)")

case(id="cookbook_mcp_python_tools_used", source={**COOKBOOK_MCP, "what": "python grader 'Assert MCP was used' "
                                                                          "(pass_threshold 1.0)"},
     grader={"type": "python", "name": "Assert MCP was used", "image_tag": "2025-05-08", "pass_threshold": 1.0,
             "source": "\ndef grade(sample: dict, item: dict) -> float:\n    output = sample.get('output_tools', [])\n"
                       "    return 1.0 if len(output) > 0 else 0.0\n"},
     runs=[{"sample": tools("search_tiktoken_documentation", "{\"query\": \"encoder\"}"), "item": {}, "reward": 1.0},
           {"sample": "no tools used", "item": {}, "reward": 0.0}],
     needs="python", why="grade() is 1 when output_tools is non-empty; a plain model_sample has no tool calls")

out = Path(__file__).with_name("corpus.jsonl")
out.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CASES), encoding="utf-8")
print(f"{len(CASES)} cases -> {out}")
