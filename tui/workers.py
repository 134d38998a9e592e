"""Services on Textual thread workers: one connection per call, every failure one sentence.

A page or widget starts a service with `run_worker(partial(service_call, fn, ...),
thread=True, ...)` or a `@work(thread=True)` method that returns `service_call(...)`; the
answer comes back on the UI thread as Textual's Worker.StateChanged (SUCCESS with
`worker.result`, ERROR with `worker.error`, always a DomainError here). A worker replaced by
a newer one of its group (exclusive) ends CANCELLED and its answer is dropped by Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.message import Message
from textual.worker import WorkerState

from models.applog import unexpected
from models.db import database_error, session
from models.errors import DomainError

T = TypeVar("T")
FINISHED = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


class UnexpectedError(DomainError):
    """A bug, logged with its traceback: its text is the one sentence naming the log file."""


def as_domain_error(error: BaseException, where: str = "") -> DomainError:
    """The sentence the admin reads for `error`: its own for a DomainError, the command
    line's for a driver error (a locked store, a full disk), else logged as a bug."""
    if isinstance(error, DomainError):
        return error
    problem = database_error(error)
    if problem is not None:
        return problem
    return UnexpectedError(unexpected(error, where))


def service_call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """On a worker thread: `fn(*args, **kwargs)` on its own connection. Anything it raises
    leaves as a DomainError whose text is the sentence to show."""
    try:
        with session():
            return fn(*args, **kwargs)
    except DomainError:
        raise
    except Exception as error:  # noqa: BLE001 - turned into its sentence, a bug logged
        raise as_domain_error(error, getattr(fn, "__name__", "")) from error


class ServiceFailed(Message):
    """A widget's service failed: the page around it shows the sentence (PageScreen does)."""

    def __init__(self, error: DomainError) -> None:
        super().__init__()
        self.error = error
