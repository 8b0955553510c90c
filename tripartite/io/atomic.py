"""Writing files atomically: a complete file under the final name, or none.

Every file the tool writes goes first to a temporary file in the same folder,
named ``.NAME.XXXXXXXX.part``, which is renamed onto ``NAME`` only once it is
complete; on any error (or an interrupt: Ctrl-C, or ``SIGTERM``, which the
command line turns into an exception) the temporary file is removed.  A
rename within one folder replaces the target in one step, so a reader never
sees half a file.  Only a process killed outright (``SIGKILL``, power loss)
leaves a hidden ``.part`` file; :func:`remove_stale_temporaries` removes
those of one output, and a sweep calls it when it starts or resumes.

The temporary file is created with the permissions of an ordinary new file
(``0o666`` less the umask), so the renamed result is readable as any file
the user writes.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> write_text_atomic(os.path.join(folder, "劳动者.txt"), "完整\\n")
>>> with atomic_path(os.path.join(folder, "data.bin")) as tmp:
...     _ = tmp.write_bytes(b"\\x00\\x01")
>>> sorted(os.listdir(folder))
['data.bin', '劳动者.txt']
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import TripartiteError

__all__ = [
    "atomic_path",
    "check_writable",
    "remove_stale_temporaries",
    "write_bytes_atomic",
    "write_text_atomic",
    "PART_SUFFIX",
]

#: Suffix of the temporary files (a stale one is ``.NAME.*.part``).
PART_SUFFIX = ".part"


def check_writable(path: str | Path, suffixes: Sequence[str], wrong_suffix: str) -> Path:
    """Check before any work that ``path`` can be written; ``wrong_suffix`` says what it must end in.

    The suffix must be one of ``suffixes``, the folder must exist and take a
    new file, and ``path`` must not be a folder.

    Examples
    --------
    >>> check_writable("table.txt", (".csv",), "the file name must end in .csv")
    Traceback (most recent call last):
    ...
    tripartite.errors.TripartiteError: cannot write table.txt: the file name must end in .csv
    """
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise TripartiteError(f"cannot write {path}: {wrong_suffix}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TripartiteError(f"cannot write {path}: folder {folder} does not exist")
    if path.is_dir():
        raise TripartiteError(f"cannot write {path}: it is a folder")
    try:
        _new_temporary(path).unlink()
    except OSError as exc:
        raise TripartiteError(
            f"cannot write {path}: folder {folder} is not writable ({exc.strerror})"
        ) from None
    return path


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Remove the temporary files a killed writer of ``path`` left beside it; the paths removed.

    Only names this module makes (``.NAME.`` + 8 hex digits + ``.part``) are
    touched.  Call it only when no other process is writing ``path``.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = open(os.path.join(folder, ".t.csv.0123abcd.part"), "w")
    >>> [p.name for p in remove_stale_temporaries(os.path.join(folder, "t.csv"))], os.listdir(folder)
    (['.t.csv.0123abcd.part'], [])
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    removed = []
    prefix = f".{path.name}."
    try:
        candidates = list(folder.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        name = candidate.name
        middle = name[len(prefix) : -len(PART_SUFFIX)]
        if (
            name.startswith(prefix)
            and name.endswith(PART_SUFFIX)
            and len(middle) == 8
            and all(c in "0123456789abcdef" for c in middle)
        ):
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError:
                pass
    return removed


def _new_temporary(path: Path) -> Path:
    """Create an empty, uniquely named temporary file beside ``path``."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}{PART_SUFFIX}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        os.close(fd)
        return tmp


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block succeeds.

    Write the file under the yielded name (any writer that takes a file
    name); on leaving the block without an error it replaces ``path``, and on
    an error it is removed and the error propagates.
    """
    path = Path(path)
    tmp = _new_temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename."""
    write_bytes_atomic(path, text.encode("utf-8"))
