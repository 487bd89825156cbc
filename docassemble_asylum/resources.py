"""Where shipped files live, installed (inside the wheel) or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _shipped_dir(name: str) -> Path:
    """A top-level folder of the repository that the wheel installs inside the package.

    Looked up through the parent package: the folder has no ``__init__.py``, and ``str()``
    of a namespace package's ``files()`` is a repr ("MultiplexedPath('...')"), not a path.
    """
    installed = Path(str(resources.files("docassemble_asylum"))) / name
    if installed.is_dir() and any(installed.iterdir()):
        return installed
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the {name} folder is missing from this installation")


def templates_dir() -> Path:
    """``templates/`` of the repository, installed as ``docassemble_asylum/templates``."""
    return _shipped_dir("templates")


def interviews_dir() -> Path:
    """``interviews/`` (the question sets), installed as ``docassemble_asylum/interviews``."""
    return _shipped_dir("interviews")


def letter_template(name: str) -> Path:
    return templates_dir() / "letters" / name


def form_template(name: str) -> Path:
    return templates_dir() / "forms" / name


def example_file(procedure: str) -> Path:
    return Path(str(resources.files("docassemble_asylum") / "examples" / f"{procedure}.yaml"))
