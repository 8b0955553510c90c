"""``tripartite params [MODEL]``: the parameter table of a model.

``--format json`` (or ``--json``) prints the table with the model's provenance
(version, name, content hash, source, citation; the method is
:data:`METHOD`), which ``tripartite cite`` reads back.

The printed table is a function of the scenario file's bytes, the name it
was given by and the code that reads it, so it is cached
(:mod:`tripartite.diskcache`) under a key made of exactly these
(:func:`output_key`): a second ``tripartite params`` of an unchanged file
prints the cached text without loading sympy.  The first run reads and
validates the whole file as always; a run that warns is never cached.

``--format latex`` writes the table as a booktabs ``longtable`` in a complete
document (pdflatex; xelatex with ``ctex`` for Chinese text), ``--fragment``
the table alone; ``--payoffs`` gives the payoff matrix (one row per pure
profile, one column per player) instead, in any format.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arguments import add_json_argument, add_model_argument

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model

#: The ``method`` of a parameter table's provenance.
METHOD = "parameter table as declared in the model (defaults, admissible ranges, sources)"

MARKDOWN_HEADERS = (
    "parameter",
    "symbol",
    "default",
    "unit",
    "range",
    "meaning",
    "section",
    "source of the default",
)


def add_parser(sub) -> None:
    parser = sub.add_parser("params", help="print the parameter table (or the payoff matrix) of a model")
    add_model_argument(parser)
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json", "latex"),
        default="text",
        help="plain table (default), a Markdown table with sources, JSON, or a LaTeX document",
    )
    add_json_argument(parser, "same as --format json")
    parser.add_argument(
        "--payoffs",
        action="store_true",
        help="the payoff matrix (one row per pure profile, one column per player) instead of the parameters",
    )
    parser.add_argument("--fragment", action="store_true", help="latex: the table only, not a whole document")
    parser.add_argument(
        "--lang", choices=("en", "zh"), help="latex: language of the tool's own words (default en)"
    )
    parser.set_defaults(func=run)


#: The source files that decide what ``params`` prints (an edit of any one changes every key).
CODE_FILES = (
    "_version.py",
    "errors.py",
    "expr.py",
    "limits.py",
    "model.py",
    "scenario.py",
    "models/*.toml",
    "cli/params.py",
    "cli/common.py",
    "io/provenance.py",
    "io/results.py",
    "io/text.py",
    "io/latex.py",
    "io/words.py",
)


def table_record(model: Model) -> dict[str, Any]:
    """The parameter table as a JSON-ready record, without provenance.

    ``{"parameters": [...], "state": [...]}``: ``state`` lists the population
    shares a state-dependent scenario's payoffs use (``[state]``: name, player,
    strategy), empty for a static game.
    """
    return {
        "parameters": [_parameter_record(p) for p in model.parameters],
        "state": [
            {
                "name": sh.name,
                "player": model.players[sh.player],
                "strategy": model.strategies[sh.player][sh.strategy],
            }
            for sh in model.state
        ],
    }


def payoffs_record(model: Model) -> dict[str, Any]:
    """The ``params --payoffs --json`` record: provenance, then ``payoffs``, one entry per pure profile.

    Each entry: ``profile`` (player -> strategy) and ``payoffs`` (player ->
    expression text, which :func:`tripartite.expr.parse_expression` reads back).

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = payoffs_record(load_model("baseline"))
    >>> len(rec["payoffs"]), sorted(rec["payoffs"][0]["payoffs"])
    (8, ['government', 'platform', 'worker'])
    """
    from ..expr import to_text
    from ..io.provenance import provenance, with_provenance

    entries = [
        {
            "profile": model.profile_names(profile),
            "payoffs": {p: to_text(e) for p, e in zip(model.players, model.payoffs[profile])},
        }
        for profile in model.profiles()
    ]
    return with_provenance({"payoffs": entries}, provenance(model, method=PAYOFF_METHOD, tolerance=None))


#: The ``method`` of a payoff matrix's provenance.
PAYOFF_METHOD = "payoff matrix as declared in the model (derived quantities substituted)"


def _payoff_text(model: Model) -> str:
    from ..expr import to_text
    from .common import table

    rows = [
        (", ".join(model.profile_names(profile).values()), *(to_text(e) for e in model.payoffs[profile]))
        for profile in model.profiles()
    ]
    return f"{model.name}: payoffs\n\n" + table(("profile", *model.players), rows)


def _latex(model: Model, payoffs: bool, fragment: bool, lang: str | None) -> str:
    from ..io.latex import latex_output, parameters_table, payoff_table
    from ..io.provenance import provenance
    from ..io.text import point_text

    body = payoff_table(model, lang=lang) if payoffs else parameters_table(model, lang=lang)
    record = provenance(model, method=PAYOFF_METHOD if payoffs else METHOD, tolerance=None)
    comment = (
        f"% {record['model']}: tripartite {record['version']}, model hash {record['model_hash']}, "
        f"parameters: {point_text(record)}"
    )
    return latex_output(body, fragment, comment=comment, lang=lang)


def params_record(model: Model) -> dict[str, Any]:
    """The ``params --json`` record: the provenance of the model at its defaults, then its table.

    The table's ``parameters`` (a list, one object per parameter) takes the
    place of the provenance's parameter values (which are the defaults).

    Examples
    --------
    >>> from tripartite import load_model
    >>> rec = params_record(load_model("baseline"))
    >>> rec["method"] == METHOD, rec["builtin"], rec["parameters"][0]["name"]
    (True, True, 'V_E')
    """
    from ..io.provenance import provenance, with_provenance

    return with_provenance(table_record(model), provenance(model, method=METHOD, tolerance=None))


def _parameter_record(p) -> dict:
    from ..io.results import parameter_range

    lo, hi = parameter_range(p)
    return {
        "name": p.name,
        "symbol": p.symbol or p.name,
        "default": p.default,
        "unit": p.unit,
        "min": lo,
        "max": hi,
        "description": p.description,
        "section": p.section,
        "source": p.source,
    }


def markdown(model: Model) -> str:
    """The parameter table as Markdown, with the source of every default."""
    from .common import fmt, markdown_table

    lines = [
        f"# Parameters of `{model.name}`",
        "",
        f"{model.description}" if model.description else "",
        "",
        "Generated by `tripartite params " + model.name + " --format markdown`; do not edit by hand.",
        "",
    ]
    rows = [
        (
            f"`{p.name}`",
            f"${p.symbol}$" if p.symbol else "",
            fmt(p.default),
            p.unit,
            p.range_text(),
            p.description,
            p.section,
            p.source,
        )
        for p in model.parameters
    ]
    lines += markdown_table(MARKDOWN_HEADERS, rows)
    return "\n".join(lines)


def _text(model: Model) -> str:
    """The parameter table as plain text."""
    from .common import fmt, table

    rows = [
        (p.name, fmt(p.default), p.unit, p.range_text(), p.description, p.section) for p in model.parameters
    ]
    header = f"{model.name}: {model.description}" if model.description else model.name
    text = header + "\n\n" + table(("symbol", "default", "unit", "range", "meaning", "section"), rows)
    if model.state:
        shares = [
            (
                sh.name,
                f"share of {model.players[sh.player]} playing {model.strategies[sh.player][sh.strategy]}",
            )
            for sh in model.state
        ]
        text += "\n\nState shares the payoffs depend on ([state]):\n" + table(("symbol", "meaning"), shares)
    return text


def _scenario_file(name: str) -> Path | None:
    """The file a model name or path reads, found without loading the package's heavy modules."""
    builtin = Path(__file__).resolve().parent.parent / "models" / f"{name}.toml"
    if "/" not in name and "\\" not in name and builtin.is_file():
        return builtin
    path = Path(name)
    return path if path.is_file() else None


def output_key(name: str, form: str) -> str | None:
    """What ``tripartite params NAME --format FORM`` prints depends on, hashed; ``None``: not cacheable."""
    from importlib.metadata import PackageNotFoundError, version

    from ..diskcache import cache_dir, code_fingerprint

    path = _scenario_file(name)
    if path is None or cache_dir() is None:
        return None
    try:
        content = path.read_bytes()
        libraries = [version("sympy"), version("numpy")]
    except (OSError, PackageNotFoundError):
        return None
    digest = hashlib.sha256()
    for part in (
        "params",
        form,
        name,
        str(path.resolve()),
        code_fingerprint(CODE_FILES),
        sys.version,
        *libraries,
    ):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(content)
    return digest.hexdigest()


def _output(args: argparse.Namespace, form: str) -> str:
    """The text ``params`` prints, computed from the model (every line of the file read and checked)."""
    from ..io.results import to_json
    from .common import model_from_args

    model = model_from_args(args)
    if form == "latex":
        return _latex(model, args.payoffs, args.fragment, args.lang)
    if args.payoffs:
        if form == "markdown":
            from .common import markdown_table

            record = payoffs_record(model)
            rows = [
                (", ".join(e["profile"].values()), *(f"`{v}`" for v in e["payoffs"].values()))
                for e in record["payoffs"]
            ]
            return "\n".join(
                [f"# Payoffs of `{model.name}`", "", *markdown_table(("profile", *model.players), rows)]
            )
        return to_json(payoffs_record(model)) if form == "json" else _payoff_text(model)
    if form == "json":
        return to_json(params_record(model))
    return markdown(model) if form == "markdown" else _text(model)


def run(args: argparse.Namespace) -> None:
    import warnings

    from ..diskcache import read_document, write_document

    form = "json" if args.json else args.format
    variant = f"{form}|payoffs={args.payoffs}|fragment={args.fragment}|lang={args.lang}"
    key = output_key(args.model, variant)
    cached = read_document("params", key) if key is not None else None
    if isinstance(cached, dict) and isinstance(cached.get("text"), str):
        print(cached["text"])
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = _output(args, form)
    for w in caught:  # shown as they would have been; a run that warns is not cached
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if key is not None and not caught:
        write_document("params", key, {"text": text})
    print(text)
