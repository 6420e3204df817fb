"""A people service is its own transaction: durable where it is the outer boundary.

`transaction.atomic(durable=True)` refuses to run inside another transaction, which
is the point: a caller cannot fold the service into a larger unit of work by
accident. Two callers must, and say so by calling `.nested(...)`: the admin site
(Django wraps every change form in a transaction of its own) and the demo generator
(which loads the whole district in one transaction). `.nested` runs the same body
in a savepoint of the caller's transaction.
"""

import functools
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

# Who acts, for the audit trail: a signed-in user, or None for the system (the demo
# generator, an import). people sits below accounts, so not accounts.User.
Actor = AbstractBaseUser | AnonymousUser | None

P = ParamSpec("P")
R = TypeVar("R")


class Service(Generic[P, R]):
    def __init__(self, body: Callable[P, R]) -> None:
        self._body = body
        functools.update_wrapper(self, body)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return self._body(*args, **kwargs)

    def nested(self, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            return self._body(*args, **kwargs)


def service(body: Callable[P, R]) -> Service[P, R]:
    return Service(body)
