"""Python logging -> s3logger: one JSON object per line over TCP (standard library only).

Usage as a test client: python3 python_json_logging.py HOST PORT COUNT [EVENTS_PER_SECOND [plain]]
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
    """Sends each record as one JSON line, and waits for the server rather than dropping.

    The standard SocketHandler sends pickles, and drops records while it cannot connect (it
    tries again only after 1 s, 2 s, 4 s, ... up to 30 s). This one reconnects every `retry`
    seconds and keeps the record, for at most `patience` seconds per record: the logging call
    blocks that long while the server is down (put it behind a logging.handlers.QueueHandler to
    keep the application's threads free).
    """

    def __init__(self, host, port, patience=30.0, retry=0.5):
        super().__init__(host, port)
        self.patience = patience
        self.retry = retry

    def makePickle(self, record):
        return (self.format(record) + "\n").encode("utf-8")

    def emit(self, record):
        try:
            data = self.makePickle(record)
        except Exception:
            self.handleError(record)
            return
        deadline = time.monotonic() + self.patience
        while True:
            try:
                if self.sock is None:
                    self.sock = self.makeSocket()
                self.sock.sendall(data)
                return
            except OSError:
                if self.sock is not None:
                    self.sock.close()
                    self.sock = None
                if time.monotonic() >= deadline:
                    self.handleError(record)
                    return
                time.sleep(self.retry)


class PlainJsonSocketHandler(logging.handlers.SocketHandler):
    """The standard SocketHandler's behaviour with JSON lines (for comparison in the tests)."""

    def makePickle(self, record):
        return (self.format(record) + "\n").encode("utf-8")


def s3logger_handler(host, port, handler_class=JsonSocketHandler):
    handler = handler_class(host, port)
    formatter = JsonFormatter()
    formatter.converter = time.gmtime  # times in UTC
    handler.setFormatter(formatter)
    return handler


def message(i):
    """The test's event text (the Java side expects exactly this)."""
    return "event %05d caf\u00e9 \"quoted\" \u00fc \\ back\ttab \U0001F600 " % i + "x" * (i % 40)


if __name__ == "__main__":
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    log = logging.getLogger("app")
    log.setLevel(logging.INFO)
    plain = len(sys.argv) > 5 and sys.argv[5] == "plain"
    log.addHandler(s3logger_handler(host, port, PlainJsonSocketHandler if plain else JsonSocketHandler))
    start = time.monotonic()
    for i in range(count):
        if rate and i % 100 == 0:
            time.sleep(max(0.0, start + i / rate - time.monotonic()))
        log.info(message(i))
        if i == 0:
            print("sending", flush=True)  # the restart measurement starts its clock here
    logging.shutdown()
