"""One JSON object per log line in production, each carrying the id of the request it is about."""

import json
import logging
from contextvars import ContextVar

# Set by RequestMonitoringMiddleware for the duration of a request.
request_id: ContextVar[str] = ContextVar("newsroom_request_id", default="")

# Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is being answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


# Made once: json.dumps() with any option builds a new encoder per call.
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    # The time is written to the second: formatted once per second, not once per line.
    _second: int | None = None
    _time = ""

    def format(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if second != self._second:
            self._time = self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")
            self._second = second
        line = {
            "time": self._time,
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _encode(line)
