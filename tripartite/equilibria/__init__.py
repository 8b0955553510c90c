"""Nash equilibria: pure profiles (any N-player game)."""

from .pure import PureEquilibria, deviation_gains, pure_equilibria

__all__ = ["PureEquilibria", "deviation_gains", "pure_equilibria"]
