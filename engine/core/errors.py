"""Exceptions the engine raises to its callers."""


class IllegalAction(ValueError):
    """An order that the rules refuse. The state is left exactly as it was."""
