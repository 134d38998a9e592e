"""regionadmin: the only top-level name this distribution installs.

The source tree keeps DESIGN.md's folders `models/`, `reports/` and `tui/` at the top, and
the code imports them by those names. A wheel installs them inside this package
(site-packages/regionadmin/models, …) so they never collide with another distribution's
`models` or `tui`; importing this package puts the folder that holds them first on
sys.path, for this process only.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
# Installed from a wheel: the three folders are inside this package. In the source tree
# (and an editable install of it) they stand beside it.
_ROOT = _HERE if os.path.isdir(os.path.join(_HERE, "models")) else os.path.dirname(_HERE)
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)


def entry() -> None:
    """The console script `regionadmin`."""
    import gc

    # No cyclic garbage collection while the program loads: its modules make many objects
    # and hardly any garbage, and each collection walked them all again (10–30 ms of a
    # start, most with psycopg). tui.cli turns it back on before the command or TUI runs.
    gc.disable()
    from tui.cli import entry as cli_entry

    cli_entry()
