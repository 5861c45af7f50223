#!/usr/bin/env bash
# The low end of the openai range (pyproject: openai>=1.17; verifiers and other trainers pin
# openai<3): the judge suite against openai 1.17.0, in its own venv. 1.17.0 is the first
# release with DefaultAsyncHttpxClient, which the judge runner builds its client with; 1.16.x
# lacks it. test_transport.py is left out here: it drives the lean transport with httpx2
# clients directly, while under openai 1.x/2.x the transport speaks httpx (the judge runner
# tests exercise it that way). The high end is the main suite (newest openai).
# Measured from a fresh clone (venv copied, warm pip cache): see the timing printed by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-openai-low
# A copy of the main venv with openai pinned down (only openai and its own deps change): the
# same packages otherwise, and ~2 minutes less than building a venv from nothing.
rm -rf "$venv" && cp -a .venv "$venv"
"$venv/bin/python" -m pip install -q 'openai==1.17.0'
"$venv/bin/python" -c "import openai; assert openai.__version__ == '1.17.0', openai.__version__"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/judge --ignore tests/judge/test_transport.py
