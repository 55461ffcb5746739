"""rolecls: tell product-management roles from project-management roles, and show why.

Heavy modules (spaCy, scikit-learn) load on first use, so ``import rolecls`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Classification",
    "Evidence",
    "RoleClassifier",
    "Skipped",
    "__version__",
    "classify",
    "classify_many",
    "load_model",
    "save_model",
    "score_file",
    "score_frame",
]

_EXPORTS = {
    "Classification": "rolecls.results",
    "Evidence": "rolecls.results",
    "RoleClassifier": "rolecls.estimator",
    "Skipped": "rolecls.results",
    "classify": "rolecls.inference",
    "classify_many": "rolecls.inference",
    "load_model": "rolecls.persistence",
    "save_model": "rolecls.persistence",
    "score_file": "rolecls.scoring",
    "score_frame": "rolecls.scoring",
}

if TYPE_CHECKING:
    from rolecls.estimator import RoleClassifier
    from rolecls.inference import classify, classify_many
    from rolecls.persistence import load_model, save_model
    from rolecls.results import Classification, Evidence, Skipped
    from rolecls.scoring import score_file, score_frame


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rolecls' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
