"""Practice: the learner computes a value before the lab reveals it, and the checker says
whether it is right and, when it can tell, which common mistake gives the learner's number.

    asks.py      what can be asked (Ask, QUANTITIES), when, and from which network
    work.py      one asked value: the right number (the engine's own, from the next action
                 run on a copy) and the number under each common mistake, recomputed
    mistakes.py  the mistakes' names and explanations, most common first
    checker.py   check: the learner's number against the right one and the mistakes
    numbers.py   the learner's text as a number (comma or point, − or -, 1e-3, ×10⁻³)

A check never changes the network: the next action runs on a deep copy.
"""

from .asks import QUANTITIES, Ask, NotAskable
from .checker import Verdict, check
from .mistakes import MISTAKES
from .numbers import parse_number
from .work import Slip, Work, work

__all__ = [
    "MISTAKES",
    "QUANTITIES",
    "Ask",
    "NotAskable",
    "Slip",
    "Verdict",
    "Work",
    "check",
    "parse_number",
    "work",
]
