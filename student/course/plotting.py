"""Plotting helpers shared by the lessons and the demo."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_feature_maps"]


def plot_feature_maps(
    image: np.ndarray,
    maps: Mapping[str, np.ndarray],
    title: str = "",
    image_title: str = "input",
) -> Figure:
    """Show an image next to its feature maps, one panel each, with a shared colour scale.

    Positive responses are red, negative ones blue, zero white, so that the maps of
    opposite edge filters read as mirror images.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Shown in grey on the left.
    maps : mapping of str to array_like, shape (H', W')
        Feature maps, titled by their keys.
    title : str, optional
        Title of the whole figure.
    image_title : str, default "input"
        Title of the image's panel.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> figure = plot_feature_maps(np.eye(4), {"copy": np.eye(4), "negated": -np.eye(4)})
    >>> len(figure.axes)  # the image, two maps and the colour bar
    4
    >>> plt.close(figure)
    """
    arrays = {name: np.asarray(values) for name, values in maps.items()}
    limit = max(float(np.abs(values).max()) for values in arrays.values()) or 1.0
    figure, axes = plt.subplots(
        1, len(arrays) + 1, figsize=(2.6 * (len(arrays) + 1), 3.0), layout="constrained"
    )
    axes[0].imshow(image, cmap="gray", vmin=0.0)
    axes[0].set_title(image_title)
    for axis, (name, values) in zip(axes[1:], arrays.items(), strict=True):
        shown = axis.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axis.set_title(name)
    for axis in axes:
        axis.set_xlabel("column")
    axes[0].set_ylabel("row")
    figure.colorbar(shown, ax=axes[1:], shrink=0.8, label="response")
    if title:
        figure.suptitle(title)
    return figure
