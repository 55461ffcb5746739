"""Exceptions raised by rolecls for problems a user can fix."""

from __future__ import annotations


class RoleclsError(Exception):
    """Base class: a problem with the user's input, model or data, with a readable message."""


class InputError(RoleclsError):
    """The text to classify cannot be read or is unusable (missing, empty, undecodable)."""


class ModelError(RoleclsError):
    """A model file is missing, corrupt, tampered with, or from an incompatible version."""


class TrainingDataError(RoleclsError):
    """Training data is unusable (unknown labels, empty texts, too few examples)."""
