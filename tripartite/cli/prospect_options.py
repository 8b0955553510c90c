"""The ``--prospect`` options: behavioural (prospect-theory) payoffs on any command.

A command that takes a model calls :func:`add_prospect_arguments` on its
parser and :func:`apply_prospect` to the game it built; the options are

``--prospect``
    pass every payoff through the prospect-theory value function with the
    Tversky-Kahneman (1992) parameters (alpha = beta = 0.88, loss aversion 2.25,
    reference point 0);
``--pt-alpha A``, ``--pt-beta B``, ``--pt-loss-aversion L``, ``--pt-reference R``
    change one of them (and imply ``--prospect``); ``R`` is one number or one
    per player separated by commas.
"""

from __future__ import annotations

import argparse

from ..behavioural import TVERSKY_KAHNEMAN_1992, ProspectTheory, prospect_game
from ..errors import TripartiteError
from ..game import Game

__all__ = ["RATIONAL", "add_prospect_arguments", "prospect_from_args", "apply_prospect", "payoffs_lines"]

#: The ``payoffs`` field of a record computed with the model's own payoffs.
RATIONAL = "rational (as written in the model)"


def add_prospect_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("behavioural payoffs (prospect theory)")
    group.add_argument(
        "--prospect",
        action="store_true",
        help="use prospect-theory payoffs (Tversky-Kahneman 1992: alpha=beta=0.88, loss aversion 2.25, reference 0)",
    )
    group.add_argument("--pt-alpha", type=float, metavar="A", help="curvature for gains, in (0, 1]")
    group.add_argument("--pt-beta", type=float, metavar="B", help="curvature for losses, in (0, 1]")
    group.add_argument("--pt-loss-aversion", type=float, metavar="L", help="loss aversion, >= 1")
    group.add_argument(
        "--pt-reference",
        metavar="R",
        help="reference point: one number, or one per player separated by commas",
    )


def _reference(text: str) -> float | tuple[float, ...]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise TripartiteError(f"--pt-reference expects numbers separated by commas, got {text!r}") from None
    return values[0] if len(values) == 1 else values


def prospect_from_args(args: argparse.Namespace) -> ProspectTheory | None:
    """The value function the options ask for, or ``None`` for the rational game."""
    given = {
        "alpha": getattr(args, "pt_alpha", None),
        "beta": getattr(args, "pt_beta", None),
        "loss_aversion": getattr(args, "pt_loss_aversion", None),
    }
    reference = getattr(args, "pt_reference", None)
    if not getattr(args, "prospect", False) and reference is None and all(v is None for v in given.values()):
        return None
    fields = {**TVERSKY_KAHNEMAN_1992.__dict__, **{k: v for k, v in given.items() if v is not None}}
    if reference is not None:
        fields["reference"] = _reference(reference)
    return ProspectTheory(**fields)


def apply_prospect(game: Game, args: argparse.Namespace) -> tuple[Game, dict | None]:
    """The game with behavioural payoffs if the options ask for them, and their description."""
    theory = prospect_from_args(args)
    if theory is None:
        return game, None
    return prospect_game(game, theory), theory.describe()


def payoffs_lines(record: dict) -> list[str]:
    """The text line describing prospect-theory payoffs of a record, if it used them."""
    p = record.get("payoffs")
    if not isinstance(p, dict):
        return []
    return [
        f"payoffs: prospect theory (alpha {p['alpha']:g}, beta {p['beta']:g}, "
        f"loss aversion {p['loss_aversion']:g}, reference {p['reference']})"
    ]
