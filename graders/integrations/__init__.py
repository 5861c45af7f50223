"""Adapters from a compiled Grader to the reward interfaces of RL trainers.

Each adapter is a thin shell around `Grader.score()`: one batch call per
trainer call, raw per-component scores passed to the trainer's logging, never
normalised (group normalisation belongs to the trainer).
"""
