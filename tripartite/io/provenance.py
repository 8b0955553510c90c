"""Provenance of result files, for a paper's appendix.

Every file the tool writes either is a JSON object carrying its provenance
(``version``, ``model``, ``model_hash``, ``parameters``, ``method``,
``tolerance``) or sits beside a sidecar JSON that does.  This module finds
that record for any result file and formats it.

Examples
--------
>>> print(citation_text("0.1.0").splitlines()[0])
tripartite 0.1.0: computable game theory for the government / platform / worker social-insurance game.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import TripartiteError

__all__ = ["read_provenance", "provenance_text", "citation_text", "bibtex"]

PAPER = (
    "Yang, X. and Li, C. (2025). The Social Security Predicament and Policy Optimization of the "
    "Flexible Employment Group under the E-Commerce Platform Employment Model. "
    "E-Commerce Letters, 14(12), 2954-2960. doi:10.12677/ecl.2025.14124199"
)
_REQUIRED = ("version", "method")


def _sidecars(path: Path) -> list[Path]:
    return [
        path.with_name(path.name + ".json"),
        path.with_suffix(".json"),
        path.with_name(path.name + ".provenance.json"),
        path.with_suffix(".provenance.json"),
    ]


def read_provenance(path: str | Path) -> dict[str, Any]:
    """The provenance record of a result file (itself JSON, or with a sidecar JSON)."""
    path = Path(path)
    if not path.exists():
        raise TripartiteError(f"{path}: no such file")
    candidates = [path] if path.suffix.lower() == ".json" else []
    candidates += [p for p in _sidecars(path) if p != path]
    for candidate in candidates:
        if not candidate.exists():
            continue
        try:
            record = json.loads(candidate.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise TripartiteError(f"{candidate}: not a JSON provenance record ({exc})") from None
        if isinstance(record, dict) and "provenance" in record and isinstance(record["provenance"], dict):
            record = {**record["provenance"], **{k: v for k, v in record.items() if k != "provenance"}}
        if isinstance(record, dict) and all(k in record for k in _REQUIRED):
            return record
    raise TripartiteError(
        f"{path}: no provenance found (looked for the fields {', '.join(_REQUIRED)} in the file "
        "or in a sidecar JSON beside it)"
    )


def _value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def provenance_text(record: dict[str, Any], path: str | Path | None = None) -> str:
    """A paragraph and a parameter list describing how a result was computed."""
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
    if params:
        lines.append("Parameter values:")
        lines.extend(f"  {k} = {_value(v)}" for k, v in params.items())
    for key in ("varied", "vary", "sample", "grid"):
        if record.get(key):
            lines.append(f"Varied: {json.dumps(record[key], ensure_ascii=False)}")
    return "\n".join(lines)


def citation_text(version: str) -> str:
    """How to cite the package and the model's source paper."""
    return (
        f"tripartite {version}: computable game theory for the government / platform / worker "
        "social-insurance game.\n"
        f"Cite as: The tripartite developers (2026). tripartite (version {version}) [software]. "
        "MIT licence. See CITATION.cff.\n"
        f"The built-in models follow: {PAPER}"
    )


def bibtex(version: str) -> str:
    """BibTeX entries for the package and the source paper."""
    return (
        "@software{tripartite,\n"
        "  author  = {{The tripartite developers}},\n"
        "  title   = {tripartite: computable game theory for the government / platform / worker "
        "social-insurance game},\n"
        f"  version = {{{version}}},\n"
        "  year    = {2026},\n"
        "  license = {MIT}\n"
        "}\n"
        "@article{yang_li_2025,\n"
        "  author  = {Yang, Xing and Li, Chunyuan},\n"
        "  title   = {The Social Security Predicament and Policy Optimization of the Flexible "
        "Employment Group under the E-Commerce Platform Employment Model},\n"
        "  journal = {E-Commerce Letters},\n"
        "  volume  = {14}, number = {12}, pages = {2954--2960}, year = {2025},\n"
        "  doi     = {10.12677/ecl.2025.14124199}\n"
        "}"
    )
