"""A persistent cache of symbolic results, which a stale or corrupted file cannot poison.

Deriving a model's vertex verdicts or critical values rewrites hundreds of
expressions with sympy (``factor_terms``, interval enclosures, exactly
checked witnesses) and takes seconds; the answers depend only on the model,
the package's code and sympy.  Inside :func:`session` the results of
:func:`~tripartite.symbolic.exact.compact`, the expanded vertex eigenvalues,
:func:`~tripartite.symbolic.verdicts.decide_negative`,
:func:`~tripartite.symbolic.verdicts.joint_status` and the text of the
stability conditions are read from, and written to, one JSON file per model
in the user's cache directory.  The command line opens a session for
``stability`` and ``thresholds``; library functions called outside a session
never touch the disk.

Why a file can never change an answer:

- **key**: the file name and its content carry a SHA-256 of the model's
  content hash (:attr:`Model.hash <tripartite.model.Model.hash>`: players,
  strategies, parameters and their ranges, payoffs), of the source files
  that compute the results (:data:`CODE_FILES`: the expression parser, the
  kernel, the model and the symbolic package; any edit of them invalidates
  every file), and of the Python, sympy and numpy versions (the witnesses'
  random stream); a file whose key differs is ignored;
- **integrity**: the payload's SHA-256 is stored beside it; a file that is
  truncated, not JSON, of the wrong shape or whose checksum differs is
  ignored as a whole (and replaced when the session ends);
- **no code**: expressions are stored as a table of expression-tree nodes
  (:func:`_encode_node`: a number, a symbol of the model, or one of the
  operations of the expression grammar -- sum, product, power and the
  functions of :data:`tripartite.expr.FUNCTIONS` -- over earlier nodes),
  rebuilt node by node by :func:`_decode_nodes` with sympy's constructors,
  never by ``eval`` or ``pickle``; the decoder checks each node (known
  operation, references to earlier nodes only, names of the model's
  symbols, the size limits of :mod:`tripartite.expr`); an entry is written
  only if its nodes rebuild the identical expression, and a verdict only if
  it is one of :data:`~tripartite.symbolic.verdicts.STATUSES`.  (The tree is
  rebuilt as stored, without re-simplifying, which is what makes a warm
  run fast: reading text back with the parser costs as much as the work it
  saves);
- **atomic**: a file is written under a temporary name and renamed, so a
  concurrent run reads the old file or the new one, never half of one.

The folder, its settings (``TRIPARTITE_CACHE=off``, ``TRIPARTITE_CACHE_DIR``)
and the document format are those of :mod:`tripartite.diskcache`.

Examples
--------
>>> import os, tempfile
>>> from tripartite import load_model
>>> from tripartite.symbolic import vertex_analysis
>>> before = os.environ.get("TRIPARTITE_CACHE_DIR")
>>> os.environ["TRIPARTITE_CACHE_DIR"] = tempfile.mkdtemp()
>>> with session(load_model("baseline")):
...     first = vertex_analysis(load_model("baseline"))[(1, 1, 1)].status
>>> with session(load_model("baseline")) as store:  # a new process would read the file
...     again = vertex_analysis(load_model("baseline"))[(1, 1, 1)].status
>>> first == again, store.loaded > 0
(True, True)
>>> if before is None:
...     del os.environ["TRIPARTITE_CACHE_DIR"]
... else:
...     os.environ["TRIPARTITE_CACHE_DIR"] = before
"""

from __future__ import annotations

import contextvars
import hashlib
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sympy as sp

from ..diskcache import cache_dir, code_fingerprint, read_document, write_document

__all__ = ["CODE_FILES", "KIND", "Store", "active", "memo", "session"]

#: Values a cached entry may hold, by kind: an expression, or one word of a fixed vocabulary.
_EXPRESSION_KINDS = ("compact", "expand")
_LIST_KINDS = ("solutions",)
_WORD_KINDS = ("negative", "joint", "text")
_KINDS = (*_EXPRESSION_KINDS, *_LIST_KINDS, *_WORD_KINDS)

_ACTIVE: contextvars.ContextVar[Store | None] = contextvars.ContextVar(
    "tripartite_symbolic_cache", default=None
)

#: The source files whose code decides the cached results (an edit of any one changes every key).
CODE_FILES = ("expr.py", "game.py", "model.py", "dynamics/stability.py", "symbolic/*.py")
#: The kind of the cached documents (:mod:`tripartite.diskcache`).
KIND = "symbolic"


class Store:
    """The cached results of one model: ``(kind, key) -> value``, keyed by sympy expressions.

    Attributes
    ----------
    key : str or None
        What the results depend on (``None``: the cache is off; nothing is read or written).
    loaded : int
        Entries read from the file.
    """

    def __init__(self, model, key: str | None):
        self.model = model
        self.key = key
        self.entries: dict[str, dict[tuple, Any]] = {k: {} for k in _KINDS}
        self.new = 0
        self.loaded = 0
        from .equations import _state_symbols

        # the symbols an entry may hold: the parameters, the model's state shares, the replicator states
        states = [x.name for x in _state_symbols(model)[0]]
        self._names = [*model.parameter_names, *(share.name for share in model.state), *states]

    # --- lookups ------------------------------------------------------------------------

    def get(self, kind: str, key: tuple) -> Any:
        return self.entries[kind].get(key)

    def put(self, kind: str, key: tuple, value: Any) -> None:
        if key not in self.entries[kind]:
            self.entries[kind][key] = value
            self.new += 1

    # --- the file -----------------------------------------------------------------------

    def load(self) -> None:
        """Read the file; any problem with it leaves the store empty (the results are recomputed)."""
        if self.key is None:
            return
        payload = read_document(KIND, self.key)
        if payload is None:
            return
        try:
            entries = self._decode(payload)
        except Exception:  # noqa: BLE001 - a broken cache file is ignored, never trusted
            return
        self.entries = entries
        self.loaded = sum(len(v) for v in entries.values())

    def _decode(self, payload: dict) -> dict[str, dict[tuple, Any]]:
        from .verdicts import STATUSES

        nodes = _decode_nodes(payload["nodes"], self._names)
        roots = payload["expressions"]
        if not isinstance(roots, list) or not all(type(i) is int and 0 <= i < len(nodes) for i in roots):
            raise ValueError("expressions")
        exprs = [nodes[i] for i in roots]
        out: dict[str, dict[tuple, Any]] = {k: {} for k in _KINDS}
        for kind, rows in payload["entries"].items():
            table = out[kind]  # an unknown kind raises: the file is ignored
            for indices, tag, value in rows:
                key = (*(exprs[i] for i in indices), str(tag))
                if kind in _EXPRESSION_KINDS:
                    table[key] = exprs[value]
                elif kind in _LIST_KINDS:
                    table[key] = [exprs[i] for i in value]
                elif kind == "text":
                    if not isinstance(value, str):
                        raise ValueError("text")
                    table[key] = value
                else:
                    if value not in STATUSES:
                        raise ValueError("verdict")
                    table[key] = value
        return out

    def save(self) -> None:
        """Write every entry whose expressions read back identically (atomically)."""
        if self.key is None or not self.new:
            return
        payload = self._encode()
        if payload is not None:  # else nothing new can be written (expressions the grammar cannot hold)
            write_document(KIND, self.key, payload)

    def _encode(self) -> dict | None:
        """The payload, or ``None`` when no entry beyond those read from the file can be written."""
        table: list[list] = []
        node_index: dict[sp.Basic, int | None] = {}
        index: dict[sp.Expr, int] = {}
        roots: list[int] = []
        names = set(self._names)
        rebuilt: list[sp.Expr] = []
        depths: list[int] = []

        def ref(expr: sp.Expr) -> int | None:
            if expr in index:
                return index[expr]
            node = _encode_node(expr, table, node_index, names)
            if node is None:
                return None
            try:  # written only if the nodes rebuild the identical expression
                _decode_nodes(table, self._names, rebuilt, depths)  # the nodes not yet rebuilt
                same = rebuilt[node] == expr
            except Exception:  # noqa: BLE001 - not expressible in the file's grammar: not cached
                same = False
            if not same:
                node_index[expr] = None
                return None
            index[expr] = len(roots)
            roots.append(node)
            return index[expr]

        entries: dict[str, list] = {}
        for kind, rows_in in self.entries.items():
            rows = []
            for key, value in rows_in.items():
                *exprs, tag = key
                indices = [ref(e) for e in exprs]
                if any(i is None for i in indices):
                    continue
                if kind in _EXPRESSION_KINDS:
                    value = ref(value)
                    if value is None:
                        continue
                elif kind in _LIST_KINDS:
                    value = [ref(v) for v in value]
                    if any(i is None for i in value):
                        continue
                rows.append([indices, tag, value])
            entries[kind] = rows
        if sum(len(rows) for rows in entries.values()) <= self.loaded:
            return None
        return {"nodes": table, "expressions": roots, "entries": entries}


#: The operations a stored node may apply (those of the expression grammar, :mod:`tripartite.expr`).
_OPERATIONS: dict[str, type] = {
    "Add": sp.Add,
    "Mul": sp.Mul,
    "Pow": sp.Pow,
    "exp": sp.exp,
    "log": sp.log,
    "Min": sp.Min,
    "Max": sp.Max,
    "Abs": sp.Abs,
}
_OPERATION_NAMES = {cls: name for name, cls in _OPERATIONS.items()}


def _encode_node(expr: sp.Basic, table: list[list], seen: dict, names: set[str]) -> int | None:
    """Append the nodes of ``expr`` to ``table`` (each subexpression once); its node, or ``None``.

    A node is ``["S", name]`` (a symbol of the model), ``["I", digits]`` (an
    integer), ``["Q", p, q]`` (a rational), ``["E"]`` (Euler's number) or
    ``[operation, child, ...]`` with the children's node numbers.
    """
    if expr in seen:
        return seen[expr]
    if isinstance(expr, sp.Symbol):
        node = ["S", expr.name] if expr.name in names else None
    elif isinstance(expr, sp.Integer):
        node = ["I", str(int(expr))]
    elif isinstance(expr, sp.Rational):
        node = ["Q", str(expr.p), str(expr.q)]
    elif expr is sp.E:
        node = ["E"]
    elif type(expr) in _OPERATION_NAMES:
        children = []
        for arg in expr.args:
            child = _encode_node(arg, table, seen, names)
            if child is None:
                seen[expr] = None
                return None
            children.append(child)
        node = [_OPERATION_NAMES[type(expr)], *children]
    else:
        node = None
    if node is None:
        seen[expr] = None
        return None
    seen[expr] = len(table)
    table.append(node)
    return seen[expr]


def _integer(text: Any) -> int:
    from ..expr import MAX_DIGITS

    if not isinstance(text, str) or not 0 < len(text.lstrip("-")) <= MAX_DIGITS:
        raise ValueError("number")
    return int(text)


def _decode_nodes(
    nodes: Any, names: Sequence[str], out: list | None = None, depth: list | None = None
) -> list[sp.Expr]:
    """Rebuild the nodes of :func:`_encode_node`, checking each; raises ``ValueError`` on any problem.

    Each operation is applied to its stored arguments as they are
    (``evaluate=False``): the arguments of a stored sympy expression are
    already in sympy's canonical order, so this rebuilds the expression that
    was stored, at a fraction of the cost of re-simplifying it.  ``out`` and
    ``depth`` (the nodes already rebuilt, and their depths) are extended with
    the nodes after them.
    """
    from ..expr import MAX_EXPONENT, MAX_TREE_DEPTH, symbol

    if not isinstance(nodes, list):
        raise ValueError("nodes")
    allowed = set(names)
    out = [] if out is None else out
    depth = [] if depth is None else depth
    for node in nodes[len(out) :]:
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise ValueError("node")
        head, rest = node[0], node[1:]
        if head == "S":
            if len(rest) != 1 or rest[0] not in allowed:
                raise ValueError("symbol")
            value, level = symbol(rest[0]), 0
        elif head == "I":
            if len(rest) != 1:
                raise ValueError("integer")
            value, level = sp.Integer(_integer(rest[0])), 0
        elif head == "Q":
            if len(rest) != 2:
                raise ValueError("rational")
            p, q = _integer(rest[0]), _integer(rest[1])
            if q <= 1 or math.gcd(p, q) != 1:
                raise ValueError("rational")
            value, level = sp.Rational(p, q), 0
        elif head == "E" and not rest:
            value, level = sp.E, 0
        elif head in _OPERATIONS:
            if not rest or not all(type(i) is int and 0 <= i < len(out) for i in rest):
                raise ValueError("children")  # only earlier nodes: no cycles
            args = [out[i] for i in rest]
            if head in ("Add", "Mul", "Min", "Max") and len(args) < 2:
                raise ValueError("arity")
            if head == "Pow":
                if len(args) != 2 or (args[1].is_Number and abs(args[1]) > MAX_EXPONENT):
                    raise ValueError("power")
            elif head in ("exp", "log", "Abs") and len(args) != 1:
                raise ValueError("arity")
            level = 1 + max(depth[i] for i in rest)
            if level > MAX_TREE_DEPTH:
                raise ValueError("depth")
            value = _OPERATIONS[head](*args, evaluate=False)
        else:
            raise ValueError("node")
        out.append(value)
        depth.append(level)
    return out


def _key_for(model) -> str | None:
    """What a model's cached results depend on, or ``None`` when the cache is off."""
    if cache_dir() is None:
        return None
    import numpy

    parts = [
        KIND,
        model_hash(model),
        code_fingerprint(CODE_FILES),
        sys.version,
        sp.__version__,
        numpy.__version__,
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


#: The kind of the documents that hold a model's content hash.
HASH_KIND = "modelhash"
_HASH_FILES = ("expr.py", "model.py")


def _raw_content(value: Any) -> Any:
    """Everything a model is made of, exactly and JSON-ready (expressions as ``srepr``, unexpanded)."""
    import dataclasses

    if isinstance(value, sp.Basic):
        return ["sympy", sp.srepr(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__name__,
            [[f.name, _raw_content(getattr(value, f.name))] for f in dataclasses.fields(value)],
        ]
    if isinstance(value, dict):
        return ["dict", sorted(([_raw_content(k), _raw_content(v)] for k, v in value.items()), key=repr)]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_raw_content(v) for v in value]]
    return ["repr", type(value).__name__, repr(value)]


def model_hash(model) -> str:
    """:attr:`Model.hash <tripartite.model.Model.hash>`, read from the cache folder when it was computed before.

    The hash expands every payoff (a quarter of a second for the extended
    model); the document that caches it is keyed by the model's raw content
    (every field, expressions as ``srepr``), the source of the code that
    computes the hash, and the sympy version, so it holds the hash of exactly
    this model.  The answer is also kept on the model (``model.hash`` is then
    free).  With the cache off this is ``model.hash``.
    """
    import re

    if "hash" in vars(model) or cache_dir() is None:
        return model.hash
    import json

    raw = json.dumps(_raw_content(model), ensure_ascii=False)
    parts = [HASH_KIND, raw, code_fingerprint(_HASH_FILES), sp.__version__]
    key = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    payload = read_document(HASH_KIND, key)
    found = payload.get("hash") if isinstance(payload, dict) else None
    if isinstance(found, str) and re.fullmatch("[0-9a-f]{16}", found):
        vars(model)["hash"] = found  # the cached_property's slot
        return found
    value = model.hash
    write_document(HASH_KIND, key, {"hash": value})
    return value


@contextmanager
def session(model) -> Iterator[Store]:
    """Cache the symbolic results of ``model`` on disk while the block runs (see the module notes).

    Reads the model's file on entry and writes the new results on exit.
    Sessions do not nest across models: an inner session for another model
    replaces the outer one while it runs.
    """
    current = _ACTIVE.get()
    if current is not None and current.model is model:
        yield current
        return
    store = Store(model, _key_for(model))
    store.load()
    token = _ACTIVE.set(store)
    try:
        yield store
    finally:
        _ACTIVE.reset(token)
        store.save()


def active() -> Store | None:
    """The store of the running session, if any."""
    return _ACTIVE.get()


def memo(kind: str, exprs: Sequence[sp.Expr], tag: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its cached value for ``(exprs, tag)`` in the running session.

    ``exprs`` (sympy expressions) and ``tag`` (a string for the non-expression
    inputs) must determine the value completely.
    """
    store = _ACTIVE.get()
    if store is None:
        return compute()
    key = (*exprs, tag)
    found = store.get(kind, key)
    if found is not None:
        return found
    value = compute()
    store.put(kind, key, value)
    return value
