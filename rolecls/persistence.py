"""Save and load models with joblib, each beside a JSON model card that records its sha256.

Loading a pickle runs code, so a model is loaded only from the shipped file or a path the
user names, and only after its sha256 matches its card.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import warnings
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.exceptions import InconsistentVersionWarning

from rolecls.errors import ModelError, ModelWarning
from rolecls.estimator import RoleClassifier
from rolecls.modelcard import render_markdown
from rolecls.shipped import shipped_file

MODEL_FILENAME = "rolecls-model.joblib"


def shipped_model_path() -> Path:
    """Path of the model shipped with rolecls (``models/`` in the repository)."""
    return shipped_file(MODEL_FILENAME)


def card_path(model_path: str | Path, suffix: str = ".card.json") -> Path:
    """The card beside a model: ``name.joblib`` -> ``name.card.json`` (``.card.md`` for people)."""
    path = Path(model_path)
    return path.with_name(path.name.removesuffix(".joblib") + suffix)


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def _write_atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_model(model: RoleClassifier, path: str | Path, card: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``model`` to ``path`` and its card beside it; return the card as written."""
    path = Path(path)
    _write_atomic(path, lambda target: joblib.dump(model, target, compress=3))
    full_card = dict(card or {})
    full_card["file"] = path.name
    full_card["sha256"] = sha256_file(path)
    full_card["size_bytes"] = path.stat().st_size
    full_card.setdefault("versions", {})["scikit-learn"] = sklearn.__version__
    text = json.dumps(full_card, indent=2, ensure_ascii=False) + "\n"
    _write_atomic(card_path(path), lambda target: Path(target).write_text(text, encoding="utf-8"))
    markdown = render_markdown(full_card)
    _write_atomic(card_path(path, ".card.md"), lambda target: Path(target).write_text(markdown, encoding="utf-8"))
    return full_card


def read_card(model_path: str | Path) -> dict[str, Any] | None:
    """The card of a model, or ``None`` if it has none."""
    path = card_path(model_path)
    if not path.exists():
        return None
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"model card {path} cannot be read: {exc}") from None
    if not isinstance(card, dict):
        raise ModelError(f"model card {path} is not a JSON object")
    return card


def _check_against_card(path: Path, card: dict[str, Any]) -> None:
    expected = card.get("sha256")
    if expected and sha256_file(path) != expected:
        raise ModelError(
            f"model file {path} does not match the sha256 in its card (it is corrupt, truncated or was "
            "modified); reinstall rolecls to restore the shipped model, or retrain with `rolecls train`"
        )
    saved_with = card.get("versions", {}).get("scikit-learn")
    if saved_with and _minor(saved_with) != _minor(sklearn.__version__):
        raise ModelError(_version_message(path, saved_with))


def _version_message(path: Path, saved_with: str) -> str:
    return (
        f"model {path} was saved with scikit-learn {saved_with} but scikit-learn {sklearn.__version__} "
        f"is installed; install the matching version (pip install 'scikit-learn=={saved_with}') "
        "or retrain the model with `rolecls train`"
    )


def load_model(path: str | Path | None = None) -> RoleClassifier:
    """Load the shipped model, or the model at ``path`` (checked against its card first)."""
    model_path = Path(path) if path is not None else shipped_model_path()
    if not model_path.is_file():
        raise ModelError(f"no model file at {model_path}")
    card = read_card(model_path)
    if card is not None:
        _check_against_card(model_path, card)
    else:
        warnings.warn(
            f"model {model_path} has no card ({card_path(model_path).name}) beside it, so its integrity "
            "cannot be checked; load only model files you trust",
            ModelWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        try:
            model = joblib.load(model_path)
        except InconsistentVersionWarning as warning:
            if _minor(warning.original_sklearn_version) != _minor(sklearn.__version__):
                raise ModelError(_version_message(model_path, warning.original_sklearn_version)) from None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InconsistentVersionWarning)
                model = joblib.load(model_path)
        except (
            EOFError,
            pickle.UnpicklingError,
            ValueError,
            KeyError,
            IndexError,
            TypeError,
            AttributeError,
            ImportError,
            OSError,
        ) as exc:
            raise ModelError(
                f"model file {model_path} cannot be loaded, it looks corrupt or truncated ({type(exc).__name__}); "
                "reinstall rolecls or retrain with `rolecls train`"
            ) from None
    if not isinstance(model, RoleClassifier):
        raise ModelError(f"{model_path} does not hold a trained rolecls model")
    if not hasattr(model, "kind_coef_"):
        raise ModelError(
            f"{model_path} holds a model from an older rolecls that judged whole texts, not duty statements; "
            "retrain it with `rolecls train`"
        )
    return model
