"""Fit the document stage: a logistic regression on the mass features, shaped as the guide defines the labels.

The features are ``x``, ``y`` and ``w``: the product and project masses over their sum plus a scale, and the
work mass over itself plus the scale (``rolecls.decision``). With ``h`` the hybrid share (the guide's "the
smaller side carries roughly 40% or more of the duty weight"), the decision values are

- product: ``a * (h * x - (1 - h) * y)``, positive exactly when the project side holds less than ``h``;
- project: ``a * (h * y - (1 - h) * x)``, the same for the product side;
- hybrid: ``0``, so hybrid wins over both sides exactly when each holds at least ``h``;
- neither: ``c + u * x + v * y + e * w``: a text with little management duty weight, or whose duties are
  mostly other work, is neither.

Which of product, project and hybrid wins depends on the role mix alone, however many duties a text lists;
how much duty weight it holds, and how much of it is other work, decides whether it is neither and how sure
the decision is. Fitting finds ``a``, ``c``, ``u``, ``v`` and ``e`` by weighted maximum likelihood with a
small L2 penalty (not on ``c``), as scikit-learn's ``LogisticRegression`` does; ``h`` is given. Labels
missing from the training data are left out (without hybrid, product and project part at an even mix).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize

from rolecls.decision import LABELS
from rolecls.duties import softmax

_PENALISED = np.array([1.0, 0.0, 1.0, 1.0, 1.0])  # a, c, u, v, e


def stage_weights(classes: Sequence[str], hybrid_share: float, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coefficients (classes x 3) and intercepts of the stage with parameters ``theta = (a, c, u, v, e)``."""
    a, c, u, v, e = theta
    h = hybrid_share
    rows = {
        "product": (a * h, -a * (1 - h), 0.0),
        "project": (-a * (1 - h), a * h, 0.0),
        "hybrid": (0.0, 0.0, 0.0),
        "neither": (u, v, e),
    }
    coef = np.array([rows[label] for label in classes], dtype=float)
    intercept = np.array([c if label == "neither" else 0.0 for label in classes])
    return coef, intercept


def fit_stage(
    features: np.ndarray,
    labels: Sequence[str],
    weights: dict[str, float],
    hybrid_share: float,
    C: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classes (sorted), coefficients (classes x 3) and intercepts of the document stage.

    ``weights`` are per-class sample weights; ``C`` is the inverse strength of the L2 penalty.
    """
    truth = np.asarray(labels)
    classes = np.unique(truth)
    unknown = sorted(set(classes.tolist()) - set(LABELS))
    if unknown:
        raise ValueError(f"the document stage has no place for the labels {unknown}")
    names = [str(label) for label in classes]
    onehot = (truth[:, np.newaxis] == classes[np.newaxis, :]).astype(float)
    sample = np.array([weights[str(label)] for label in truth])
    # The stage is linear in theta, so each parameter's coefficients and intercepts are its derivatives.
    basis = [stage_weights(names, hybrid_share, unit) for unit in np.eye(len(_PENALISED))]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, intercept = stage_weights(names, hybrid_share, theta)
        probabilities = softmax(features @ coef.T + intercept)
        value = -np.sum(sample * np.log(np.sum(probabilities * onehot, axis=1) + 1e-300))
        error = (probabilities - onehot) * sample[:, np.newaxis]  # the loss's gradient by decision value
        by_coef, by_intercept = error.T @ features, error.sum(axis=0)
        gradient = np.array([np.sum(d_coef * by_coef) + d_intercept @ by_intercept for d_coef, d_intercept in basis])
        return float(value + np.sum(_PENALISED * theta**2) / (2 * C)), gradient + _PENALISED * theta / C

    start = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    bounds = [(0.0, None)] + [(None, None)] * 4
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": max_iter})
    coef, intercept = stage_weights(names, hybrid_share, found.x)
    return classes, coef, intercept
