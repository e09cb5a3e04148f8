"""Finding the uncertain inputs of a scenario and what each one moves.

An uncertain input is a :class:`~wager.scenario.distribution.Distribution`
written where a number goes. The core sees a model at central values plus,
for each input, the model parameters it moves and by how much per unit: the
model is affine in every scenario number (series interpolate linearly,
contracts spread a total evenly), so bumping the input by one unit and
reading the change in the core's parameter vector gives those weights
exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from wager.compile.model import kernel_model
from wager.kernel import core
from wager.kernel.contract import DistributionDict, InputDict
from wager.scenario.distribution import Distribution, Path, distribution_leaves, path_name
from wager.scenario.schema import Scenario

__all__ = ["UncertainInput", "central_scenario", "distribution_dict", "find_inputs", "replace_at"]


def replace_at(node: Any, path: Path, value: Any) -> Any:
    """A copy of ``node`` with the leaf at ``path`` replaced (no validation)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(
            update={str(head): replace_at(getattr(node, str(head)), rest, value)}
        )
    if isinstance(node, Mapping):
        key = next(k for k in node if str(k) == str(head))
        return {**node, key: replace_at(node[key], rest, value)}
    if isinstance(node, list | tuple):
        i = int(head)
        items = list(node)
        items[i] = replace_at(items[i], rest, value)
        return items
    raise KeyError(path)


def central_scenario(
    scenario: Scenario, leaves: list[tuple[Path, Distribution]] | None = None
) -> Scenario:
    """The scenario with every distribution replaced by its central value
    (median); ``leaves`` are ``distribution_leaves(scenario)`` if known."""
    out = scenario
    for path, dist in distribution_leaves(scenario) if leaves is None else leaves:
        out = replace_at(out, path, dist.central())
    return out


def distribution_dict(dist: Distribution) -> DistributionDict:
    """A distribution as the core's sampler reads it (canonical parameters, bounds)."""
    spec = dist.core_spec()
    return {
        "kind": str(spec["kind"]),
        "a": float(spec["a"]),
        "b": float(spec["b"]),
        "c": float(spec["c"]),
        "lower": float(spec["lower"]),
        "upper": float(spec["upper"]),
    }


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input and the core parameters it moves."""

    name: str
    distribution: Distribution
    central: float
    targets: list[int]
    weights: list[float]

    def core_dict(self) -> InputDict:
        """The dict the core reads."""
        return {
            "name": self.name,
            "distribution": distribution_dict(self.distribution),
            "central": self.central,
            "targets": self.targets,
            "weights": self.weights,
        }


def find_inputs(scenario: Scenario) -> tuple[Scenario, list[UncertainInput]]:
    """The central scenario and its uncertain inputs with their parameter weights."""
    found = distribution_leaves(scenario)
    centre = central_scenario(scenario, found)
    if not found:
        return centre, []
    _, base = core.parameters(kernel_model(centre))
    inputs: list[UncertainInput] = []
    for path, dist in found:
        name = path_name(path)
        c = dist.central()
        _, bumped = core.parameters(kernel_model(replace_at(centre, path, c + 1.0)))
        delta = np.asarray(bumped) - np.asarray(base)
        nz = np.flatnonzero(np.abs(delta) > 1e-12)
        inputs.append(
            UncertainInput(name, dist, c, [int(i) for i in nz], [float(delta[i]) for i in nz])
        )
    return centre, inputs
