"""Python logging -> s3logger: one JSON object per line over TCP (standard library only).

Usage as a test client: python3 python_json_logging.py HOST PORT COUNT
"""
import json
import logging
import logging.handlers
import sys
import time


class JsonFormatter(logging.Formatter):
    """One JSON object per record; add the fields you need."""

    def format(self, record):
        event = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + ".%03dZ" % record.msecs,
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


class JsonSocketHandler(logging.handlers.SocketHandler):
    """SocketHandler sends pickles; this sends the formatted record and a newline instead.

    It reconnects by itself (after 1 s, doubling up to 30 s) but drops records while the
    connection is down: see docs/clients.md.
    """

    def makePickle(self, record):
        return (self.format(record) + "\n").encode("utf-8")


def s3logger_handler(host, port):
    handler = JsonSocketHandler(host, port)
    formatter = JsonFormatter()
    formatter.converter = time.gmtime  # times in UTC
    handler.setFormatter(formatter)
    return handler


def message(i):
    """The test's event text (the Java side expects exactly this)."""
    return "event %05d caf\u00e9 \"quoted\" \u00fc \\ back\ttab \U0001F600 " % i + "x" * (i % 40)


if __name__ == "__main__":
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    log = logging.getLogger("app")
    log.setLevel(logging.INFO)
    log.addHandler(s3logger_handler(host, port))
    for i in range(count):
        log.info(message(i))
    logging.shutdown()
