"""The results layer: what every result offers besides its numbers.

Tidy frames and atomic exports (``export``), the run manifest
(``manifest``), and the hooks through which the presentation layer gives
results ``.plot``, ``.report()`` and ``_repr_html_`` (``presentation``).
"""
