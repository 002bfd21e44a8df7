#!/usr/bin/env python3
"""delayproxy.py: a TCP proxy on loopback that delays every byte by half
of RTT_MS each way, as a network between a client and its server would,
for make bench to show what pipelining saves away from loopback.

    delayproxy.py PORT_FILE TARGET_PORT RTT_MS

Listens on a free loopback port (written to PORT_FILE) and forwards each
connection to 127.0.0.1:TARGET_PORT; runs until killed.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def later():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            await asyncio.sleep(max(0.0, due - loop.time()))
            writer.write(data)
            await writer.drain()
        writer.close()

    task = asyncio.create_task(later())
    while True:
        data = await reader.read(65536)
        queue.put_nowait((loop.time() + delay, data or None))
        if not data:
            break
    await task


async def main():
    port_file, target, rtt = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) / 1000

    async def serve(creader, cwriter):
        sreader, swriter = await asyncio.open_connection("127.0.0.1", target)
        await asyncio.gather(pipe(creader, swriter, rtt / 2), pipe(sreader, cwriter, rtt / 2),
                             return_exceptions=True)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    with open(port_file, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
