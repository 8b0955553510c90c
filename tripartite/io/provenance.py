"""Provenance: the one place that builds, writes and reads the record of how a result was computed.

A *provenance record* is a flat JSON object that says what a result is a
result of, so that it can be cited and recomputed:

==============  =====================================================================
``version``     the tripartite version that computed it
``model``       the model's (or game's) name
``model_hash``  a content hash: :attr:`Model.hash <tripartite.model.Model.hash>` (players,
                strategies, parameters, payoffs), or for a game without a model (a ``.nfg``
                file) the SHA-256 of its ``.nfg`` text (:func:`game_hash`)
``source``      the file it came from (``baseline.toml`` for a built-in model, the path
                of a scenario or ``.nfg`` file)
``builtin``     whether the model is one shipped with the package
``citation``    how to cite the model itself: the seed paper for the built-in models, the
                scenario's own top-level ``citation = "..."`` key, else ``None``
``players``     player names, in order; ``strategies`` player -> strategy names
``parameters``  every parameter's value at the point (``changed``: the ones given)
``method``      how the result was computed; ``tolerance`` its tolerance (or ``None``)
==============  =====================================================================

plus any keys a command adds (``payoffs`` for behavioural payoffs, ``command``,
``figure_kind``, ...).  :func:`provenance` builds it; the result objects'
``to_record()`` never carry it, and :func:`with_provenance` joins the two.

Where each kind of output carries the record (the writers, all here), and
therefore where :func:`read_provenance` (``tripartite cite FILE``) looks:

- **JSON** (``solve``, ``basins``, ``qre``, ``escape``, ``stability``,
  ``thresholds``, ``params``): the object itself, provenance keys first;
- **CSV, Parquet, text** files: a sidecar ``FILE.json`` (:func:`write_sidecar`);
- **figures**: the sidecar ``FILE.json``, and the file's metadata
  (:func:`figure_metadata`: PNG text chunk ``Description``, PDF ``Subject``,
  SVG ``<dc:description>``), read when the sidecar is missing;
- **.nfg**: the file's comment field, ``exported by tripartite; provenance: {JSON}``
  (:func:`nfg_comment`);
- **LaTeX**: a last line ``% tripartite provenance: {JSON}`` (:func:`embed_comment`);
- **Markdown**: a last line ``<!-- tripartite provenance: {JSON} -->``, with every
  ``>`` in the JSON written ``\\u003e`` so that the comment cannot end early.

Every JSON embedded in a line is written without line breaks.  Reading is
defensive: a file that is not what it claims, JSON nested deeper than
:data:`MAX_DEPTH`, or fields of the wrong type give one
:class:`~tripartite.errors.TripartiteError` naming the file.

Examples
--------
>>> from tripartite import load_model
>>> record = provenance(load_model("baseline"), {"nu": 0.5}, method="test", tolerance=1e-9)
>>> record["model"], record["changed"], record["parameters"]["nu"], record["builtin"]
('baseline', {'nu': 0.5}, 0.5, True)
>>> line = comment_line(record, "latex")
>>> line.startswith("% tripartite provenance: {")
True
>>> print(citation_text("0.1.0").splitlines()[0])
tripartite 0.1.0: computable game theory for the government / platform / worker social-insurance game.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import TripartiteError
from ..game import Game
from ..model import Model
from ..scenario import BUILTIN_CITATION, builtin_models
from .atomic import write_text_atomic
from .results import json_number, parameter_values, to_json

__all__ = [
    "LATEX_MARK",
    "MARKDOWN_MARK",
    "MAX_DEPTH",
    "NFG_MARK",
    "PAPER",
    "PROVENANCE_KEYS",
    "bibtex",
    "citation_text",
    "comment_line",
    "embed_comment",
    "figure_metadata",
    "game_hash",
    "model_source_text",
    "nfg_comment",
    "provenance",
    "provenance_part",
    "provenance_text",
    "read_provenance",
    "sidecar_path",
    "with_provenance",
    "write_sidecar",
]

#: The source paper of the built-in models.
PAPER = BUILTIN_CITATION

#: The keys every provenance record has, in order.
PROVENANCE_KEYS = (
    "version",
    "model",
    "model_hash",
    "source",
    "builtin",
    "citation",
    "players",
    "strategies",
    "parameters",
    "changed",
    "method",
    "tolerance",
)
#: Keys a command may add to its provenance (kept by :func:`provenance_part`).
EXTRA_KEYS = ("payoffs", "command", "figure_kind", "figure", "exported_from", "varied", "design", "points")

#: The start of the provenance line of a LaTeX output.
LATEX_MARK = "% tripartite provenance: "
#: The start of the provenance line of a Markdown output (the line ends with ``-->``).
MARKDOWN_MARK = "<!-- tripartite provenance: "
#: What precedes the JSON in the comment field of an exported ``.nfg`` file.
NFG_MARK = "exported by tripartite; provenance: "
#: The deepest nesting of JSON a provenance record may have.
MAX_DEPTH = 64
#: The largest JSON file read as a provenance record, in bytes.
MAX_JSON_BYTES = 64 * 2**20

_REQUIRED = ("version", "method")
_FIGURES = (".png", ".pdf", ".svg")
_BINARY = (".png", ".pdf", ".parquet", ".npz", ".npy", ".gz", ".zip")

# --- building ---------------------------------------------------------------------------------


def game_hash(game: Game) -> str:
    """A short content hash of a game without a model: SHA-256 of its ``.nfg`` text (payoffs and names).

    Examples
    --------
    >>> g = Game.from_array(np.eye(2)[np.newaxis].repeat(2, 0))
    >>> len(game_hash(g)), game_hash(g) == game_hash(g.take([0]))
    (16, True)
    """
    from .nfg import write_nfg

    return hashlib.sha256(write_nfg(game, title="").encode("utf-8")).hexdigest()[:16]


def _changed(values: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in (values or {}).items():
        arr = np.asarray(v, dtype=float)
        out[str(k)] = float(arr) if arr.ndim == 0 else [float(x) for x in arr.ravel()]
    return out


def _nfg_origin(source: str | None) -> dict[str, Any] | None:
    """The provenance an exported ``.nfg`` file records of the model it came from, if any."""
    if not source or not str(source).lower().endswith(".nfg"):
        return None
    path = Path(source)
    try:
        if not path.is_file() or path.stat().st_size > MAX_JSON_BYTES:
            return None
        return _from_nfg(path)
    except (OSError, TripartiteError):
        return None


def provenance(
    game_or_model: Game | Model,
    values: Mapping[str, Any] | None = None,
    *,
    method: str,
    tolerance: float | None,
    model: Model | None = None,
    model_hash: str | None = None,
    source: str | None = None,
    point: int = 0,
    extra: Mapping[str, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The provenance record of a result (see the module docstring for its keys).

    Parameters
    ----------
    game_or_model : Game or Model
        What was solved: a model (at ``values``), or the game itself (which
        may differ from its model's, e.g. with prospect-theory payoffs).
    values : mapping, optional
        The parameter values given (the ``--set`` values), recorded as
        ``changed``; every parameter's value is recorded in ``parameters``.
    method, tolerance
        How the result was computed.
    model : Model, optional
        The model a game came from (supplies hash, source and citation).
    model_hash, source : str, optional
        Override the model's; for a game without a model, ``source`` is its
        file, and the hash defaults to :func:`game_hash`.  The provenance an
        exported ``.nfg`` source records is kept as ``exported_from``, and its
        citation is the game's.
    point : int
        Which point of a batched game the parameter values are taken from.
    extra, **more
        Further keys (``payoffs``, ``command``, ...), added last.

    Examples
    --------
    >>> from tripartite import load_model
    >>> model = load_model("baseline")
    >>> p = provenance(model.game(), method="test", tolerance=1e-9, model=model)
    >>> p["method"], p["tolerance"], p["source"], p["citation"].startswith("Yang")
    ('test', 1e-09, 'baseline.toml', True)
    >>> g = Game.from_array(np.ones((2, 2, 2)), players=["a", "b"])
    >>> q = provenance(g, method="x", tolerance=None, source="g.nfg")
    >>> q["builtin"], q["citation"], q["source"], len(q["model_hash"])
    (False, None, 'g.nfg', 16)
    """
    if isinstance(game_or_model, Model):
        model = game_or_model
        resolved = model.resolve(values)
        name, players, strategies = model.name, model.players, model.strategies
        parameters = {
            k: json_number(v if np.ndim(v) == 0 else np.asarray(v)[point]) for k, v in resolved.items()
        }
    elif isinstance(game_or_model, Game):
        game = game_or_model
        name, players, strategies = game.name, game.players, game.strategies
        parameters = parameter_values(game, point)
    else:
        raise TypeError(f"provenance of a Game or a Model, not {type(game_or_model).__name__}")
    origin = None
    if model is not None:
        model_hash = model_hash if model_hash is not None else model.hash
        source = source if source is not None else model.source
        builtin, citation = bool(model.builtin), model.citation or None
    else:
        origin = _nfg_origin(source)
        if model_hash is None:
            model_hash = game_hash(game_or_model)
        builtin = False
        citation = origin.get("citation") if origin else None
    record: dict[str, Any] = {
        "version": __version__,
        "model": name,
        "model_hash": model_hash,
        "source": None if source is None else str(source),
        "builtin": builtin,
        "citation": citation,
        "players": list(players),
        "strategies": {p: list(s) for p, s in zip(players, strategies)},
        "parameters": parameters,
        "changed": _changed(values),
        "method": method,
        "tolerance": None if tolerance is None else float(tolerance),
    }
    if origin:
        record["exported_from"] = {
            k: origin.get(k)
            for k in ("version", "model", "model_hash", "source", "builtin", "citation", "parameters")
        }
    if extra:
        record.update(extra)
    record.update(more)
    return record


def with_provenance(result: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """One JSON object: the provenance ``record`` first, then the ``result``'s own keys.

    A key in both (``params --json`` lists its ``parameters``) keeps the result's value.

    Examples
    --------
    >>> with_provenance({"answer": 42}, {"version": "1", "method": "m"})
    {'version': '1', 'method': 'm', 'answer': 42}
    """
    return {**record, **result}


def provenance_part(record: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance keys of a record that also holds results (for a comment line or a sidecar).

    Examples
    --------
    >>> provenance_part({"version": "1", "method": "m", "equilibria": [1, 2]})
    {'version': '1', 'method': 'm'}
    """
    return {k: record[k] for k in (*PROVENANCE_KEYS, *EXTRA_KEYS) if k in record}


# --- writing ----------------------------------------------------------------------------------


def _one_line(record: Mapping[str, Any], ascii_only: bool = False) -> str:
    return json.dumps(record, ensure_ascii=ascii_only, allow_nan=False, separators=(", ", ": "))


def _latex_safe(text: str) -> str:
    # ASCII only, and no ^ (TeX reads ^^M as an end of line, even inside a comment)
    return text.replace("^", "\\u005e")


def comment_line(record: Mapping[str, Any], style: str) -> str:
    """The provenance as one comment line of a ``"latex"`` or ``"markdown"`` document.

    Examples
    --------
    >>> comment_line({"version": "1", "model": "a->b"}, "markdown")
    '<!-- tripartite provenance: {"version": "1", "model": "a-\\\\u003eb"} -->'
    """
    if style == "latex":
        return LATEX_MARK + _latex_safe(_one_line(record, ascii_only=True))
    if style == "markdown":
        return MARKDOWN_MARK + _one_line(record).replace(">", "\\u003e") + " -->"
    raise ValueError(f"no comment style {style!r} (latex or markdown)")


def embed_comment(text: str, record: Mapping[str, Any], style: str) -> str:
    """``text`` (a LaTeX or Markdown document) with the provenance line appended.

    Examples
    --------
    >>> print(embed_comment("\\\\end{document}", {"version": "1"}, "latex"))
    \\end{document}
    % tripartite provenance: {"version": "1"}
    """
    return text.rstrip("\n") + "\n" + comment_line(provenance_part(record) or record, style) + "\n"


def nfg_comment(record: Mapping[str, Any]) -> str:
    """The comment field of an exported ``.nfg`` file: ``exported by tripartite; provenance: {JSON}``."""
    return NFG_MARK + _one_line(provenance_part(record) or record)


def sidecar_path(path: str | Path) -> Path:
    """The provenance sidecar of a file: ``map.csv`` -> ``map.csv.json``."""
    return Path(str(path) + ".json")


def write_sidecar(path: str | Path, record: Mapping[str, Any]) -> Path:
    """Write ``record`` atomically as the sidecar ``path + ".json"``; returns its path."""
    sidecar = sidecar_path(path)
    write_text_atomic(sidecar, to_json(record) + "\n")
    return sidecar


def figure_metadata(suffix: str, record: Mapping[str, Any]) -> dict[str, str]:
    """The provenance in the metadata field each figure format has for it (ASCII JSON).

    Examples
    --------
    >>> sorted(figure_metadata(".png", {"version": "1"}))
    ['Description', 'Software']
    """
    software = f"tripartite {record.get('version', __version__)}"
    text = _one_line(provenance_part(record) or record, ascii_only=True)
    suffix = suffix.lower()
    if suffix == ".png":
        return {"Software": software, "Description": text}
    if suffix == ".pdf":
        return {"Creator": software, "Subject": text}
    return {"Creator": software, "Description": text}


# --- reading ----------------------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [
        sidecar_path(path),
        path.with_suffix(".json"),
        path.with_name(path.name + ".provenance.json"),
        path.with_suffix(".provenance.json"),
    ]


def _loads(text: str, where: Path | str) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        raise TripartiteError(f"{where}: JSON nested too deeply to be a provenance record") from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise TripartiteError(f"{where}: not a JSON provenance record ({exc})") from None
    try:  # a lone surrogate (\ud800) reads as JSON but cannot be printed or written as UTF-8
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise TripartiteError(
            f"{where}: not a provenance record: its text holds a lone surrogate escape (such as \\ud800)"
        ) from None
    except (RecursionError, ValueError):  # too deep: refused by _check, with its depth
        pass
    return value


def _depth_ok(value: Any, limit: int = MAX_DEPTH) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth + 1) for c in children)
    return True


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _check(record: dict[str, Any], where: Path | str) -> dict[str, Any]:
    """The record with its fields checked: one clear error for the first of the wrong type."""

    def wrong(key: str, what: str) -> TripartiteError:
        return TripartiteError(f"{where}: provenance field {key!r} must be {what}")

    if not _depth_ok(record):
        raise TripartiteError(f"{where}: JSON nested more than {MAX_DEPTH} levels deep")
    out = dict(record)
    version = out["version"]
    if _is_number(version):
        out["version"] = str(version)
    elif not isinstance(version, str):
        raise wrong("version", "a string")
    if not isinstance(out["method"], str):
        raise wrong("method", "a string")
    for key in ("model", "model_hash", "source", "citation"):
        if key in out and out[key] is not None and not isinstance(out[key], str):
            raise wrong(key, "a string")
    if "builtin" in out and not isinstance(out["builtin"], (bool, type(None))):
        raise wrong("builtin", "true or false")
    if out.get("tolerance") is not None and not _is_number(out["tolerance"]):
        raise wrong("tolerance", "a number")
    for key in ("changed", "fixed"):
        value = out.get(key)
        if value is not None and not (isinstance(value, dict) and all(_scalar(v) for v in value.values())):
            raise wrong(key, "an object of parameter values")
    params = out.get("parameters")
    if params is not None:
        table = isinstance(params, list) and all(isinstance(p, dict) and "name" in p for p in params)
        values = isinstance(params, dict) and all(_scalar(v) for v in params.values())
        if not (table or values):
            raise wrong("parameters", "an object of parameter values or a list of parameters")
    return out


def _from_json_file(path: Path) -> dict[str, Any] | None:
    """The provenance in a JSON file (top level, or under ``provenance``), ``None`` if it has none."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise TripartiteError(f"{path}: too large to be a provenance record")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TripartiteError(f"{path}: not a JSON provenance record (not UTF-8 text)") from None
    except OSError as exc:
        raise TripartiteError(f"{path}: cannot read: {exc.strerror}") from None
    return _from_value(_loads(text, path), path)


def _from_value(record: Any, where: Path | str) -> dict[str, Any] | None:
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("provenance"), dict):
        record = {**record["provenance"], **{k: v for k, v in record.items() if k != "provenance"}}
    if "tripartite" in record and "version" not in record:  # .nfg comments before 0.2
        record = {"version": record["tripartite"], "method": "export", **record}
    if all(k in record for k in _REQUIRED):
        return _check(record, where)
    return None


def _from_nfg(path: Path) -> dict[str, Any] | None:
    from .nfg import read_nfg_comment

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    try:
        comment = read_nfg_comment(text, str(path))
    except TripartiteError:
        return None
    if not comment or NFG_MARK.split(";")[0] not in comment or "{" not in comment:
        return None
    return _from_value(_loads(comment[comment.index("{") :], path), path)


def _from_lines(path: Path) -> dict[str, Any] | None:
    """A LaTeX or Markdown provenance line (the last one, if several)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        if size > MAX_JSON_BYTES:  # a huge document: its provenance line is at the end
            f.seek(size - 2**20)
        data = f.read()
    text = data.decode("utf-8", errors="replace")
    found = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(LATEX_MARK):
            found = line[len(LATEX_MARK) :]
        elif line.startswith(MARKDOWN_MARK) and line.endswith("-->"):
            found = line[len(MARKDOWN_MARK) : -3]
    return None if found is None else _from_value(_loads(found, path), path)


def _pdf_string(data: bytes, start: int) -> str:
    """The PDF literal string whose ``(`` is at ``start`` (escapes and balanced parentheses)."""
    out, depth, i = bytearray(), 0, start
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(data):
        c = data[i]
        if c == 0x5C and i + 1 < len(data):  # backslash
            n = data[i + 1]
            if n in escapes:
                out.append(escapes[n])
                i += 2
            elif 0x30 <= n <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4]).group()
                out.append(int(digits, 8) & 0xFF)
                i += 1 + len(digits)
            else:
                out.append(n)
                i += 2
            continue
        if c == 0x28:
            depth += 1
            if depth > 1:
                out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                break
            out.append(c)
        else:
            out.append(c)
        i += 1
    if out.startswith(b"\xfe\xff"):
        return out[2:].decode("utf-16-be", errors="replace")
    return out.decode("latin-1")


def _from_figure(path: Path) -> dict[str, Any] | None:
    """The provenance :func:`figure_metadata` put in a PNG, PDF or SVG file."""
    suffix = path.suffix.lower()
    if path.stat().st_size > 8 * MAX_JSON_BYTES:
        return None
    text = None
    if suffix == ".png":
        try:
            from PIL import Image

            with Image.open(path) as image:
                text = image.info.get("Description")
        except Exception:  # not a PNG, or a broken one: no provenance in it
            return None
    elif suffix == ".svg":
        data = path.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"<dc:description>(.*?)</dc:description>", data, re.DOTALL)
        text = html.unescape(found.group(1)) if found else None
    elif suffix == ".pdf":
        data = path.read_bytes()
        found = list(re.finditer(rb"/Subject\s*\(", data))
        text = _pdf_string(data, found[-1].end() - 1) if found else None
    if not isinstance(text, str) or not text.lstrip().startswith("{"):
        return None
    return _from_value(_loads(text, path), path)


def read_provenance(path: str | Path) -> dict[str, Any]:
    """The provenance record of a file the tool wrote, wherever that kind of file keeps it.

    Looked for, in order: the file itself if it is JSON; a sidecar JSON
    (``FILE.json``, ``FILE`` with ``.json`` for its suffix,
    ``FILE.provenance.json``); the comment field of a ``.nfg`` file; the
    provenance line of a LaTeX or Markdown document; a figure's metadata.

    Raises
    ------
    TripartiteError
        One line: no such file, nothing found, or a record that is not valid
        (not JSON, nested too deeply, fields of the wrong type).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "table.md")
    >>> _ = open(path, "w").write("| a |\\n" + comment_line({"version": "1", "method": "m"}, "markdown"))
    >>> read_provenance(path)["method"]
    'm'
    """
    path = Path(path)
    if not path.exists():
        raise TripartiteError(f"{path}: no such file")
    if path.is_dir():
        raise TripartiteError(f"{path}: is a folder, not a result file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            record = _from_json_file(path)
            if record is not None:
                return record
        for candidate in _sidecars(path):
            if candidate != path and candidate.is_file():
                record = _from_json_file(candidate)
                if record is not None:
                    return record
        if suffix == ".nfg":
            record = _from_nfg(path)
        elif suffix in _FIGURES:
            record = _from_figure(path)
        elif suffix in _BINARY:
            record = None
        else:
            record = _from_lines(path)
    except OSError as exc:
        raise TripartiteError(f"{path}: cannot read: {exc.strerror}") from None
    if record is not None:
        return record
    raise TripartiteError(
        f"{path}: no provenance found (looked for the fields {', '.join(_REQUIRED)} in the file, "
        "in a sidecar JSON beside it, and in the comment or metadata its format has)"
    )


# --- citing -----------------------------------------------------------------------------------


def _value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _is_builtin(record: Mapping[str, Any]) -> bool:
    """Whether a record is of a built-in model (records without ``builtin``: by name and file)."""
    if "builtin" in record:
        return bool(record["builtin"])
    model = record.get("model")
    return model in builtin_models() and record.get("source") in (None, f"{model}.toml")


def model_source_text(record: Mapping[str, Any]) -> str:
    """One sentence naming where the model of a record comes from, and how to cite it.

    Examples
    --------
    >>> print(model_source_text({"model": "toy", "source": "toy.toml", "model_hash": "ab12", "builtin": False}))
    Model source: the scenario file toy.toml (content hash ab12), which declares no citation.
    """
    name = record.get("model") or "a game"
    source = record.get("source")
    hash_ = f" (content hash {record['model_hash']})" if record.get("model_hash") else ""
    citation = record.get("citation")
    if _is_builtin(record):
        return f"Model source: the built-in model '{name}', which follows {citation or PAPER}"
    if source and str(source).lower().endswith(".nfg"):
        what = f"the game file {source}{hash_}"
    elif source:
        what = f"the scenario file {source}{hash_}"
    else:
        what = f"the game '{name}'{hash_}"
    exported = record.get("exported_from")
    if isinstance(exported, dict) and exported.get("model"):
        what += f", exported from the model '{exported['model']}'"
    if citation:
        return f"Model source: {what}, which cites: {citation}"
    return f"Model source: {what}, which declares no citation."


def provenance_text(record: Mapping[str, Any], path: str | Path | None = None) -> str:
    """A paragraph and a parameter list describing how a result was computed (:func:`citation_text` names the model's source)."""
    lines = []
    what = f"The results in {Path(path).name}" if path else "These results"
    model = record.get("model", "a game")
    hash_ = f", content hash {record['model_hash']}" if record.get("model_hash") else ""
    source = f", from {record['source']}" if record.get("source") else ""
    lines.append(
        f"{what} were computed with tripartite {record['version']} on the model '{model}'{hash_}{source}."
    )
    lines.append(f"Method: {record['method']}.")
    if record.get("tolerance") is not None:
        lines.append(f"Tolerance: {_value(record['tolerance'])}.")
    changed = record.get("changed") or {}
    params = record.get("parameters") or record.get("fixed") or {}
    if changed:
        lines.append(
            "Changed from the defaults: " + ", ".join(f"{k} = {_value(v)}" for k, v in changed.items()) + "."
        )
    if isinstance(params, list):  # the parameter table of `params --json`
        lines.append("Parameter defaults:")
        lines.extend(f"  {p['name']} = {_value(p.get('default'))}" for p in params)
    elif params:
        lines.append("Parameter values:")
        lines.extend(f"  {k} = {_value(v)}" for k, v in params.items())
    for key in ("varied", "vary", "sample", "grid"):
        if record.get(key):
            lines.append(f"Varied: {json.dumps(record[key], ensure_ascii=False)}")
    return "\n".join(lines)


def citation_text(version: str, record: Mapping[str, Any] | None = None) -> str:
    """How to cite the package and, for a result's ``record``, its model's own source.

    Without a record, the package and the paper the built-in models follow;
    with the record of a scenario that is not built in, the scenario's own
    citation instead (never the seed paper).

    Examples
    --------
    >>> print(citation_text("1", {"model": "toy", "source": "toy.toml", "citation": "Doe (2024)"}).splitlines()[-1])
    Model source: the scenario file toy.toml, which cites: Doe (2024)
    """
    text = (
        f"tripartite {version}: computable game theory for the government / platform / worker "
        "social-insurance game.\n"
        f"Cite as: The tripartite developers (2026). tripartite (version {version}) [software]. "
        "MIT licence. See CITATION.cff.\n"
    )
    if record is None:
        return text + f"The built-in models follow: {PAPER}"
    return text + model_source_text(record)


def _bib(text: str) -> str:
    return str(text).replace("\\", "").replace("{", "\\{").replace("}", "\\}")


def bibtex(version: str, record: Mapping[str, Any] | None = None) -> str:
    """BibTeX entries for the package and the model's source (the seed paper for built-in models)."""
    software = (
        "@software{tripartite,\n"
        "  author  = {{The tripartite developers}},\n"
        "  title   = {tripartite: computable game theory for the government / platform / worker "
        "social-insurance game},\n"
        f"  version = {{{version}}},\n"
        "  year    = {2026},\n"
        "  license = {MIT}\n"
        "}\n"
    )
    if record is None or _is_builtin(record):
        return software + (
            "@article{yang_li_2025,\n"
            "  author  = {Yang, Xing and Li, Chunyuan},\n"
            "  title   = {The Social Security Predicament and Policy Optimization of the Flexible "
            "Employment Group under the E-Commerce Platform Employment Model},\n"
            "  journal = {E-Commerce Letters},\n"
            "  volume  = {14}, number = {12}, pages = {2954--2960}, year = {2025},\n"
            "  doi     = {10.12677/ecl.2025.14124199}\n"
            "}"
        )
    note = (
        record.get("citation")
        or f"scenario file {record.get('source')}, content hash {record.get('model_hash')}"
    )
    return software + (
        f"@misc{{model,\n  title = {{{_bib(record.get('model') or 'game')}}},\n  note  = {{{_bib(note)}}}\n}}"
    )
