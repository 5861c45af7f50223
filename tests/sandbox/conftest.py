from __future__ import annotations

import pytest

from tests.sandbox.support import require_sandbox


@pytest.fixture
def sandbox() -> None:
    require_sandbox()
