"""Decide from duties alone: the document's decision values, split exactly over its statements.

A text's product mass ``P``, project mass ``J`` and work mass ``W`` are the sums of its statements'
weights (``rolecls.duties``); its role mix is ``P / (P + J)``. The document stage is a multinomial
logistic regression on three features: ``P / (P + J + scale)`` and ``J / (P + J + scale)``, which tell how
much management duty a text holds and on which side (for a text with many duties they tend to the role mix
and its complement), and ``W / (W + scale)``, how much other work it holds (``rolecls.stagefit``). Other
work does not dilute the management features: a role that has management duties worth the name is not
neither however much hands-on work it also lists. Every label's decision value is its intercept plus, for
each statement, its weights times the label's coefficients over their feature's denominator: an exact
decomposition over the statements, in which a statement that is not a duty contributes nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy

from rolecls.duties import StatementDuties, per_text

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
    return per_text(duties.weights(), duties.document, documents)


def denominators(mass: numpy.ndarray, scale: float) -> numpy.ndarray:
    """For each text, what its product, project and work weights are divided by: (texts, 3)."""
    management = mass[:, :2].sum(axis=1) + scale
    return numpy.column_stack([management, management, mass[:, 2] + scale])


def mass_features(mass: numpy.ndarray, scale: float) -> numpy.ndarray:
    """The document stage's features: the product and project masses over their sum plus ``scale``, and the
    work mass over itself plus ``scale``."""
    return mass / denominators(mass, scale)


def role_mix(mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's product and project share of its management duty mass (both 0 without such duties)."""
    sides = mass[:, :2]
    total = sides.sum(axis=1, keepdims=True)
    return numpy.divide(sides, total, out=numpy.zeros_like(sides), where=total > 0)


def contributions(stage: DocumentStage, duties: StatementDuties, mass: numpy.ndarray) -> numpy.ndarray:
    """Each statement's contribution to each label's decision value, as a (statements, labels) array."""
    return (duties.weights() / denominators(mass, stage.scale)[duties.document]) @ stage.coef.T


def decision_values(stage: DocumentStage, mass: numpy.ndarray) -> numpy.ndarray:
    """Each text's decision value per label: its intercept plus the sum of its statements' contributions."""
    return mass_features(mass, stage.scale) @ stage.coef.T + stage.intercept
