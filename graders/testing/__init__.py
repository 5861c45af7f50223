"""Labeled examples and `graders test`."""
