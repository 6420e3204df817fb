"""Errors a service raises for bad input or a forbidden act; the API and pages turn
them into a 4xx response naming the field and the reason."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, *, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class Invalid(ServiceError):
    status = 422


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str, *, field: str = "", code: str = "not_found") -> None:
        super().__init__(message, field=field, code=code)


class Forbidden(ServiceError):
    status = 403

    def __init__(self, message: str, *, field: str = "", code: str = "forbidden") -> None:
        super().__init__(message, field=field, code=code)


class Conflict(ServiceError):
    status = 409

    def __init__(self, message: str, *, field: str = "", code: str = "conflict") -> None:
        super().__init__(message, field=field, code=code)


class TooManyRequests(ServiceError):
    """429: too many tries; send again after `retry_after` seconds (Retry-After)."""

    status = 429

    def __init__(
        self, message: str, *, retry_after: int, field: str = "", code: str = "too_many"
    ) -> None:
        super().__init__(message, field=field, code=code)
        self.retry_after = retry_after
