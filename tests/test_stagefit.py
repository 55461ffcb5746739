"""The document stage's fit finds the optimum a search with numerical derivatives finds."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from rolecls.duties import softmax
from rolecls.stagefit import fit_stage, stage_weights


def test_document_stage_fit_reaches_the_optimum_a_search_with_numerical_derivatives_finds():
    rng = np.random.default_rng(3)
    labels = rng.choice(["product", "project", "hybrid", "neither"], 300).tolist()
    features = rng.random((300, 3))
    weights = {"product": 1.0, "project": 1.2, "hybrid": 0.8, "neither": 0.5}
    classes, coef, intercept = fit_stage(features, labels, weights, 0.4, 10.0, 3000)

    names = [str(label) for label in classes]
    onehot = (np.asarray(labels)[:, None] == classes[None, :]).astype(float)
    sample = np.array([weights[label] for label in labels])
    penalised = np.array([1.0, 0.0, 1.0, 1.0, 1.0])

    def loss(theta: np.ndarray) -> float:
        c, i = stage_weights(names, 0.4, theta)
        probabilities = softmax(features @ c.T + i)
        value = -np.sum(sample * np.log(np.sum(probabilities * onehot, axis=1)))
        return float(value + np.sum(penalised * theta**2) / 20.0)

    bounds = [(0.0, None)] + [(None, None)] * 4
    free = minimize(loss, np.array([1.0, 0, 0, 0, 0]), method="L-BFGS-B", bounds=bounds)  # finite differences
    expected_coef, expected_intercept = stage_weights(names, 0.4, free.x)
    assert np.allclose(coef, expected_coef, atol=1e-3) and np.allclose(intercept, expected_intercept, atol=1e-3)
