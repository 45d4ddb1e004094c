"""An SMTP receiver for the tests: aiosmtpd on 127.0.0.1, port 0 (the bound port is printed
as the first line of stdout), relaying every message to Dovecot's LMTP socket given as the
first argument. Started and stopped by crates/server/tests/it/mailserver.rs."""

import asyncio
import smtplib
import sys

from aiosmtpd.smtp import SMTP


class RelayToLmtp:
    def __init__(self, lmtp_socket):
        self.lmtp_socket = lmtp_socket

    async def handle_DATA(self, server, session, envelope):
        def deliver():
            with smtplib.LMTP(self.lmtp_socket) as lmtp:
                refused = lmtp.sendmail(envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
                return refused

        try:
            refused = await asyncio.get_running_loop().run_in_executor(None, deliver)
        except smtplib.SMTPException as e:
            return f"451 LMTP delivery failed: {type(e).__name__}"
        if refused:
            return "451 LMTP refused some recipients"
        return "250 OK delivered"


async def main():
    handler = RelayToLmtp(sys.argv[1])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, decode_data=False, enable_SMTPUTF8=True), "127.0.0.1", 0
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    # Until the test closes our stdin (or kills us).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
