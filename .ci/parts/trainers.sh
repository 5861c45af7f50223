#!/usr/bin/env bash
# Trainer integration suite (issue 12): the adapters driven by the trainers' own code, the
# coalescer, the reward server and Ray, in a separate venv so the main suite stays light.
# - torch 2.13.0 CPU (pip takes it from this machine's local wheel; see the env notes);
# - TRL 1.16.0 with transformers in verl 0.9.1's range (>=5.5.3,<5.11);
# - verl 0.9.1 --no-deps plus what its reward loop imports (its full pin set pulls wandb,
#   tensorboard and ray[default]: not needed to run RewardLoopManager);
# - OpenRLHF 0.11.2 --no-deps plus aiohttp/pylatexenc: its deepspeed, flash-attn and vllm pins
#   do not install on a CPU machine; the suite imports the real openrlhf.utils.agent and
#   samples_generator/experience modules (vllm, imported but unused there, is stubbed);
# - verifiers 0.3.1: its Rubric.score_group/score_rollout and v1 Task.score drive our hooks.
# Measured from a cold venv (warm pip cache) at load 10-13 on the 2 shared cores: 852 s
# (install ~570 s, tests ~280 s); expect about half on an idle CI machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-trainers
python3 -m venv "$venv"
"$venv/bin/pip" install -q torch==2.13.0
"$venv/bin/pip" install -q -e '.[test,serve]' 'trl==1.16.0' 'transformers>=5.5.3,<5.11,!=5.6.0' \
  'ray[data]==2.60.0' 'tensordict>=0.8,<=0.10,!=0.9.0' omegaconf hydra-core codetiming dill pylatexenc aiohttp
"$venv/bin/pip" install -q --no-deps verl==0.9.1 openrlhf==0.11.2
# verifiers 0.3.1 carries both its legacy Rubric and v1 Task (0.4 is v1 only, same scoring code);
# it only adds packages here (no trainer dependency moves): +21 s measured (no pip cache, load 2).
"$venv/bin/pip" install -q 'verifiers==0.3.1'
export RAY_USAGE_STATS_ENABLED=0 TOKENIZERS_PARALLELISM=false
# (the adapters, coalescer and server tests run in the main suite already)
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/integrations/trainers tests/integrations/test_ray.py
