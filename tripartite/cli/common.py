"""What the commands share: the model argument and ``--set``, output options, rendering helpers.

A command module is thin: ``add_parser`` declares its options with the
helpers here, ``run`` reads the model and the ``--set`` values
(:func:`model_and_values`, :func:`point_from_args`), calls the API, builds a
JSON-ready record (the result's ``to_record()``, with the provenance of
:func:`command_provenance`) and prints or writes it (:func:`emit_record`),
as JSON or through its ``render`` function, which uses :func:`header`,
:func:`point_text`, :func:`table` and :func:`markdown_table` (from
:mod:`tripartite.io.text`).

Every output file goes through :func:`emit` (atomically, with the
provenance in the form its format allows; figures through :func:`save_plot`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ParameterError, TripartiteError
from ..game import Game
from ..io.atomic import write_text_atomic
from ..io.provenance import (
    embed_comment,
    provenance,
    provenance_part,
    sidecar_path,
    with_provenance,
    write_sidecar,
)
from ..io.results import to_json
from ..io.text import fmt, header, markdown_table, point_text, table
from ..model import Model, parse_value
from ..scenario import load_model
from .arguments import add_json_argument, add_model_argument  # defined where nothing heavy is imported

__all__ = [
    "add_format_arguments",
    "add_json_argument",
    "add_model_argument",
    "add_out_argument",
    "add_output_arguments",
    "add_figure_arguments",
    "add_lang_argument",
    "add_plot_argument",
    "add_schedule_argument",
    "add_set_argument",
    "check_docx_output",
    "check_plot_option",
    "check_plot_options",
    "command_provenance",
    "emit",
    "emit_json",
    "emit_docx",
    "emit_formatted",
    "emit_record",
    "fmt",
    "game_from_args",
    "header",
    "is_nfg",
    "markdown_table",
    "model_and_values",
    "model_from_args",
    "parse_assignments",
    "point_from_args",
    "point_text",
    "run_plotted",
    "save_plot",
    "table",
    "values_from_sets",
]

# --- options ------------------------------------------------------------------------------------


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter (repeatable); others keep their defaults",
    )


def add_schedule_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--schedule NAME=T0:V0,T1:V1,...`` (repeatable), read by :class:`~tripartite.dynamics.schedules.Schedule`."""
    parser.add_argument(
        "--schedule", dest="schedules", action="append", default=[], metavar="NAME=T0:V0,T1:V1,...", help=help
    )


def add_out_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE", help="write the output to FILE instead of printing it")


def add_format_arguments(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``--format`` (text first, the default), ``--fragment`` for LaTeX, and ``--out``."""
    parser.add_argument("--format", choices=formats, default=formats[0], help="output format (default: text)")
    parser.add_argument("--fragment", action="store_true", help="latex: the table only, not a whole document")
    add_out_argument(parser)


def add_plot_argument(parser: argparse.ArgumentParser, what: str, lang: str = "the --plot figure") -> None:
    """``--plot FILE`` (drawing ``what``) with ``--dpi`` and ``--font``, as :func:`check_plot_options` reads them.

    ``lang`` says where ``--lang`` applies (the figure, or also the text).
    """
    parser.add_argument("--plot", metavar="FILE", help=f"also draw {what} (.png, .pdf or .svg)")
    add_figure_arguments(parser)
    add_lang_argument(parser, lang)


def add_lang_argument(parser: argparse.ArgumentParser, where: str = "the table") -> None:
    """``--lang en|zh``: the language of the package's own words ``where`` (:mod:`tripartite.io.words`)."""
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        help=f"language of the tool's own words in {where} (default en); the model's names are kept",
    )


def add_figure_arguments(parser: argparse.ArgumentParser) -> None:
    """``--dpi`` (of a PNG) and ``--font`` (for Chinese, Japanese or Korean text) of a ``--plot`` figure."""
    parser.add_argument("--dpi", type=float, default=150, help="--plot: resolution of a PNG (default 150)")
    parser.add_argument(
        "--font",
        metavar="FAMILY",
        help="--plot: font for Chinese/Japanese/Korean text (default: an installed CJK font, e.g. Noto Sans CJK SC)",
    )


def add_output_arguments(parser: argparse.ArgumentParser, plot: str, lang: str = "the --plot figure") -> None:
    """``--json``, ``--out FILE`` and ``--plot FILE`` (drawing ``plot``), as :func:`run_plotted` reads them."""
    add_json_argument(parser)
    add_out_argument(parser)
    add_plot_argument(parser, plot, lang)


def check_plot_option(path: str) -> None:
    """Check a ``--plot FILE`` before any work: a figure suffix, an existing writable folder."""
    from ..plot.figures import FIGURE_FORMATS, check_figure_path

    if not path.lower().endswith(FIGURE_FORMATS):
        raise TripartiteError(f"--plot {path}: use a .png, .pdf or .svg file name")
    check_figure_path(path)


def check_plot_options(args: argparse.Namespace) -> None:
    """Check ``--plot``, ``--dpi`` and ``--font`` before any work; the font is used by every figure drawn after."""
    check_plot_option(args.plot)
    if not args.dpi > 0:
        raise TripartiteError(f"--dpi {args.dpi:g}: the resolution must be positive")
    if args.font is not None:
        from ..plot.fonts import use_font

        use_font(args.font)  # an unknown family is refused here, naming similar installed ones


def save_plot(fig, path: str, record: Mapping[str, Any], kind: str, args: argparse.Namespace) -> None:
    """Save a ``--plot`` figure (at ``--dpi``, in ``--font``) with the command's record as its provenance sidecar."""
    from ..plot import save_figure

    save_figure(fig, path, {**record, "figure_kind": kind}, dpi=args.dpi, font=args.font)


# --- the model and the --set values ---------------------------------------------------------


def parse_assignments(items: Sequence[str], option: str, form: str = "NAME=VALUE") -> list[tuple[str, str]]:
    """``NAME=TEXT`` items of a repeatable option as ``(name, text)`` pairs, both stripped.

    Examples
    --------
    >>> parse_assignments(["nu = 0.5", "k=1"], "--set")
    [('nu', '0.5'), ('k', '1')]
    """
    out = []
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise ParameterError(f"{option} expects {form}, got {item!r}")
        out.append((name, text))
    return out


def is_nfg(source: str) -> bool:
    """Whether a MODEL/GAME argument names a Gambit ``.nfg`` file."""
    return str(source).lower().endswith(".nfg")


def model_from_args(args: argparse.Namespace) -> Model:
    if is_nfg(args.model):
        raise TripartiteError(
            f"{args.model} is a game without parameters (a Gambit .nfg file); "
            "this command needs a model (a built-in name or a .toml scenario)"
        )
    return load_model(args.model)


def values_from_sets(model: Model, sets: Sequence[str]) -> dict[str, float]:
    """Parse ``NAME=VALUE`` items, checking names and ranges against the model."""
    values: dict[str, float] = {}
    for name, text in parse_assignments(sets, "--set"):
        parameter = model.parameter(name)
        values[name] = parse_value(name, text)
        parameter.check(values[name])
    return values


def model_and_values(args: argparse.Namespace) -> tuple[Model, dict[str, float]]:
    """The model named by ``args.model`` and the ``--set`` values."""
    model = model_from_args(args)
    return model, values_from_sets(model, getattr(args, "sets", []))


def point_from_args(args: argparse.Namespace) -> tuple[Game, Model | None, dict[str, float]]:
    """The game named by ``args.model`` at the ``--set`` values, its model, and those values.

    The model is ``None`` for sources that are games without parameters
    (Gambit ``.nfg`` files); ``--set`` on one of those is an error.
    """
    if is_nfg(args.model):
        from ..io.nfg import load_nfg

        sets = getattr(args, "sets", [])
        if sets:
            raise ParameterError(
                f"--set {sets[0]}: {args.model} is a .nfg game, which has no parameters to set"
            )
        return load_nfg(args.model), None, {}
    model, values = model_and_values(args)
    return model.game(values), model, values


def game_from_args(args: argparse.Namespace) -> tuple[Game, Model | None]:
    """The game named by ``args.model`` at the ``--set`` values, and its model (see :func:`point_from_args`)."""
    game, model, _ = point_from_args(args)
    return game, model


# --- records and output -------------------------------------------------------------------------


def command_provenance(
    game: Game,
    model: Model | None,
    values: Mapping[str, float],
    *,
    method: str,
    tolerance: float | None,
    source: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The provenance of a command's result (:func:`tripartite.io.provenance.provenance`).

    ``changed`` records the ``--set`` values, ``extra`` any further keys; a
    game without a model (a ``.nfg`` file) is hashed by content and named by
    ``source``, its file.
    """
    return provenance(game, values, method=method, tolerance=tolerance, model=model, source=source, **extra)


#: How each ``--format`` and file suffix carries provenance in the file itself; others get a sidecar.
_EMBEDDED = {"latex": "latex", "markdown": "markdown", "json": "json", "nfg": "nfg"}
_SUFFIX_STYLE = {".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".nfg": "nfg"}


def _style(out: str, format: str | None) -> str:
    """Where the provenance of an output file goes: ``latex``/``markdown`` comment, ``json``, ``nfg``, ``sidecar``."""
    if format is not None:
        return _EMBEDDED.get(format, "sidecar")
    return _SUFFIX_STYLE.get(Path(out).suffix.lower(), "sidecar")


def _write(path: Path, text: str) -> None:
    try:
        write_text_atomic(path, text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise TripartiteError(f"cannot write {path}: {exc.strerror}") from None


def emit(
    text: str,
    out: str | None = None,
    *,
    provenance: Mapping[str, Any] | None = None,
    format: str | None = None,
) -> None:
    """Print ``text``, or write it atomically to ``out``: the one writer of a command's output file.

    With ``provenance`` (a record carrying it), the file carries it as its
    format allows (``format``, else the suffix of ``out``): a LaTeX or
    Markdown comment line appended (``% tripartite provenance: {...}``,
    ``<!-- tripartite provenance: {...} -->``); JSON and ``.nfg`` text
    already hold it; any other file gets the sidecar ``out + ".json"``.
    Printed text is left as it is.
    """
    if out is None:
        print(text)
        return
    path = Path(out)
    if not path.parent.exists():
        raise TripartiteError(f"cannot write {out}: folder {path.parent} does not exist")
    if path.is_dir():
        raise TripartiteError(f"cannot write {out}: it is a folder")
    style = _style(out, format)
    if provenance is not None and style in ("latex", "markdown"):
        text = embed_comment(text, provenance, style)
    _write(path, text)
    if provenance is not None and style == "sidecar":
        try:
            write_sidecar(path, provenance_part(provenance) or dict(provenance))
        except OSError as exc:
            raise TripartiteError(f"cannot write {sidecar_path(path)}: {exc.strerror}") from None


def emit_json(record: dict, out: str | None = None, *, provenance: Mapping[str, Any] | None = None) -> None:
    """Print or write ``record`` as JSON, with ``provenance`` (if given) joined in first."""
    full = with_provenance(record, provenance) if provenance is not None else record
    emit(to_json(full), out, format="json")


def _carried(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The provenance a joined record carries, if it does (the keys ``version`` and ``method``)."""
    return record if "version" in record and "method" in record else None


def emit_record(
    record: dict,
    render: Callable[[dict], str] | None,
    *,
    as_json: bool,
    out: str | None = None,
    provenance: Mapping[str, Any] | None = None,
    format: str | None = None,
) -> None:
    """Print or write ``record`` as JSON, or as the text ``render(record)``.

    ``provenance`` is joined in first (:func:`~tripartite.io.provenance.with_provenance`);
    a record built by :func:`command_provenance` already carries it.  Either
    way a file written to ``out`` carries it (see :func:`emit`).
    """
    full = with_provenance(record, provenance) if provenance is not None else record
    if as_json:
        emit_json(full, out)
    else:
        emit(render(full), out, provenance=_carried(full), format=format)


def emit_formatted(
    record: dict,
    args: argparse.Namespace,
    renderers: Mapping[str, Callable[[dict], str]],
    *,
    provenance: Mapping[str, Any] | None = None,
) -> None:
    """Print or write ``record`` in the ``--format`` asked for: ``json``, or one of ``renderers``."""
    emit_record(
        record,
        renderers.get(args.format),
        as_json=args.format == "json",
        out=args.out,
        provenance=provenance,
        format=args.format,
    )


def check_docx_output(args: argparse.Namespace) -> None:
    """Before any work: ``--format docx`` needs python-docx and ``--out FILE.docx`` (a binary file, not printed)."""
    if args.format != "docx":
        return
    from ..io.docx import check_available

    check_available()
    if not args.out:
        raise TripartiteError("--format docx writes a Word file: give --out FILE.docx")
    if not args.out.lower().endswith(".docx"):
        raise TripartiteError(f"--out {args.out}: a Word file must end in .docx")
    path = Path(args.out)
    if not path.parent.exists():
        raise TripartiteError(f"cannot write {args.out}: folder {path.parent} does not exist")


def check_xlsx_output(args: argparse.Namespace) -> None:
    """Before any work: ``--format xlsx`` needs openpyxl and ``--out FILE.xlsx`` (a binary file, not printed)."""
    if args.format != "xlsx":
        return
    from ..io.xlsx import check_available

    check_available()
    if not args.out:
        raise TripartiteError("--format xlsx writes an Excel file: give --out FILE.xlsx")
    if not args.out.lower().endswith(".xlsx"):
        raise TripartiteError(f"--out {args.out}: an Excel file must end in .xlsx")
    path = Path(args.out)
    if not path.parent.exists():
        raise TripartiteError(f"cannot write {args.out}: folder {path.parent} does not exist")


def emit_docx(data: bytes, out: str, record: Mapping[str, Any]) -> None:
    """Write a ``.docx`` atomically, with the record's provenance in the sidecar ``out + ".json"``."""
    from ..io.atomic import write_bytes_atomic

    path = Path(out)
    try:
        write_bytes_atomic(path, data)
        write_sidecar(path, provenance_part(record) or dict(record))
    except OSError as exc:
        raise TripartiteError(f"cannot write {out}: {exc.strerror}") from None


def run_plotted(
    args: argparse.Namespace,
    compute: Callable[[argparse.Namespace], tuple[dict, Any]],
    render: Callable[[dict], str],
    draw: Callable[[Any], Any],
    kind: str,
) -> None:
    """The run of a command with ``--json``, ``--out`` and ``--plot``.

    ``compute(args)`` gives the record and the result object behind it;
    ``draw(result)`` its figure, saved (with the record as provenance) when
    ``--plot`` is given, after checking the file name before any work.
    """
    if args.plot:
        check_plot_options(args)
    record, result = compute(args)
    if args.plot:
        save_plot(draw(result), args.plot, record, kind, args)
    emit_record(record, render, as_json=args.json, out=args.out)
