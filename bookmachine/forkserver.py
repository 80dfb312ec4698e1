"""Warm kernels: a server that imports the heavy libraries once and forks a fresh kernel per notebook.

Starting a Python kernel and importing pandas, statsmodels, matplotlib and seaborn costs about two
CPU seconds, paid again by every notebook. The fork server pays it once: it starts with the
kernels' environment, imports the third-party modules the ``analysis`` package imports (never
``analysis`` itself, so a notebook always imports the project's code afresh), and then, for each
kernel Jupyter asks for, forks a child that becomes that kernel, exactly as ``python -m
ipykernel_launcher`` would. Each notebook still runs in its own new process that no other
notebook's code has touched; the server itself never runs notebook code.

The build starts it (``ForkServer``), and the build's kernel manager (``execute.kernel_manager``)
asks it for kernels through a Unix socket: one connection per kernel, on which the server answers
the kernel's pid and, when the kernel exits, its exit code. The server stops when the build closes
its lifeline pipe (or dies), killing any kernel still running.

    python -m bookmachine.forkserver LISTENER_FD LIFELINE_FD [module ...]   (started by ForkServer)
"""

from __future__ import annotations

import builtins
import importlib
import io
import json
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

LAUNCHER = "ipykernel_launcher"
KERNEL_PACKAGES = ("ipykernel", "IPython")  # what a kernel imports as it starts, before any notebook code


# ---- the server (its own process) ------------------------------------------------------------------


class _KernelShell:
    """What ``get_ipython()`` returns inside a Jupyter kernel, as far as an import looks at it."""

    kernel = True


def _import(modules: list[str]) -> None:
    """Import each module; one that fails is left for the notebook to report."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  the notebook's own import shows the real error
            continue


def preload(modules: list[str]) -> list:
    """Import the modules every kernel would import, as they would be imported inside a kernel;
    returns the warning filters the imports added (see ``run_kernel``).

    A library may look at its surroundings when imported: pandas asks ``get_ipython().kernel``
    (Jupyter kernel or terminal) to choose ``display.max_columns``, which changes a DataFrame's
    text, and reads ``sys.stdout.encoding`` (ipykernel's streams say ``UTF-8``). While importing,
    both answer as in a kernel. A module that fails to import is left for the notebook to report;
    a warning raised while importing is printed here, where the build log shows it.
    ``tests/test_forkserver.py`` compares the state of a forked kernel with a new one's.
    """
    kernel_part = [name for name in modules if name.split(".")[0] in KERNEL_PACKAGES]
    streams = sys.stdout, sys.stderr
    builtins.get_ipython = _KernelShell
    sys.stdout, sys.stderr = (io.TextIOWrapper(io.BytesIO(), encoding="UTF-8") for _ in range(2))
    try:
        with warnings.catch_warnings(record=True) as raised:  # restores the filters on leaving: kept below
            _import(kernel_part)  # what the kernel imports as it starts: its filters stay where they are
            before = list(warnings.filters)
            _import([name for name in modules if name not in kernel_part])
            after = list(warnings.filters)
    finally:
        sys.stdout, sys.stderr = streams
        del builtins.get_ipython
    warnings.filters[:] = after
    warnings._filters_mutated()
    added = [rule for rule in after if rule not in before]
    for warning in raised:
        print(f"[kernels] warning while preloading: {warning.category.__name__}: {warning.message}", file=sys.stderr)
    return added


def run_kernel(request: dict, imported_filters: list) -> None:
    """In the forked child: become ``python -m ipykernel_launcher <arguments>`` in the requested
    environment and directory; never returns.

    The kernel's own warning filters are put behind those the preloaded imports added, the order
    they have when a notebook imports the libraries after the kernel started.
    """
    code = 1
    try:
        os.setpgid(0, 0)  # its own process group, as jupyter_client gives a kernel it launches
        with open(os.devnull) as null:
            os.dup2(null.fileno(), 0)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
        os.chdir(request["cwd"])
        for name in [name for name in sys.modules if name.split(".")[0] == "bookmachine"]:
            del sys.modules[name]
        if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
            del sys.path[0]  # what ipykernel_launcher does; the kernel puts the working directory back
        import ipykernel_launcher
        from ipykernel import kernelapp

        # parent_handle's default was read from JPY_PARENT_PID when the server imported ipykernel: set it
        sys.argv = [ipykernel_launcher.__file__, *request["arguments"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        app = kernelapp.IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        warnings.filters[:] = imported_filters + [rule for rule in warnings.filters if rule not in imported_filters]
        warnings._filters_mutated()
        app.start()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    except BaseException:  # noqa: BLE001  report, then leave without running the server's cleanup
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110
                pass
        os._exit(code)


def send(connection: socket.socket, message: dict) -> None:
    """One JSON line to a client; a client that has gone away is not an error."""
    try:
        connection.sendall((json.dumps(message) + "\n").encode())
    except OSError:
        pass


def serve(listener: socket.socket, lifeline: int, imported_filters: list) -> None:
    """Fork a kernel for each request until the lifeline closes; report each kernel's exit code."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(lifeline, selectors.EVENT_READ)
    kernels: dict[int, socket.socket] = {}
    while True:
        for key, _ in selector.select(timeout=0.01):  # also how soon an exited kernel is reported
            if key.fileobj is listener:
                connection, _ = listener.accept()
                request = json.loads(connection.makefile("rb").readline())
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    for other in (listener, connection, *kernels.values()):
                        other.close()
                    os.close(lifeline)
                    run_kernel(request, imported_filters)
                try:
                    os.setpgid(pid, pid)  # also here, so that the group exists before anyone signals it
                except OSError:
                    pass
                kernels[pid] = connection
                send(connection, {"pid": pid})
            elif not os.read(lifeline, 1):  # the build is done (or gone)
                for pid in kernels:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                return
        while kernels:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            connection = kernels.pop(pid, None)
            if connection is not None:
                send(connection, {"exit": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime})
                connection.close()


def main(argv: list[str]) -> int:
    listener_fd, lifeline = int(argv[0]), int(argv[1])
    serve(socket.socket(fileno=listener_fd), lifeline, preload(argv[2:]))
    return 0


# ---- the client side (in the build and its workers) ------------------------------------------------


class ForkServer:
    """The running server: its socket path, and the pipe whose closing stops it."""

    def __init__(self, modules: list[str], environment: dict, cwd: Path):
        self.directory = tempfile.mkdtemp(prefix="book-kernels-")
        self.path = str(Path(self.directory) / "socket")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(64)  # requests wait here while the server is still importing
        read_end, self.lifeline = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bookmachine.forkserver", str(listener.fileno()), str(read_end), *modules],
            env=environment,
            cwd=cwd,
            pass_fds=(listener.fileno(), read_end),
            stdin=subprocess.DEVNULL,
        )
        listener.close()
        os.close(read_end)

    def stop(self) -> None:
        """Close the lifeline (the server kills any kernel left and exits), then remove the socket."""
        if self.lifeline is not None:
            os.close(self.lifeline)
            self.lifeline = None
            self.process.wait()
        for leftover in Path(self.directory).glob("*"):
            leftover.unlink()
        os.rmdir(self.directory)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


EXITED: list[float] = []  # CPU seconds of each forked kernel that exited in this process, in order


class ForkedKernel:
    """A kernel forked by the server, with the part of ``subprocess.Popen`` that jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, server_path: str, arguments: list[str], env: dict, cwd: str, timeout: float = 120.0):
        """Ask the server for a kernel; OSError when it cannot give one within ``timeout`` seconds."""
        self.connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.connection.settimeout(timeout)
        try:
            self.connection.connect(server_path)
            self.connection.sendall((json.dumps({"arguments": arguments, "env": env, "cwd": cwd}) + "\n").encode())
            self.received = b""
            reply = self._line(block=True)
            if not reply:
                raise ConnectionError("the fork server closed the connection")
            self.pid = json.loads(reply)["pid"]
        except OSError:
            self.connection.close()
            raise
        self.connection.settimeout(None)
        self.returncode: int | None = None

    def _line(self, block: bool) -> bytes | None:
        """The server's next line; b"" when it closed the connection, None when nothing came yet."""
        while b"\n" not in self.received:
            if not block and not select.select([self.connection], [], [], 0)[0]:
                return None
            chunk = self.connection.recv(4096)
            if not chunk:
                return b""
            self.received += chunk
        line, self.received = self.received.split(b"\n", 1)
        return line

    def _read_exit(self, block: bool) -> int | None:
        if self.returncode is None:
            line = self._line(block)
            if line is None:
                return None
            report = json.loads(line) if line else {"exit": -signal.SIGKILL}  # no line: the server is gone
            self.returncode = report["exit"]
            EXITED.append(report.get("cpu", 0.0))
            self.connection.close()
        return self.returncode

    def poll(self) -> int | None:
        return self._read_exit(block=False)

    def wait(self, timeout: float | None = None) -> int:
        return self._read_exit(block=True)

    def send_signal(self, number: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def launcher_arguments(command: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` in a kernel command; None for any other kernel."""
    for position in range(len(command) - 1):
        if command[position] == "-m" and command[position + 1] == LAUNCHER:
            return command[position + 2 :]
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
