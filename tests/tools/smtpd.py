#!/usr/bin/env python3
"""smtpd.py: Debian's aiosmtpd (its own SMTP class, its own AUTH, STARTTLS
and SIZE) on loopback, with the behaviours the tests need, for
tests/lib.sh's smtp_start and make bench.

    smtpd.py PORT MAILDIR EVENTS [options]

Stores each mail it takes as received (the bytes of its DATA, nothing
added) in MAILDIR (new/), and writes one line per event to EVENTS:
    EHLO NAME                  a greeting (two per session with STARTTLS),
                               with the name the client gave
    AUTH LOGIN ok|refused      an authentication
    MAIL pipelined|alone       a MAIL FROM, and whether the client had already
                               sent the commands after it (RFC 2920)
    RCPT ADDR ok|refused
    DATA stored|deferred|dropped|refused SIZE
Options:
    -s, --size N               SIZE N (RFC 1870); 0: no SIZE (default 32 MiB)
    --pipelining               advertise PIPELINING in EHLO
    --tlscert/--tlskey FILE    STARTTLS (required, as python3 -m aiosmtpd)
    --smtpscert/--smtpskey     TLS from the first byte
    --auth LOGIN:PASSWORD      AUTH PLAIN and LOGIN, after TLS only
    --defer N                  the first N mails: 451 after their DATA
    --drop N                   the first N mails: the connection closed
                               in the middle of their DATA
    --refuse-rcpt ADDR         550 to RCPT TO:<ADDR>
    --fsync                    fsync each mail (as a real server does)
"""
import argparse
import asyncio
import mailbox
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.maildir = mailbox.Maildir(args.maildir, create=True)
        self.events = open(args.events, "a", buffering=1)
        self.args = args
        self.defer = args.defer
        self.drop = args.drop
        self.fsync = args.fsync

    def event(self, text):
        self.events.write(text + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.event("EHLO " + hostname)
        if self.args.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # What the client wrote after MAIL FROM without waiting for its
        # reply is already in the reader's buffer.
        waiting = len(getattr(server._reader, "_buffer", b""))
        self.event("MAIL " + ("pipelined" if waiting else "alone"))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.refuse_rcpt:
            self.event(f"RCPT {address} refused")
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        self.event(f"RCPT {address} ok")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        size = len(envelope.original_content)
        if self.defer > 0:
            self.defer -= 1
            self.event(f"DATA deferred {size}")
            return "451 4.7.1 Greylisted, please try again later"
        if self.fsync:
            key = self.maildir.add(envelope.original_content)
            fd = os.open(os.path.join(self.args.maildir, "new", key), os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        else:
            self.maildir.add(envelope.original_content)
        self.event(f"DATA stored {size}")
        return "250 2.0.0 OK: queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and f"{auth_data.login.decode()}:{auth_data.password.decode()}" == self.args.auth)
        self.event(f"AUTH {auth_data.login.decode() if auth_data else '?'} "
                   f"{'ok' if ok else 'refused'}")
        # handled=False: aiosmtpd answers 535 itself
        return AuthResult(success=ok, handled=False)


class TestSMTP(SMTP):
    async def smtp_DATA(self, arg):
        h = self.event_handler
        if h.drop > 0 and self.envelope.rcpt_tos and not arg:
            # A server (or a link) that goes away halfway through the mail:
            # some of it read, then the connection closed without a reply.
            h.drop -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            got = 0
            while got < 4096:
                got += len(await self._reader.readuntil(b"\r\n"))
            h.event(f"DATA dropped {got}")
            # the rest of the mail already read is not to be taken for
            # commands
            self._reader._buffer.clear()
            self.transport.abort()
            return
        await super().smtp_DATA(arg)


def tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.check_hostname = False
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("maildir")
    p.add_argument("events")
    p.add_argument("-s", "--size", type=int, default=2**25)
    p.add_argument("--pipelining", action="store_true")
    p.add_argument("--tlscert")
    p.add_argument("--tlskey")
    p.add_argument("--smtpscert")
    p.add_argument("--smtpskey")
    p.add_argument("--auth")
    p.add_argument("--defer", type=int, default=0)
    p.add_argument("--drop", type=int, default=0)
    p.add_argument("--refuse-rcpt", action="append", default=[])
    p.add_argument("--fsync", action="store_true")
    args = p.parse_args()

    handler = Handler(args)
    kw = dict(data_size_limit=args.size or None, hostname="smtp.test")
    if args.tlscert:
        kw.update(tls_context=tls_context(args.tlscert, args.tlskey), require_starttls=True)
    smtps = tls_context(args.smtpscert, args.smtpskey) if args.smtpscert else None
    if args.auth:
        # aiosmtpd 1.4 knows TLS from STARTTLS only: on SMTPS the whole
        # connection is, and AUTH is offered from the start
        kw.update(authenticator=handler.authenticate, auth_require_tls=smtps is None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: TestSMTP(handler, loop=loop, **kw), host="127.0.0.1", port=args.port, ssl=smtps))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    sys.exit(main())
