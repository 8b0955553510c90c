"""Exceptions for user mistakes.

Every error a user can cause (an unknown parameter, a value out of range, a
malformed file) is a :class:`TripartiteError`; the command line prints its
message and exits with status 2, without a traceback.
"""

from __future__ import annotations

__all__ = [
    "TripartiteError",
    "ParameterError",
    "ScenarioError",
    "ExpressionError",
    "LimitError",
    "UndefinedPayoffError",
]


class TripartiteError(ValueError):
    """A mistake in the user's input, described in one clear sentence."""


class ParameterError(TripartiteError):
    """An unknown parameter, or a value that is not a number or is out of range."""


class ScenarioError(TripartiteError):
    """A malformed scenario or game file; the message names file, table and key."""


class ExpressionError(TripartiteError):
    """An expression outside the grammar, or naming an unknown quantity."""


class LimitError(TripartiteError):
    """Input that would exceed one of the limits of :mod:`tripartite.limits` (the message names it)."""


class UndefinedPayoffError(ParameterError):
    """A payoff that is not a finite real number at the parameter values asked for (``log`` of a negative number)."""
