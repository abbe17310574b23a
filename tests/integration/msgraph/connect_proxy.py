"""An HTTPS proxy for the tests, on loopback: answers CONNECT host:port, records the target,
and then relays bytes both ways untouched (TLS stays end to end, so the client still verifies
the server's certificate). Stops with the test.

    with ConnectProxy() as proxy:
        ... "proxy": proxy.url ...
        proxy.targets  # ["127.0.0.1:4433", ...]
"""
import select
import socket
import threading


class ConnectProxy:
    def __init__(self):
        self.targets = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopping = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._stopping = True
        self._listener.close()

    def _accept(self):
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            if len(request_line) < 2 or request_line[0] != "CONNECT":
                client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            target = request_line[1]
            self.targets.append(target)
            host, port = target.rsplit(":", 1)
            try:
                upstream = socket.create_connection((host, int(port)), timeout=10)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            with upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._relay(client, upstream)

    @staticmethod
    def _relay(a, b):
        peers = {a: b, b: a}
        while True:
            readable, _, _ = select.select(list(peers), [], [], 30)
            if not readable:
                return
            for s in readable:
                data = s.recv(65536)
                if not data:
                    return
                peers[s].sendall(data)
