"""Correlation matrices for the Gaussian copula: checks, repair and factor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Repair", "nearest_correlation", "psd_cholesky"]


@dataclass(frozen=True)
class Repair:
    """What repairing a correlation matrix changed.

    Attributes
    ----------
    max_change
        Largest absolute change of one entry.
    frobenius_change
        Frobenius norm of the change.
    smallest_eigenvalue_before
        The smallest eigenvalue of the matrix as given.
    """

    max_change: float
    frobenius_change: float
    smallest_eigenvalue_before: float


def nearest_correlation(a: np.ndarray, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """The nearest correlation matrix in Frobenius norm (Higham 2002).

    Alternating projections onto the positive semi-definite cone and onto the
    matrices with unit diagonal, with Dykstra's correction.
    """
    y = np.array(a, dtype=float)
    ds = np.zeros_like(y)
    for _ in range(max_iter):
        r = y - ds
        w, v = np.linalg.eigh((r + r.T) / 2)
        x = (v * np.clip(w, 0.0, None)) @ v.T
        ds = x - r
        y_next = x.copy()
        np.fill_diagonal(y_next, 1.0)
        size = max(1.0, float(np.linalg.norm(y, "fro")))
        if float(np.linalg.norm(y_next - y, "fro")) <= tol * size:
            y = y_next
            break
        y = y_next
    # A last projection keeps it PSD to rounding, with a unit diagonal.
    w, v = np.linalg.eigh((y + y.T) / 2)
    y = (v * np.clip(w, 0.0, None)) @ v.T
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    out: np.ndarray = (y + y.T) / 2
    return out


def psd_cholesky(a: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """A lower-triangular L with L L^T = a, for a positive semi-definite a.

    Unlike ``numpy.linalg.cholesky`` it accepts singular matrices (perfectly
    correlated inputs): a zero pivot gives a zero column.
    """
    n = a.shape[0]
    low = np.zeros((n, n))
    for j in range(n):
        d = a[j, j] - low[j, :j] @ low[j, :j]
        if d <= tol:
            continue
        low[j, j] = np.sqrt(d)
        for i in range(j + 1, n):
            low[i, j] = (a[i, j] - low[i, :j] @ low[j, :j]) / low[j, j]
    return low
