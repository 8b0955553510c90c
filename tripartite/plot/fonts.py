"""Fonts for figures whose text is Chinese, Japanese or Korean.

Matplotlib's default font (DejaVu Sans) has no CJK glyphs: a player named
政府 would be drawn as empty boxes, with a "Glyph ... missing" warning per
character.  :func:`apply_fonts` looks at every text of a figure and, when one
contains a CJK character (:func:`has_cjk`), sets it in an installed CJK font
(:func:`find_cjk_font`: the one named by :func:`use_font` or ``font=``, else
the first installed of :data:`CJK_FONTS`, else any font file whose name says
it is CJK), with DejaVu Sans after it for the glyphs the CJK font lacks.
When no CJK font is installed it warns once, naming the Debian/Ubuntu package
``fonts-noto-cjk``, instead of matplotlib's warning per missing glyph.

Fonts installed after matplotlib built its font cache are found too: the
system font folders are searched for CJK font files, which are added to
matplotlib's font manager for this session.

Examples
--------
>>> has_cjk("政府: 积极监管"), has_cjk("government")
(True, False)
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import TripartiteError

__all__ = [
    "CJK_FONTS",
    "apply_fonts",
    "current_font",
    "find_cjk_font",
    "has_cjk",
    "quiet_cjk_glyphs",
    "use_font",
]

#: CJK-capable font families, in order of preference (Simplified Chinese first).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)

# CJK punctuation, kana, CJK unified ideographs (with extension A), Hangul, compatibility
# ideographs, full-width forms, and the supplementary ideographic plane.
_CJK = re.compile(
    "[\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)
_CJK_FILE = re.compile(
    r"cjk|sourcehan|source-han|wqy|wenquanyi|simhei|simsun|msyh|yahei|pingfang|droidsansfallback|notosanssc|notoserifsc|uming|ukai",
    re.I,
)
# matplotlib's warning names the character: "Glyph 25919 (\\N{CJK UNIFIED IDEOGRAPH-653F}) missing ..."
_MISSING_CJK_GLYPH = (
    r"Glyph \d+ \(\\N\{(CJK|HIRAGANA|KATAKANA|HANGUL|IDEOGRAPHIC|FULLWIDTH|BOPOMOFO).*missing from font"
)
_LATIN_FALLBACK = "DejaVu Sans"

_chosen: str | None = None
_warned = False


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese, Japanese or Korean character."""
    return bool(_CJK.search(text))


def use_font(name: str | None) -> None:
    """Set the CJK font of every later figure (``None``: choose one automatically).

    Examples
    --------
    >>> use_font(None)
    """
    if name is not None:
        _check_font(name)
    global _chosen
    _chosen = name


def current_font() -> str | None:
    """The font named by :func:`use_font` (``None``: chosen automatically)."""
    return _chosen


def _font_names() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


@functools.cache
def _add_system_cjk_fonts() -> None:
    """Add the system's CJK font files that matplotlib's cached font list does not know."""
    from matplotlib import font_manager

    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known and _CJK_FILE.search(Path(path).name):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                continue


def _check_font(name: str) -> None:
    if name not in _font_names():
        _add_system_cjk_fonts()
    if name not in _font_names():
        close = sorted(n for n in _font_names() if n.lower().startswith(name.lower()[:4]))[:5]
        hint = f" (installed fonts with a similar name: {', '.join(close)})" if close else ""
        raise TripartiteError(f"no installed font is named {name!r}{hint}")


def find_cjk_font(name: str | None = None) -> str | None:
    """The font family to set CJK text in: ``name`` (checked), the :func:`use_font` choice, or the first installed.

    Returns ``None`` when no CJK font is installed.

    Examples
    --------
    >>> find_cjk_font() in CJK_FONTS or find_cjk_font() is None
    True
    """
    if name is not None or _chosen is not None:
        name = name or _chosen
        _check_font(name)
        return name
    for attempt in range(2):
        installed = _font_names()
        for family in CJK_FONTS:
            if family in installed:
                return family
        if attempt == 0:
            _add_system_cjk_fonts()
    return None


def _texts(fig) -> Iterable:
    from matplotlib.text import Text

    return fig.findobj(Text)


def _tick_labels(fig) -> Iterable[str]:
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
            if axis is not None:
                yield from (t.get_text() for t in axis.get_ticklabels())


def apply_fonts(fig, font: str | None = None):
    """Set every CJK text of ``fig`` in a CJK font; returns ``fig``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    font : str, optional
        The family to use; by default :func:`find_cjk_font` chooses one.

    Warns once (per session) when the figure has CJK text and no CJK font is
    installed, with how to install one.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> _ = fig.add_subplot().set_title("policy")
    >>> apply_fonts(fig) is fig
    True
    """
    texts = [t for t in _texts(fig) if has_cjk(t.get_text())]
    ticks = any(has_cjk(t) for t in _tick_labels(fig))
    if not texts and not ticks:
        return fig
    family = find_cjk_font(font)
    if family is None:
        global _warned
        if not _warned:
            _warned = True
            warnings.warn(
                "the figure has Chinese, Japanese or Korean text but no CJK font is installed, so those "
                "characters are drawn as empty boxes; install one (Debian/Ubuntu: apt-get install "
                "fonts-noto-cjk; or any of Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei) "
                "or name an installed one with --font / tripartite.plot.use_font",
                UserWarning,
                stacklevel=2,
            )
        return fig
    families = [family, _LATIN_FALLBACK]
    for text in texts:
        text.set_fontfamily(families)
    if ticks:
        for ax in fig.axes:
            ax.tick_params(labelfontfamily=families)
    return fig


@contextlib.contextmanager
def quiet_cjk_glyphs() -> Iterator[None]:
    """Silence matplotlib's warning per missing CJK glyph (:func:`apply_fonts` has warned once instead).

    Missing glyphs of other scripts still warn.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_MISSING_CJK_GLYPH, category=UserWarning)
        yield
