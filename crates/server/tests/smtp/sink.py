"""A real SMTP server for the outbound mail tests and benchmark: aiosmtpd on 127.0.0.1.

Usage: sink.py DIR [PORT]. Binds PORT (default 0: the system picks a free one), prints
"PORT <n>" on stdout once it accepts connections, and stores every message it accepts as
DIR/<n>.eml (written to a temporary name, then renamed: a reader never sees half a message).
While DIR/down exists, every connection is dropped before the greeting, as a server that is
down or restarting would: the client sees the connection fail, on the same port.
"""

import asyncio
import itertools
import os
import sys

from aiosmtpd.smtp import SMTP

DIR = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0
COUNTER = itertools.count(1)


class Store:
    async def handle_DATA(self, server, session, envelope):
        n = next(COUNTER)
        tmp = os.path.join(DIR, f".{n}.tmp")
        with open(tmp, "wb") as f:
            f.write(b"X-Sink-Mail-From: " + envelope.mail_from.encode() + b"\r\n")
            for rcpt in envelope.rcpt_tos:
                f.write(b"X-Sink-Rcpt-To: " + rcpt.encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(DIR, f"{n:06}.eml"))
        return "250 OK stored"


class MaybeDown(SMTP):
    def connection_made(self, transport):
        if os.path.exists(os.path.join(DIR, "down")):
            transport.abort()
            return
        super().connection_made(transport)

    def connection_lost(self, exc):
        if self.transport is None:
            return
        super().connection_lost(exc)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: MaybeDown(Store(), decode_data=False, data_size_limit=10 * 1024 * 1024),
        host="127.0.0.1",
        port=PORT,
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
