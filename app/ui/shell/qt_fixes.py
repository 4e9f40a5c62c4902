"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

Every time Qt hands an empty value back to Python — ``QComboBox.currentData()`` on an item
without data, ``QModelIndex.data()`` for a role the model leaves empty, ``QObject.property()``
for a property never set, and so on — PySide6 6.12 returns ``None`` without taking the
reference it gives away. Python 3.11 counts references to ``None`` like any other object's
(3.12 made it immortal), so each such call takes one away for good; a long day of work in the
window would bring the count to zero and the interpreter stops with "deallocating None". The
app asks Qt for such values in many places (a combo box's chosen year, a table item's id).

The guard keeps a reserve of references to ``None`` that is never given back: a tuple full of
``None`` whose own count is raised once, so that neither the collector nor the interpreter's
shutdown ever frees it. The window tops the reserve up when the count runs low. Nothing is
done where the bug cannot bite (``None`` is immortal from Python 3.12).
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 200_000  # references a top-up adds: 1.6 MB, enough for days of work
LOW_WATER = 50_000  # top up when the count falls below this

_MORTAL_NONE = sys.version_info < (3, 12)


def top_up() -> bool:
    """Add a reserve of references to ``None`` when its count runs low; True if added."""
    if not _MORTAL_NONE or sys.getrefcount(None) >= LOW_WATER:
        return False
    reserve = (None,) * RESERVE
    # The tuple itself is never released, so the references it holds stay.
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(reserve))
    return True
