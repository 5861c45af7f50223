"""Run untrusted programs (model code, user graders) in a bubblewrap sandbox.

See `graders.sandbox.core` for what is isolated how, `graders.sandbox.pool`
for running many at once, and `graders.sandbox.python_grade` for OpenAI's
`grade(sample, item)` contract.
"""

from .core import Limits, Sandbox, SandboxUnavailable, capabilities, default_sandbox

__all__ = ["Limits", "Sandbox", "SandboxUnavailable", "capabilities", "default_sandbox"]
