"""Loss history: (iteration, loss) pairs, evenly decimated to stay bounded."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..limits import MAX_HISTORY_POINTS


@dataclass
class LossHistory:
    """Keeps the loss of every `stride`-th iteration; the stride doubles whenever more than
    MAX_HISTORY_POINTS − 1 points would be kept. The latest point is always kept too.
    Points are [iteration, loss] lists, as JSON has them, and are never changed once made,
    so copies of the history may share them."""

    stride: int = 1
    points: list[list] = field(default_factory=list)
    last: list | None = None

    def append(self, iteration: int, loss: float) -> None:
        self.last = [iteration, loss]
        if iteration % self.stride:
            return
        self.points.append(self.last)
        while len(self.points) > MAX_HISTORY_POINTS - 1:
            self.stride *= 2
            self.points = [p for p in self.points if p[0] % self.stride == 0]

    def extend(self, first_iteration: int, losses) -> None:
        for i, loss in enumerate(losses):
            self.append(first_iteration + i, float(loss))

    def as_list(self) -> list[list]:
        """At most MAX_HISTORY_POINTS [iteration, loss] pairs, oldest first."""
        out = list(self.points)
        if self.last is not None and (not out or out[-1][0] != self.last[0]):
            out.append(self.last)
        return out
