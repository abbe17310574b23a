"""Run the emulator as a process: python3 -m graph_emulator --help.

It writes a ready file (JSON: port, base_url, ca_file, admin_socket, pid) once it listens, and
exits by itself when its parent process goes away (or, with --exit-with-stdin, when its standard
input is closed), so that a test that dies cannot leave it running.
"""
import argparse
import json
import os
import sys
import tempfile
import threading
import time

from .admin import AdminServer
from .certificates import create_server_identity
from .emulator import Emulator
from .server import TlsGraphServer


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python3 -m graph_emulator",
        description="A stateful Microsoft Graph v1.0 and token endpoint emulator serving HTTPS "
                    "on 127.0.0.1, controlled over a Unix domain socket.")
    parser.add_argument("--workdir", help="folder for the CA, certificates, control socket and "
                        "ready file (default: a new temporary folder)")
    parser.add_argument("--tenant", default="idsync-test-tenant-id", help="the tenant id")
    parser.add_argument("--verified-domain", action="append", dest="verified_domains",
                        help="a verified domain of the tenant (repeatable; default idsync.test)")
    parser.add_argument("--token-lifetime", type=int, default=3600,
                        help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--port", type=int, default=0, help="HTTPS port (default: a free one)")
    parser.add_argument("--ready-file", help="where to write the ready file "
                        "(default: WORKDIR/ready.json)")
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="exit when standard input reaches end of file")
    return parser.parse_args(argv)


def watch_parent(parent_pid, stdin_closed):
    """Exit the whole process once the parent is gone or stdin is closed."""
    while True:
        if os.getppid() != parent_pid or stdin_closed.is_set():
            os._exit(0)
        time.sleep(0.2)


def main(argv=None):
    arguments = parse_arguments(argv)
    parent_pid = os.getppid()
    workdir = arguments.workdir or tempfile.mkdtemp(prefix="graph-emulator-")
    os.makedirs(workdir, exist_ok=True)
    identity = create_server_identity(workdir)
    emulator = Emulator(workdir, arguments.tenant, arguments.verified_domains or ["idsync.test"],
                        arguments.token_lifetime)
    graph_server = TlsGraphServer(emulator, identity["cert_file"], identity["key_file"],
                                  arguments.port)
    port = graph_server.server_address[1]
    emulator.set_base_url(f"https://127.0.0.1:{port}")
    admin_socket = os.path.join(workdir, "admin.sock")
    admin_server = AdminServer(emulator, admin_socket)
    for server in (graph_server, admin_server):
        threading.Thread(target=server.serve_forever, daemon=True).start()

    stdin_closed = threading.Event()
    if arguments.exit_with_stdin:
        def wait_for_eof():
            while sys.stdin.buffer.read(4096):
                pass
            stdin_closed.set()
        threading.Thread(target=wait_for_eof, daemon=True).start()

    ready = {"port": port, "base_url": emulator.base_url, "ca_file": identity["ca_file"],
             "admin_socket": admin_socket, "tenant": arguments.tenant, "pid": os.getpid()}
    ready_file = arguments.ready_file or os.path.join(workdir, "ready.json")
    with open(ready_file + ".tmp", "w") as out:
        json.dump(ready, out)
    os.replace(ready_file + ".tmp", ready_file)  # the reader never sees a partial file
    print(json.dumps(ready), flush=True)
    watch_parent(parent_pid, stdin_closed)


if __name__ == "__main__":
    main()
