"""A thread that cannot reach the network: the backstop under the SERVICE refusal.

:func:`kg.query.sparql.check_query` refuses ``SERVICE`` by walking the parsed query. This
module makes a wrong answer from that check harmless: on Linux (x86-64 and arm64) the
thread that evaluates a query first installs a seccomp filter that makes ``socket()`` fail
with ``EACCES`` for every address family but ``AF_UNIX`` (and refuses ``io_uring``, which
could open sockets without that call). Oxigraph's HTTP client opens its connection in the
thread that evaluates the query, so a ``SERVICE`` call, or a name lookup, fails there with
"permission denied" and no packet leaves the machine.

The filter binds the calling thread and the threads and processes it starts, never the
rest of the process: a notebook kernel or a web server keeps its own sockets. It cannot be
removed, so it is installed only on threads made to run one query (see
:func:`kg.query.sparql.run_with_deadline`) and in the SPARQL worker processes.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

#: (audit architecture, number of socket(), number of io_uring_setup()) by machine.
_ARCH = {
    "x86_64": (0xC000003E, 41, 425),
    "amd64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
    "arm64": (0xC00000B7, 198, 425),
}
_X32_BIT = 0x40000000  # x86-64's x32 calls carry this bit: refused outright

# Classic BPF, as seccomp reads it.
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AF_UNIX = 1


def _program(arch: int, nr_socket: int, nr_uring: int, x86: bool) -> list[tuple[int, int,
                                                                                   int, int]]:
    """The filter: (code, jump if true, jump if false, k) instructions."""
    deny = _RET_ERRNO | errno.EACCES
    prog = [
        (_LD_W_ABS, 0, 0, 4),                 # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),                 # another ABI (32-bit calls): refused
        (_LD_W_ABS, 0, 0, 0),                 # seccomp_data.nr
    ]
    if x86:
        prog += [(_JGE_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, deny)]
    prog += [
        (_JEQ_K, 0, 1, nr_uring),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 3, nr_socket),
        (_LD_W_ABS, 0, 0, 16),                # args[0], low half: the address family
        (_JEQ_K, 1, 0, _AF_UNIX),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    return prog


def supported() -> bool:
    """Whether this system can cut a thread off the network (Linux on x86-64 or arm64)."""
    return sys.platform.startswith("linux") and platform.machine().lower() in _ARCH


def cut_off() -> bool:
    """Forbid the calling thread (and what it starts) every socket but a Unix one.

    Returns whether the filter is in force; ``False`` where the system has no seccomp (the
    parsed-query check still refuses ``SERVICE`` there).
    """
    if not supported():
        return False
    arch, nr_socket, nr_uring = _ARCH[platform.machine().lower()]
    prog = _program(arch, nr_socket, nr_uring, x86=nr_socket == 41)
    code = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Prog(len(prog), ctypes.addressof(buffer))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return False
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                      ctypes.c_ulong]
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    done: int = prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0)
    return done == 0


__all__ = ["cut_off", "supported"]
