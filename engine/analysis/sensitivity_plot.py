"""The PNG of a Morris screening (``xuefeng sensitivity``): one panel per target, mu* per
parameter as a bar and sigma as a dot, in the target's units."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def plot(res: dict, path: Path) -> None:
    """Draw ``res`` (:func:`engine.analysis.sensitivity.run`'s result) to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = list(res["targets"])
    names = list(res["parameters"])
    k = len(names)
    ncol = min(4, len(targets))
    nrow = -(-len(targets) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.4 * ncol + 1.5, 0.9 + nrow * (0.3 * k + 1.1)), dpi=100,
                             sharey=True, squeeze=False)
    axes = axes.ravel()
    y = np.arange(k)[::-1]
    for ax, target in zip(axes, targets):
        r = res["results"][target]
        mu = np.array([r[n]["mu_star"] for n in names], dtype=float)
        sig = np.array([r[n]["sigma"] for n in names], dtype=float)
        # the three largest mu*, by value (a parameter with no effect may carry no rank)
        top = {n for n in sorted(names, key=lambda n: -np.nan_to_num(r[n]["mu_star"]))[:3] if r[n]["mu_star"] > 0}
        ax.barh(y, np.nan_to_num(mu), color=["#c0392b" if n in top else "#5c8fbf" for n in names])
        ax.plot(np.nan_to_num(sig), y, "o", color="#333333", ms=3.5)
        ax.set_title(target, fontsize=9)
        ax.grid(axis="x", color="#dddddd")
        ax.tick_params(axis="both", labelsize=8)
    axes[0].set_yticks(y)
    axes[0].set_yticklabels([f"{n} [{lo:g}, {hi:g}]" for n, (lo, hi) in zip(names, res["bounds"])], fontsize=8)
    for ax in axes[len(targets):]:
        ax.axis("off")
    fig.suptitle(f"Morris screening of {res['scenario']}: mu* (bar; red = the target's top three) and sigma (dot), "
                 f"in the target's units over each parameter's range — {res['trajectories']} trajectories, "
                 f"{res['points']} points x {res['runs']} runs, seed {res['seed']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
