"""The stats layer: pure NumPy/pandas decoding of what the core returns.

Estimators from the core's exact sums and histograms (``estimators``),
a cell's headline row (``cell_summary``) and the names tables share
(``names``). It imports ``kernel.layout`` only.
"""
