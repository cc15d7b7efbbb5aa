"""Is the output directory usable? Asked before any work, so a bad one costs nothing."""

from __future__ import annotations

import os
from pathlib import Path


def output_dir_problem(output_dir: Path) -> str | None:
    """Why briefings can't be written into ``output_dir``, in one line; None when they can.

    A directory that doesn't exist yet is fine when its nearest existing ancestor is a
    writable directory (the writer creates it). Checked up front because the model work
    before the write takes minutes, and a path that is a file is a mistake, not a race.
    """
    path = Path(output_dir)
    if path.exists() and not path.is_dir():
        return f"the output directory {path} is a file, not a folder"
    if path.is_dir():
        if not os.access(path, os.W_OK | os.X_OK):
            return f"the output directory {path} is not writable"
        return None
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"the output directory {path} can't be created: {ancestor} is a file, not a folder"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"the output directory {path} can't be created: {ancestor} is not writable"
    return None
