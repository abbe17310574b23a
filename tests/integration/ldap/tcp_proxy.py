"""TCP proxies on loopback between the connector and a server, for the tests of a server that
fails in the middle of a conversation: one that goes away after so many bytes, before a given
response, or stays away; or one that is slow. TLS passes through untouched (the certificates
are for 127.0.0.1).

`TcpProxy` does the plumbing; a test's proxy overrides `admit` (is the n-th connection
accepted at all) and `from_server` (what of the server's bytes passes on, and whether the
connection is cut after them).

    with ByteCutter(port, cut_after=200_000, cut_connections=1) as proxy:
        url = f"ldaps://127.0.0.1:{proxy.port}"
"""
import socket
import threading


class TcpProxy:
    def __init__(self, port):
        self.target = ("127.0.0.1", port)
        self.connections = 0
        self.lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._listener.close()

    # --- what a test's proxy decides ----------------------------------------------------------

    def admit(self, index):
        """Whether connection `index` (0: the first) is accepted."""
        return True

    def from_server(self, index, data):
        """(bytes to pass to the client, cut the connection after them) for `data` the server
        sent on connection `index`."""
        return data, False

    # --- plumbing -----------------------------------------------------------------------------

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self.lock:
                index = self.connections
                self.connections += 1
            if not self.admit(index):
                client.close()
                continue
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, index), daemon=True).start()

    def _pump(self, source, sink, index):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                cut = False
                if index is not None:
                    data, cut = self.from_server(index, data)
                if data:
                    sink.sendall(data)
                if cut:
                    break
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


class ByteCutter(TcpProxy):
    """Cuts a connection after `cut_after` bytes from the server: the first `cut_connections`
    connections (None: every one); later ones pass whole. `cuts` counts the cuts made."""

    def __init__(self, port, cut_after, cut_connections=None):
        self.cut_after = cut_after
        self.cut_connections = cut_connections
        self.cuts = 0
        self._sent = {}
        super().__init__(port)

    def from_server(self, index, data):
        if self.cut_connections is not None and index >= self.cut_connections:
            return data, False
        sent = self._sent.get(index, 0)
        if sent + len(data) < self.cut_after:
            self._sent[index] = sent + len(data)
            return data, False
        with self.lock:
            self.cuts += 1
        return data[:self.cut_after - sent], True


class Staller(TcpProxy):
    """Passes the first `stall_after` bytes the server sends on each connection, then holds back
    everything else without closing: a server that goes silent in the middle of a response.
    `stalled` is set once a connection stalls."""

    def __init__(self, port, stall_after):
        self.stall_after = stall_after
        self.stalled = threading.Event()
        self._sent = {}
        super().__init__(port)

    def from_server(self, index, data):
        sent = self._sent.get(index, 0)
        passed = data[:max(0, self.stall_after - sent)]
        self._sent[index] = sent + len(passed)
        if len(passed) < len(data):
            self.stalled.set()
        return passed, False
