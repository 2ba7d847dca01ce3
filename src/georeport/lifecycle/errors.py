"""The lifecycle's errors, defined in ``georeport.errors`` and re-exported here."""

from georeport.errors import TransitionError, WorkflowError

__all__ = ["TransitionError", "WorkflowError"]
