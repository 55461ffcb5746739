"""Fit the document stage: a logistic regression on the two mass features, shaped as the guide defines the labels.

The features are ``x = P / (D + scale)`` and ``y = J / (D + scale)`` for a text's product mass ``P``,
project mass ``J`` and duty mass ``D = P + J`` (``rolecls.decision``). With ``h`` the hybrid share (the
guide's "the smaller side carries roughly 40% or more of the duty weight"), the decision values are

- product: ``a * (h * x - (1 - h) * y)``, positive exactly when the project side holds less than ``h``;
- project: ``a * (h * y - (1 - h) * x)``, the same for the product side;
- hybrid: ``0``, so hybrid wins exactly when each side holds at least ``h`` of the duty weight;
- neither: ``c - b_product * x - b_project * y``: a text with little duty weight is neither.

Which of product, project and hybrid wins depends on the role mix alone, however many duties a text lists;
how much duty weight it holds decides only whether it is neither, and how sure the decision is. Fitting
finds ``a``, ``c`` and the ``b`` by weighted maximum likelihood (a small L2 penalty, like scikit-learn's
``LogisticRegression``); ``h`` is given. Labels missing from the training data are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize

from rolecls.duties import softmax

NEITHER = "neither"


def stage_weights(classes: Sequence[str], hybrid_share: float, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coefficients (classes x 2) and intercepts of the stage with parameters ``theta = (a, c, b_product,
    b_project)`` (only ``a`` is used without a neither class)."""
    h = hybrid_share
    rows = {
        "product": (theta[0] * h, -theta[0] * (1 - h)),
        "project": (-theta[0] * (1 - h), theta[0] * h),
        "hybrid": (0.0, 0.0),
    }
    coef = np.array([rows.get(label, (-theta[2], -theta[3])) for label in classes], dtype=float)
    intercept = np.array([theta[1] if label == NEITHER else 0.0 for label in classes])
    return coef, intercept


def fit_stage(
    features: np.ndarray,
    labels: Sequence[str],
    weights: dict[str, float],
    hybrid_share: float,
    C: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classes (sorted), coefficients (classes x 2) and intercepts of the document stage.

    ``weights`` are per-class sample weights; ``C`` is the inverse strength of the L2 penalty on the
    parameters other than the intercept.
    """
    truth = np.asarray(labels)
    classes = np.unique(truth)
    unknown = sorted(set(classes.tolist()) - {"product", "project", "hybrid", NEITHER})
    if unknown:
        raise ValueError(f"the document stage has no place for the labels {unknown}")
    names = [str(label) for label in classes]
    onehot = (truth[:, np.newaxis] == classes[np.newaxis, :]).astype(float)
    sample = np.array([weights[str(label)] for label in truth])
    penalised = np.array([1.0, 0.0, 1.0, 1.0])

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, intercept = stage_weights(names, hybrid_share, theta)
        probabilities = softmax(features @ coef.T + intercept)
        value = -np.sum(sample * np.log(np.sum(probabilities * onehot, axis=1) + 1e-300))
        value += np.sum(penalised * theta**2) / (2 * C)
        error = (probabilities - onehot) * sample[:, np.newaxis]  # gradient of the loss by decision value
        coef_gradient = error.T @ features  # by coefficient
        intercept_gradient = error.sum(axis=0)
        gradient = np.zeros(4)
        for row, label in enumerate(names):
            if label == "product":
                gradient[0] += coef_gradient[row] @ (hybrid_share, -(1 - hybrid_share))
            elif label == "project":
                gradient[0] += coef_gradient[row] @ (-(1 - hybrid_share), hybrid_share)
            elif label == NEITHER:
                gradient[1] += intercept_gradient[row]
                gradient[2:] -= coef_gradient[row]
        return float(value), gradient + penalised * theta / C

    start = np.array([1.0, 0.0, 1.0, 1.0])
    bounds = [(0.0, None), (None, None), (None, None), (None, None)]
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": max_iter})
    coef, intercept = stage_weights(names, hybrid_share, found.x)
    return classes, coef, intercept
