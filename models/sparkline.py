"""A row of numbers as a one-line bar chart of block characters (Visa
mottagningsinformation: cases per week). The figures it stands for are always written
beside it: a Linux console font may lack the blocks."""

from __future__ import annotations

BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(values: tuple[int, ...] | list[int]) -> str:
    """One character per value: blank for 0, the highest value a full block."""
    peak = max(values, default=0)
    if peak <= 0:
        return " " * len(values)
    steps = len(BLOCKS) - 1
    return "".join(BLOCKS[0 if v <= 0 else max(1, round(v * steps / peak))] for v in values)
