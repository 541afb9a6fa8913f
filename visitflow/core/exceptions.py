from typing import Any


class ApplicationError(Exception):
    """A domain rule was broken; `message` is translated and safe to show to the user.

    `field_errors` maps form field names to messages, so views and the API can show
    each message next to the field it belongs to.
    """

    def __init__(self, message: Any, *, field_errors: dict[str, list[Any]] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field_errors = field_errors or {}
