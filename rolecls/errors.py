"""Exceptions raised by rolecls for problems a user can fix, and warnings about less reliable results."""

from __future__ import annotations


class RoleclsError(Exception):
    """Base class: a problem with the user's input, model or data, with a readable message."""


class InputError(RoleclsError):
    """The text to classify cannot be read or is unusable (missing, empty, undecodable)."""


class ModelError(RoleclsError):
    """A model file is missing, corrupt, tampered with, or from an incompatible version."""


class TrainingDataError(RoleclsError):
    """Training data is unusable (unknown labels, empty texts, too few examples)."""


class RoleclsWarning(UserWarning):
    """Base class: rolecls went on, but the result may be less reliable than usual."""


class TruncationWarning(RoleclsWarning):
    """An input was longer than rolecls classifies and only its beginning was used."""


class LanguageWarning(RoleclsWarning):
    """An input does not look like English, which the model was trained on."""


class ModelWarning(RoleclsWarning):
    """A model loads, but something about it deserves attention (for example it has no card)."""
