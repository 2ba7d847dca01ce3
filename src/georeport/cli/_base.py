"""What every subcommand module shares: the type of the subparsers it registers on."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TypeAlias

__all__ = ["Subcommands"]

if TYPE_CHECKING:
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subcommands: TypeAlias = Any
