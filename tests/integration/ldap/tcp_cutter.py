"""A TCP proxy on loopback that cuts connections after a number of bytes from the server: a
server that goes away in the middle of a search, at a point the test chooses, for the tests of
what the connector does then. TLS passes through untouched (the certificate is for 127.0.0.1).

    with TcpCutter(("127.0.0.1", port), cut_after=200_000, cut_connections=1) as proxy:
        url = f"ldaps://127.0.0.1:{proxy.port}"
"""
import socket
import threading


class TcpCutter:
    def __init__(self, target, cut_after, cut_connections=None):
        """`cut_after`: bytes from the server after which a connection is closed; the first
        `cut_connections` connections are cut (None: all of them), later ones pass whole."""
        self.target = target
        self.cut_after = cut_after
        self.cut_connections = cut_connections
        self.connections = 0
        self.cuts = 0
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped = True
        self._listener.close()

    def _accept(self):
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                cut = self.cut_connections is None or self.connections <= self.cut_connections
            server = socket.create_connection(self.target)
            budget = [self.cut_after if cut else None]
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, budget),
                             daemon=True).start()

    def _pump(self, source, sink, budget):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if budget is not None and budget[0] is not None:
                    if len(data) >= budget[0]:
                        sink.sendall(data[:budget[0]])
                        with self._lock:
                            self.cuts += 1
                        break
                    budget[0] -= len(data)
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
