"""A loopback TCP port for a server the test starts and that cannot be told to take port 0.

Asking the kernel for port 0 and handing the number on is racy: the port is free only until
the probe closes, and every outgoing connection on the machine (other tests run in parallel)
takes its local port from the same ephemeral range. So the ports handed out here come from
below that range, where the kernel never picks a port by itself, and are probed before they
are handed out. Another test may still probe the same port first: a server that cannot bind
is started again on another port (slapd_server.py).
"""
import random
import socket


def _ephemeral_low():
    """The first port of the kernel's ephemeral range."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port():
    """A port on 127.0.0.1 nothing listens on now, outside the kernel's ephemeral range."""
    low = _ephemeral_low()
    first = 10000 if low > 11000 else 1024
    for _ in range(200):
        port = random.randrange(first, low) if low > first else 0
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free loopback port below the ephemeral range")
