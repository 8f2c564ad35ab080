"""N sends of SIZE bytes over a loopback socket pair (a reader thread drains it).

Usage: python socket_sends.py N [SIZE]
"""
import socket
import sys
import threading


def drain(sock, total):
    got = 0
    while got < total:
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += len(chunk)


def send_many(sock, n, size):
    data = b"z" * size
    for _ in range(n):
        sock.send(data)  # TINY-SEND


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    a, b = socket.socketpair()
    t = threading.Thread(target=drain, args=(b, n * size))
    t.start()
    send_many(a, n, size)
    t.join()
