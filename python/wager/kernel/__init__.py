"""The kernel layer: the only importer of the compiled core (``wager._core``).

Typed wrappers of the core (``core``), the dicts it reads (``contract``),
the layout of what it returns (``layout``), where a run executes, local
threads or Dask (``execution``), progress reporting (``progress``) and what
this build is (``versions``). It imports nothing of wager's layers above
it (``docs/architecture.md``).
"""
