#!/usr/bin/env python3
"""smtpblast.py: the reference of make bench's outbox line: what the SMTP
server takes at most.  One session; every command and every mail written
in one stream without waiting for a reply (the server reads them in turn),
the replies read meanwhile.  The client costs next to nothing: what is
measured is the server.

    smtpblast.py PORT FROM TO FILE...

Prints "smtpblast: N mails, B bytes, S s" and fails unless each mail got
its 250 after the data.
"""
import socket
import sys
import threading
import time


def stuffed(data):
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines) + b".\r\n"


def main():
    port, sender, rcpt, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    out = [b"EHLO bench.example\r\n"]
    size = 0
    for f in files:
        data = open(f, "rb").read()
        size += len(data)
        out += [b"MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n" % (sender.encode(), rcpt.encode()),
                stuffed(data)]
    out.append(b"QUIT\r\n")
    stream = b"".join(out)
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    writer = threading.Thread(target=s.sendall, args=(stream,))
    writer.start()
    taken, buf = 0, b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\r\n")
        taken += sum(1 for l in lines if l.startswith(b"250 2.0.0"))
        if any(l.startswith(b"221") for l in lines):
            break
    elapsed = time.monotonic() - t0
    writer.join()
    s.close()
    print(f"smtpblast: {taken} mails, {size} bytes, {elapsed:.3f} s")
    return 0 if taken == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
