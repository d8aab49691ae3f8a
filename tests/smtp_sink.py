"""A real SMTP server in the test process, small enough to read: it speaks the commands
smtplib sends (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every message it accepts,
and refuses the recipients a test names (550), so that one unit's mail can fail."""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

_ADDRESS = re.compile(r"<([^>]*)>")


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class Sink:
    port: int = 0
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, *lines: str) -> None:
        for k, line in enumerate(lines):
            code, text = line.split(" ", 1)
            joiner = "-" if k < len(lines) - 1 else " "
            self.wfile.write(f"{code}{joiner}{text}\r\n".encode())

    def handle(self) -> None:
        sink: Sink = self.server.sink  # type: ignore[attr-defined]
        sender, recipients = "", []
        self._say("220 sink ready")
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command[:4].upper()
            found = _ADDRESS.search(command)
            address = found.group(1) if found else ""
            if verb == "EHLO":
                self._say("250 sink", "250 8BITMIME")
            elif verb == "MAIL":
                sender, recipients = address, []
                self._say("250 ok")
            elif verb == "RCPT":
                if address in sink.refuse:
                    self._say("550 no such mailbox")
                else:
                    recipients.append(address)
                    self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go ahead")
                body = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                sink.received.append(Received(sender, recipients, b"".join(body)))
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            elif verb in ("HELO", "RSET", "NOOP"):
                self._say("250 ok")
            else:
                self._say("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_sink() -> Iterator[Sink]:
    with _Server(("127.0.0.1", 0), _Handler) as server:
        server.sink = Sink(port=server.server_address[1])  # type: ignore[attr-defined]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.sink  # type: ignore[attr-defined]
        finally:
            server.shutdown()


def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
