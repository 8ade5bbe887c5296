"""The four edge directions of the course's Sobel kernels, in the order every lesson,
figure and filter bank uses."""

from __future__ import annotations

__all__ = ["EDGE_DIRECTIONS"]

#: The four stroke edges of a bright digit on a dark background: ``"left"`` responds where
#: brightness rises from left to right, ``"top"`` where it rises from top to bottom.
EDGE_DIRECTIONS = ("left", "right", "top", "bottom")
