"""Decide from duties alone: the document's decision values, split exactly over its statements.

A text's product mass ``P``, project mass ``J`` and work mass ``W`` are the sums of its statements'
weights (``rolecls.duties``); its role mix is ``P / (P + J)``. The document stage is a multinomial
logistic regression on three features, the masses over ``P + J + W + scale`` (``rolecls.stagefit``).
Product, project and hybrid have no intercept and no weight on ``W``: which of the three wins depends on
the role mix alone, however many duties a text lists; ``neither`` has an intercept and a weight on ``W``,
so a text with little management duty weight, or whose duties are mostly other work, is neither. Every
label's decision value is its intercept plus, for each statement, ``coef[label] . (its weights) /
(P + J + W + scale)``: an exact decomposition over the statements, in which a statement that is not a
duty contributes nothing.
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
    coef: numpy.ndarray  # (labels, 3): weights of the product, project and work mass features
    intercept: numpy.ndarray
    scale: float


def masses(duties: StatementDuties, documents: int) -> numpy.ndarray:
    """Each text's product, project and work mass, as a (texts, 3) array."""
    weights = duties.weights()
    return numpy.column_stack(
        [numpy.bincount(duties.document, weights=weights[:, k], minlength=documents) for k in range(3)]
    )


def mass_features(mass: numpy.ndarray, scale: float) -> numpy.ndarray:
    """The document stage's features: each mass over the total mass plus ``scale``."""
    return mass / (mass.sum(axis=1, keepdims=True) + scale)


def role_mix(mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's product and project share of its management duty mass (both 0 without such duties)."""
    sides = mass[:, :2]
    total = sides.sum(axis=1, keepdims=True)
    return numpy.divide(sides, total, out=numpy.zeros_like(sides), where=total > 0)


def contributions(stage: DocumentStage, duties: StatementDuties, mass: numpy.ndarray) -> numpy.ndarray:
    """Each statement's contribution to each label's decision value, as a (statements, labels) array."""
    denominator = mass.sum(axis=1)[duties.document] + stage.scale
    return (duties.weights() / denominator[:, numpy.newaxis]) @ stage.coef.T


def decision_values(stage: DocumentStage, mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's decision value per label: its intercept plus the sum of its statements' contributions."""
    return mass_features(mass, stage.scale) @ stage.coef.T + stage.intercept
