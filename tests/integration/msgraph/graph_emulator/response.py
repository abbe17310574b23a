"""A transport-independent response: what a request (or a $batch sub-request) answers."""
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    headers: dict = field(default_factory=dict)
    body: object = None  # a JSON value, or None for no body
