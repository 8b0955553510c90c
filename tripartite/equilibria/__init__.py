"""Nash equilibria: pure profiles, every mixed equilibrium, two-player subgames."""

from .mixed import ClosedForm2x2x2, closed_form_2x2x2
from .pure import PureEquilibria, deviation_gains, pure_equilibria
from .result import Equilibrium, EquilibriumSet
from .subgames import SubgameEquilibria, cross_check, subgame, subgame_equilibria
from .support import (
    all_equilibria,
    all_equilibria_batch,
    local_equilibria,
    support_enumeration,
    support_profiles,
)

__all__ = [
    "ClosedForm2x2x2",
    "Equilibrium",
    "EquilibriumSet",
    "PureEquilibria",
    "SubgameEquilibria",
    "all_equilibria",
    "all_equilibria_batch",
    "closed_form_2x2x2",
    "cross_check",
    "deviation_gains",
    "local_equilibria",
    "pure_equilibria",
    "subgame",
    "subgame_equilibria",
    "support_enumeration",
    "support_profiles",
]
