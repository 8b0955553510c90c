"""Limits where the work a file or an option asks for could explode.

Hostile or mistyped input must end in one clear message, never in a
traceback, a hang or the machine running out of memory.  Each limit below
is checked *before* the work it bounds starts, and the message names the
limit that was hit (and, for sizes, the size the input would have taken).
``docs/limits.md`` lists them for users.

========================  ==============  ==================================================
limit                     value           what it bounds
========================  ==============  ==================================================
``MAX_PLAYERS``           16              players of a game (a scenario or a ``.nfg`` file)
``MAX_PROFILES``          100,000         pure profiles (the product of the strategy counts)
``MAX_STRATEGIES``        10,000          strategies of one player
``MAX_MAGNITUDE``         1e15            absolute value of a parameter value, a range
                                          bound, a ``--set`` value or a ``.nfg`` payoff
``MAX_NUMBER_TEXT``       400             characters of one number in a ``.nfg`` file
``MAX_AXIS_POINTS``       1,000,000       values of one sweep axis (``START:STOP:N``)
``MAX_DESIGN_POINTS``     100,000,000     points of a sweep (grid or sample)
``MAX_SAMPLE_POINTS``     10,000,000      points of a sample (held in memory)
``MAX_BASIN_STATES``      1,000,000       initial states of a basins estimate (each integrated)
``symbolic_timeout()``    60 s            one symbolic step (``TRIPARTITE_SYMBOLIC_TIMEOUT``)
========================  ==============  ==================================================

The expression limits (length, nesting depth, exponents, digits, terms) are
in :mod:`tripartite.expr`, the JSON limits (size, nesting) in
:mod:`tripartite.io.provenance`.

Examples
--------
>>> check_profiles([2] * 20, "game.toml")
Traceback (most recent call last):
...
tripartite.errors.LimitError: game.toml: 20 players with 2 x 2 x ... x 2 strategies: 1,048,576 profiles (a payoff array of 160 MiB); the limit is 16 players and 100,000 profiles (tripartite.limits)
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence

from .errors import LimitError, TripartiteError

__all__ = [
    "MAX_AXIS_POINTS",
    "MAX_BASIN_STATES",
    "MAX_DESIGN_POINTS",
    "MAX_MAGNITUDE",
    "MAX_NUMBER_TEXT",
    "MAX_PLAYERS",
    "MAX_PROFILES",
    "MAX_SAMPLE_POINTS",
    "MAX_STRATEGIES",
    "SYMBOLIC_TIMEOUT",
    "SYMBOLIC_TIMEOUT_VARIABLE",
    "check_magnitude",
    "check_profiles",
    "size_text",
    "symbolic_timeout",
    "time_limit",
]

MAX_PLAYERS = 16
MAX_PROFILES = 100_000
MAX_STRATEGIES = 10_000
MAX_MAGNITUDE = 1e15
MAX_NUMBER_TEXT = 400
MAX_AXIS_POINTS = 1_000_000
MAX_DESIGN_POINTS = 100_000_000
MAX_SAMPLE_POINTS = 10_000_000
#: Initial states of one basins estimate: each is integrated.
MAX_BASIN_STATES = 1_000_000
#: Default seconds one symbolic step may take; the environment variable below overrides it.
SYMBOLIC_TIMEOUT = 60.0
SYMBOLIC_TIMEOUT_VARIABLE = "TRIPARTITE_SYMBOLIC_TIMEOUT"


def size_text(n_bytes: float) -> str:
    """A byte count in binary units.

    Examples
    --------
    >>> size_text(8 * 2**40 * 40)
    '320 TiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024:
            return f"{n_bytes:.3g} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:,.0f} EiB" if n_bytes >= 10 else f"{n_bytes:.3g} EiB"


def check_profiles(shape: Sequence[int], where: str) -> None:
    """Refuse a game too large to hold, before anything is allocated.

    ``shape`` is the number of strategies of each player; the message gives
    the number of profiles and the size of one payoff array (8 bytes per
    player and profile) the game would take.
    """
    n = len(shape)
    profiles = math.prod(int(m) for m in shape)
    largest = max((int(m) for m in shape), default=0)
    if n <= MAX_PLAYERS and profiles <= MAX_PROFILES and largest <= MAX_STRATEGIES:
        return
    if n > 4 and len(set(shape)) == 1:
        dims = f"{shape[0]} x {shape[0]} x ... x {shape[0]}"
    elif n > 6:
        dims = " x ".join(map(str, shape[:3])) + " x ... x " + str(shape[-1])
    else:
        dims = " x ".join(map(str, shape))
    if profiles < 10**30:
        size = f"{profiles:,} profiles (a payoff array of {size_text(8.0 * n * profiles)})"
    else:
        size = f"about 10^{math.log10(profiles):.0f} profiles"
    raise LimitError(
        f"{where}: {n} players with {dims} strategies: {size}; the limit is {MAX_PLAYERS} players "
        f"and {MAX_PROFILES:,} profiles (tripartite.limits)"
    )


def check_magnitude(value: float, where: str) -> float:
    """``value`` if it is finite and at most :data:`MAX_MAGNITUDE` in absolute value.

    Examples
    --------
    >>> check_magnitude(-1e38, "[parameters] key 'a' field 'max'")
    Traceback (most recent call last):
    ...
    tripartite.errors.LimitError: [parameters] key 'a' field 'max': -1e+38 is larger in absolute value than 1e+15, the limit on numbers (tripartite.limits.MAX_MAGNITUDE)
    """
    if not math.isfinite(value):
        raise TripartiteError(f"{where}: {value!r} is not a finite number")
    if abs(value) > MAX_MAGNITUDE:
        raise LimitError(
            f"{where}: {value:g} is larger in absolute value than {MAX_MAGNITUDE:g}, "
            "the limit on numbers (tripartite.limits.MAX_MAGNITUDE)"
        )
    return value


def symbolic_timeout() -> float:
    """Seconds one symbolic step may take: ``TRIPARTITE_SYMBOLIC_TIMEOUT``, else :data:`SYMBOLIC_TIMEOUT`.

    ``0`` (or a negative number) switches the limit off.

    Examples
    --------
    >>> symbolic_timeout() > 0
    True
    """
    text = os.environ.get(SYMBOLIC_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return SYMBOLIC_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise TripartiteError(
            f"{SYMBOLIC_TIMEOUT_VARIABLE}={text!r}: expected a number of seconds (0 for no limit)"
        ) from None
    return value if math.isfinite(value) and value > 0 else math.inf


class _TimeUp(BaseException):
    """Raised inside the guarded block by the alarm; turned into a :class:`LimitError` outside it."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str, how_to_raise: str = "") -> Iterator[None]:
    """Stop the block after ``seconds`` of wall time with a :class:`LimitError` naming ``what``.

    Uses ``SIGALRM``, so it guards only in the main thread of a process on a
    system that has it (Linux, macOS); elsewhere, or for an infinite limit,
    the block runs unguarded.  Guards nest: an inner guard never extends an
    outer one.

    Examples
    --------
    >>> import time
    >>> with time_limit(0.05, "a nap"):
    ...     time.sleep(1)
    Traceback (most recent call last):
    ...
    tripartite.errors.LimitError: a nap took longer than 0.05 s, the limit on one step
    """
    usable = (
        hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
        and math.isfinite(seconds)
        and seconds > 0
    )
    if not usable:
        yield
        return
    remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    if remaining and remaining <= seconds:  # an outer guard (or someone's alarm) fires first
        yield
        return
    token = object()
    start = time.monotonic()

    def alarm(signum, frame):
        raise _TimeUp(token)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TimeUp as exc:
        if exc.args[0] is not token:  # pragma: no cover - another guard's alarm
            raise
        hint = f"; {how_to_raise}" if how_to_raise else ""
        raise LimitError(f"{what} took longer than {seconds:g} s, the limit on one step{hint}") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining:  # give an outer alarm back what is left of its time
            signal.setitimer(signal.ITIMER_REAL, max(remaining - (time.monotonic() - start), 1e-3))


@contextlib.contextmanager
def symbolic_time_limit(what: str) -> Iterator[None]:
    """:func:`time_limit` with :func:`symbolic_timeout` seconds, saying how to raise the limit."""
    with time_limit(
        symbolic_timeout(),
        what,
        f"set the environment variable {SYMBOLIC_TIMEOUT_VARIABLE} to more seconds (0 for no limit)",
    ):
        yield
