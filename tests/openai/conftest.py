from tests.judge.support import judge_env, server  # noqa: F401  (fixtures: the local fake OpenAI server)
