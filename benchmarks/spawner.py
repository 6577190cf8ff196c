"""A small process that starts the timed commands, so that their peak RSS is their own.

Linux carries a process's peak resident set across ``execve`` (``exec_mmap`` keeps the old memory's high-water
mark in ``signal->maxrss``), and a child starts as a copy of its parent: every command spawned by the harness
would read at least the harness's own size (27–35 MiB once vakit and a ledger's facts are loaded). Spawned from
this process instead (standard library only, run with ``python -S -I``), a command reads at least this
process's size, about 10 MiB, reported as ``floor_kib`` on the first line; every vakit command is far above it.

Protocol, one JSON object per line: it reads ``{"argv", "env", "tty", "cwd"}`` on stdin, runs the command
(stdin from /dev/null; stdout to a pipe, or with ``tty`` to a pseudo-terminal 120 columns wide; both drained
and dropped, stderr kept) and writes ``{"seconds", "rss_kib", "rc", "stderr"}``: wall seconds from fork to
reaped exit, the child's ``ru_maxrss`` from ``wait4`` (KiB), its exit code and the end of its stderr.
"""

import json
import os
import select
import sys
import time


def run(argv: list, env: dict, tty: bool, cwd) -> dict:
    if tty:
        import fcntl
        import struct
        import termios

        out_r, out_w = os.openpty()
        fcntl.ioctl(out_w, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    else:
        out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    null = os.open(os.devnull, os.O_RDONLY)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: only what must happen before exec
        try:
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            if cwd:
                os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    for fd in (out_w, err_w, null):
        os.close(fd)
    err = bytearray()
    open_fds = [out_r, err_r]
    while open_fds:
        for fd in select.select(open_fds, [], [])[0]:
            try:
                data = os.read(fd, 65536)
            except OSError:  # a pseudo-terminal reports EIO once the child closed it
                data = b""
            if not data:
                open_fds.remove(fd)
                os.close(fd)
            elif fd == err_r:
                err += data
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rss_kib": usage.ru_maxrss, "rc": os.waitstatus_to_exitcode(status),
            "stderr": err[-4000:].decode("utf-8", "replace")}


def own_rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def main() -> None:
    print(json.dumps({"floor_kib": own_rss_kib()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        print(json.dumps(run(req["argv"], req["env"], req["tty"], req.get("cwd"))), flush=True)


if __name__ == "__main__":
    main()
