"""Alias kept for `python -m graders.judge.fake_server`: the server lives in graders.testing.fake_server."""

from __future__ import annotations

from graders.testing.fake_server import (
    DEFAULT_EMBEDDING_DIMS,
    FakeJudgeServer,
    Faults,
    JudgeFn,
    JudgeRequest,
    Reply,
    first_label_judge,
    hashed_embedding,
    heuristic_judge,
    last_label_judge,
    load_script,
    main,
    request_key,
)

__all__ = ["DEFAULT_EMBEDDING_DIMS", "FakeJudgeServer", "Faults", "JudgeFn", "JudgeRequest", "Reply",
           "first_label_judge", "hashed_embedding", "heuristic_judge", "last_label_judge", "load_script", "main",
           "request_key"]

if __name__ == "__main__":
    raise SystemExit(main())
