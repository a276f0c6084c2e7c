"""A local SMTP server for the outbox benchmark, in its own process:
``python -m bench.smtp_sink PORT FILE`` appends each message's Message-ID to FILE."""

import asyncio
import email.parser
import signal
import sys

from aiosmtpd.controller import Controller

HEADERS = email.parser.BytesHeaderParser()


class Recorder:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        message_id = HEADERS.parsebytes(envelope.content).get("Message-ID", "-")
        self.out.write(f"{message_id}\n")
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a", buffering=1) as out:
        controller = Controller(
            Recorder(out),
            hostname="127.0.0.1",
            port=port,
            loop=asyncio.new_event_loop(),
        )
        controller.start()
        print("ready", flush=True)
        try:
            signal.sigwait({signal.SIGTERM, signal.SIGINT})
        finally:
            controller.stop()


if __name__ == "__main__":
    main()
