"""Shared machinery of the reward-shaping kinds (`length`, `repetition`, `group_length`, ...).

`units`: counting chars, words and tokens and n-gram repetition; `tokenizer`:
finding a named tokenizer on local disk only; `base`: the config fields and
the plan node the measuring kinds share; `needs`: which data beyond one row a
config tree declares (`needs: group`, `needs: attempts`).
"""
