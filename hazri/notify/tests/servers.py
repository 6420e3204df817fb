"""Real servers on 127.0.0.1 for the channels' tests: an SMTP server (aiosmtpd), an SMS
gateway and a push service (http.server), each started on a free port and stopped."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@dataclass
class Recorded:
    requests: list[dict[str, Any]] = field(default_factory=list)
    # The answers to give, in turn (status, or "slow": answer after the client gave up);
    # the last one repeats.
    answers: list[Any] = field(default_factory=lambda: [200])


@contextmanager
def http_server(
    answers: list[Any] | None = None, slow: float = 1.5
) -> Iterator[tuple[str, Recorded]]:
    record = Recorded(answers=answers or [200])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record.requests.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
            index = min(len(record.requests), len(record.answers)) - 1
            answer = record.answers[index]
            if answer == "slow":
                time.sleep(slow)
                answer = 200
            try:
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "queued"}' if answer < 300 else b'{"error": "busy"}')
            except OSError:  # the client gave up waiting (the timeout test)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", record
    finally:
        server.shutdown()
        server.server_close()
