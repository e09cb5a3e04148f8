"""The presentation layer: terminal tables (``tables``), pictures
(``plotting``, matplotlib loaded when drawn) and the HTML report (``report``,
jinja2). It reads results through their public attributes only.
"""
