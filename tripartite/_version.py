"""The package version, in a module of its own so that any module may import it without a cycle."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tripartite")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
