"""The compile layer: the one place where scenario fields become kernel inputs.

The model dict (``model``), uncertain inputs and their weights
(``uncertainty``) and copula (``correlation``), the shared world (``world``),
a stress's shocks (``shocks``), a prepared strategy, one cell of a run
(``prepared``), the config of a run (``run_config``) and its memory estimate
(``memory``). It imports ``scenario``, ``presets``, ``stresses`` and ``kernel``.
"""
