"""The analyses layer: each public entry point beside its result class.

``projection`` (project), ``simulation`` (simulate), ``comparison``
(compare), ``stress_grid`` (stress), ``reverse_stress``, ``sensitivity``
(tornado, sobol) and ``race``; ``run`` is the one run path they share
(options, cells on common random numbers, the core call).
"""
