"""Errors an API client can cause or meet, each with its HTTP status and a stable snake_case code."""

from __future__ import annotations


class ApiError(Exception):
    status = 400

    def __init__(self, code: str, message: str, **details: object) -> None:
        self.code, self.message, self.details = code, message, details
        super().__init__(message)

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, "status": self.status, **self.details}


class BadRequest(ApiError):
    status = 400


class NotFound(ApiError):
    status = 404


class Busy(ApiError):
    """Too many queries at once, or the store is being republished: try again shortly."""

    status = 503
