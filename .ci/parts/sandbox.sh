#!/usr/bin/env bash
# The sandbox suite (issue 11): bubblewrap from Debian, then the sandbox, code and python tests.
# Under CI=true a missing or broken sandbox FAILS these tests (they skip only outside CI).
# Expected time on a 2-core runner: ~10 s apt (when bwrap is missing) + ~2-3 min of tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-true}"
if ! command -v bwrap >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null
fi
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'; }
.venv/bin/python -c "from graders.sandbox import capabilities; print(capabilities().describe())"
.venv/bin/python -m pytest -q tests/sandbox tests/kinds/test_code.py tests/kinds/test_python.py
