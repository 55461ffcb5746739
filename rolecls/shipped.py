"""Where the files shipped with rolecls live: the model, its card and the statement bank (``models/``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SHIPPED_PACKAGE = "rolecls.shipped_models"


def shipped_file(name: str) -> Path:
    """Path of a file shipped beside the model (``models/`` in the repository)."""
    try:
        return Path(str(resources.files(SHIPPED_PACKAGE).joinpath(name)))
    except ModuleNotFoundError:
        # Running from a source checkout that is not installed: models/ sits beside rolecls/.
        return Path(__file__).resolve().parents[1] / "models" / name
