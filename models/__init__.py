"""The store and the domain services. Nothing outside this package opens a transaction."""

from .db import database, open_database, resolve_url
from .errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from .operators import Operator, resolve_operator
from .schema import init_schema

__all__ = [
    "Conflict", "DomainError", "NotFound", "Operator", "PermissionDenied", "ValidationError",
    "database", "init_schema", "open_database", "resolve_operator", "resolve_url",
]
