"""Decide from duties alone: the document's decision values, split exactly over its duty statements.

A text's product mass ``P`` and project mass ``J`` are the sums of its statements' side weights
(``rolecls.duties``); its duty mass is ``D = P + J`` and its role mix ``P / D``. The document stage is a
multinomial logistic regression on two features, ``P / (D + scale)`` and ``J / (D + scale)``: for a text
with many duties they tend to the role mix and its complement, so the side a text leans to, and whether it
is balanced enough to be hybrid, is read from the mix; for a text with few duties both are small, which is
what ``neither`` is learnt from. Every label's decision value is its intercept plus, for each statement,
``(coef[label, 0] * product_weight + coef[label, 1] * project_weight) / (D + scale)``: an exact
decomposition over the statements, in which a statement that is not a duty contributes nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy

from rolecls.duties import StatementDuties

LABELS: tuple[str, ...] = ("product", "project", "hybrid", "neither")
"""Every label rolecls gives, in display order."""
SIDES = ("product", "project")


class DocumentStage(NamedTuple):
    """A fitted document stage: its labels, weights on the two mass features, intercepts and scale."""

    classes: list[str]
    coef: numpy.ndarray  # (labels, 2): weights of P / (D + scale) and J / (D + scale)
    intercept: numpy.ndarray
    scale: float


def masses(duties: StatementDuties, documents: int) -> numpy.ndarray:
    """Each text's product and project mass, as a (texts, 2) array."""
    return numpy.column_stack(
        [
            numpy.bincount(duties.document, weights=duties.product, minlength=documents),
            numpy.bincount(duties.document, weights=duties.project, minlength=documents),
        ]
    )


def mass_features(mass: numpy.ndarray, scale: float) -> numpy.ndarray:
    """The document stage's features: the product and project masses over the duty mass plus ``scale``."""
    return mass / (mass.sum(axis=1, keepdims=True) + scale)


def role_mix(mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's product and project share of its duty mass (both 0 for a text without duties)."""
    total = mass.sum(axis=1, keepdims=True)
    return numpy.divide(mass, total, out=numpy.zeros_like(mass), where=total > 0)


def contributions(stage: DocumentStage, duties: StatementDuties, mass: numpy.ndarray) -> numpy.ndarray:
    """Each statement's contribution to each label's decision value, as a (statements, labels) array."""
    denominator = mass.sum(axis=1)[duties.document] + stage.scale
    sides = numpy.column_stack([duties.product, duties.project]) / denominator[:, numpy.newaxis]
    return sides @ stage.coef.T


def decision_values(stage: DocumentStage, mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's decision value per label: its intercept plus the sum of its statements' contributions."""
    return mass_features(mass, stage.scale) @ stage.coef.T + stage.intercept
