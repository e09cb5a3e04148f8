"""Type stubs for the compiled module ``wager._core`` (private)."""

from typing import Any

build_info: dict[str, Any]

class InputError(ValueError): ...

def project(
    model: dict[str, Any], regime_path: list[int] = ..., record_steps: bool = False
) -> dict[str, Any]:
    """Deterministic projection of one model dict.

    Returns ``start_year``, ``columns`` (list of str), ``values`` (float64
    array [variable, year]), ``segment_revenue`` ([segment, year]), ``events``
    (dict) and, with ``record_steps``, ``step_values`` and
    ``step_segment_revenue`` ([., step]).
    """
