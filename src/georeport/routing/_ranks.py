"""The arithmetic of ranks, shared by the router and its explanations.

A jurisdiction's rank for a service is one ``int64``:
``(rule rank * 2 * LEVELS + level rank) * n + index``, where the rule rank is
the position of the first rule that lifts it (the number of rules when none
does), the level rank is ``LEVELS - level`` for a jurisdiction with a
boundary and ``2 * LEVELS - level`` for one without (after all of them), and
``n`` the number of jurisdictions. The lowest rank wins; ``rank // n`` is the
tier two jurisdictions tie on; ``NONE`` marks a service not handled.
"""

from __future__ import annotations

import numpy as np

from georeport.routing.jurisdictions import Level

__all__ = ["LEVELS", "NONE"]

NONE = int(np.iinfo(np.int64).max)
"""The rank of a jurisdiction that does not handle a service."""
LEVELS = len(Level)
"""How many levels of government there are."""
