"""Exceptions the engine raises to its callers."""


class IllegalAction(ValueError):
    """An order that the rules refuse. The state is left exactly as it was.

    The message is English text.  ``reason`` (optional) names the refusal for a front end that
    words it itself, in another language for instance (``"move.mp"``), and ``fields`` holds its
    figures (unit ids, hex ids, numbers)."""

    def __init__(self, message: str, reason: str | None = None, **fields):
        super().__init__(message)
        self.reason = reason
        self.fields = fields
