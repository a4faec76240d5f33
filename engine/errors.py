"""Exceptions raised by the engine. Each message names what went wrong and what to do."""


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class SpecError(EngineError, ValueError):
    """An invalid network specification, parameter or data value.

    `field` is the dotted name of the offending input (e.g. ``layers[2]``).
    """

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class OrderError(EngineError):
    """A step called out of order. `allowed` is the action that may come next."""

    def __init__(self, action: str, allowed: str, where: str):
        super().__init__(f"cannot {action} now: {where}. The next allowed action is '{allowed}'.")
        self.action = action
        self.allowed = allowed


class DivergenceError(EngineError):
    """A value became non-finite. Nothing was changed."""

    def __init__(self, stage: str, iteration: int, remedy: str):
        super().__init__(
            f"a value overflowed (became non-finite) during {stage} of iteration "
            f"{iteration}; nothing was changed. {remedy}"
        )
        self.stage = stage
        self.iteration = iteration
        self.remedy = remedy
