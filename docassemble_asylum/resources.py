"""Where shipped files live, installed (inside the wheel) or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def templates_dir() -> Path:
    """``templates/`` of the repository, installed as ``docassemble_asylum/templates``."""
    try:
        # Through the parent package: templates/ has no __init__.py, and str() of a
        # namespace package's files() is a repr ("MultiplexedPath('...')"), not a path.
        installed = Path(str(resources.files("docassemble_asylum"))) / "templates"
        if (installed / "letters").is_dir():
            return installed
    except ModuleNotFoundError:
        pass
    checkout = Path(__file__).resolve().parent.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the templates folder is missing from this installation")


def letter_template(name: str) -> Path:
    return templates_dir() / "letters" / name


def form_template(name: str) -> Path:
    return templates_dir() / "forms" / name


def example_file(procedure: str) -> Path:
    return Path(str(resources.files("docassemble_asylum") / "examples" / f"{procedure}.yaml"))
