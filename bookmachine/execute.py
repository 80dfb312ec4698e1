"""Executing chapter notebooks: papermill in worker processes, one kernel each, in a fixed environment."""

from __future__ import annotations

import ast
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from analysis import config
from analysis.data import parsed
from bookmachine import forkserver
from bookmachine.outputs import PARSED_DIR, progress
from bookmachine.plan import Plan, Run, expected_seconds, finish


def kernel_environment() -> dict:
    """Environment for notebook kernels: the package importable, and no locale/time-zone/hash drift.

    One BLAS thread per kernel: the build already runs one kernel per core, and multi-threaded BLAS
    on top of that made the state-panel notebook several times slower on 2 cores. Slow parses are
    kept in ``_build/parsed`` (``analysis.data.parsed``).
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    environment.update(
        {
            "PYTHONHASHSEED": "0",
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            parsed.DIRECTORY_VARIABLE: str(PARSED_DIR),
        }
    )
    return environment


WARM_KERNELS: str | None = None  # the fork server's socket while the build runs one (see ``warm_kernels``)


POLL_SECONDS = 0.01  # how often the build looks for a kernel's IOPub messages at start and for its exit


def kernel_manager():
    """jupyter_client's kernel manager with three changes: kernels come from the fork server when one
    runs (``bookmachine.forkserver``: the heavy imports done once), no SIGINT before shutdown, and
    the waits around each kernel poll every ``POLL_SECONDS`` instead of every 0.1-0.2 s.

    ``shutdown_kernel`` interrupts the kernel first (meant for a busy one); ipykernel answers the
    signal by logging ``ERROR | KeyboardInterrupt caught in kernel``. Papermill shuts kernels down
    only after the last cell finished, so the shutdown request alone stops them cleanly.

    jupyter_client's waits cost each notebook about 0.3 s of nothing: after the kernel's first
    ``kernel_info`` reply it drains IOPub until 0.2 s pass without a message, and at shutdown it
    looks for the kernel's exit every 0.1 s. The waits here are the same (the kernel has answered
    on the shell channel and sent on IOPub, so IOPub is connected and no output can be lost; the
    kernel has exited), only polled more often. A stale IOPub message that arrives after the drain
    is ignored anyway: nbclient takes only the messages whose parent is the request it sent.
    """
    from queue import Empty

    from jupyter_client import AsyncKernelManager
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.provisioning import LocalProvisioner
    from traitlets import Type

    class BuildKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """A ``kernel_info`` reply on the shell channel and one message on IOPub, then IOPub drained."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass  # IOPub not connected yet: ask again
                    else:
                        self._handle_kernel_info_reply(reply)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=POLL_SECONDS)
                except Empty:
                    return

    class BuildKernelManager(AsyncKernelManager):
        client_factory = Type(BuildKernelClient, klass=AsyncKernelClient)

        async def _async_finish_shutdown(self, waittime=None, pollinterval=POLL_SECONDS, restart=False) -> None:
            await super()._async_finish_shutdown(waittime, pollinterval=POLL_SECONDS, restart=restart)

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            arguments = forkserver.launcher_arguments(kernel_cmd)
            if WARM_KERNELS is None or arguments is None or type(self.provisioner) is not LocalProvisioner:
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            cwd = str(kw.get("cwd") or os.getcwd())
            try:
                process = forkserver.ForkedKernel(WARM_KERNELS, arguments, dict(kw.get("env") or os.environ), cwd)
            except OSError as exc:  # no server to ask (it failed to start or died): a new kernel, as without it
                print(f"[kernels] fork server unavailable ({exc}); starting a new kernel", file=sys.stderr)
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            provisioner = self.provisioner  # what LocalProvisioner.launch_kernel records for a Popen
            provisioner.process, provisioner.cwd = process, cwd
            provisioner.pid = provisioner.pgid = process.pid
            self._reconcile_connection_info(provisioner.connection_info)

    return BuildKernelManager


def warm_kernel_modules() -> list[str]:
    """The third-party modules the ``analysis`` package imports: what the fork server preloads.

    Read from the import statements, so the list follows the code; ``analysis`` itself is never
    preloaded (a notebook always imports the project's current code). Imports inside functions
    count too: ``analysis`` keeps a few slow ones there (altair, for the interactive figures) so that
    importing it stays quick for tests and readers, but most chapters draw a figure, and each
    would pay the import again. IPython's kernel comes first.
    """
    names = set()
    for path in sorted((config.PROJECT_ROOT / "analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module)
    third_party = {
        name for name in names if name.split(".")[0] not in sys.stdlib_module_names | {"analysis", "__future__"}
    }
    return ["ipykernel.kernelapp", "ipykernel.ipkernel", *sorted(third_party)]


class WarmKernels:
    """The fork server for one build, started when the first notebook must run, stopped at the end.

    ``BOOK_WARM_KERNELS=0`` turns it off: every kernel is then a new ``python -m ipykernel_launcher``.
    """

    def __init__(self):
        self.server = None

    def start(self) -> None:
        global WARM_KERNELS
        if self.server is None and os.environ.get("BOOK_WARM_KERNELS", "1") != "0":
            self.server = forkserver.ForkServer(warm_kernel_modules(), kernel_environment(), config.PROJECT_ROOT)
            WARM_KERNELS = self.server.path

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc) -> None:
        global WARM_KERNELS
        if self.server is not None:
            self.server.stop()
            self.server = WARM_KERNELS = None


def execute_notebook(source: Path, output: Path, parameters: dict, reads_log: Path) -> dict:
    """Execute one notebook with papermill (in a worker process); returns its error name and value, if any.

    The kernel's environment records every input the notebook reads in ``reads_log``.
    """
    import jupytext
    import nbformat
    import papermill

    source_notebook = output.with_suffix(".source.ipynb")
    nbformat.write(jupytext.read(source), source_notebook)
    reads_log.unlink(missing_ok=True)
    environment = kernel_environment()
    environment[config.READS_LOG_VARIABLE] = str(reads_log)
    os.environ.clear()
    os.environ.update(environment)
    try:
        papermill.execute_notebook(
            str(source_notebook),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(config.PROJECT_ROOT),
            progress_bar=False,
            report_mode=False,
            request_save_on_cell_execute=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            kernel_manager_class=kernel_manager(),
        )
    except papermill.PapermillExecutionError as exc:
        return {"error": (exc.ename, exc.evalue)}
    finally:
        source_notebook.unlink(missing_ok=True)
    _hide_injected_parameters(output)
    return {}


class NotebookError(Exception):
    """A chapter failed; a DataError inside it is reported as the data problem it is."""

    def __init__(self, run: Run, name: str, value: str):
        self.is_data_error = name == "DataError"
        where = f"{run.source.relative_to(config.PROJECT_ROOT)} (page {run.name})"
        super().__init__(
            f"{value}\n(while executing {where})" if self.is_data_error else f"{where} failed: {name}: {value}"
        )


def _hide_injected_parameters(path: Path) -> None:
    """Papermill's injected-parameters cell is removed from the page; chapters show their parameters."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(notebook, path)


def _timed_execution(source: Path, output: Path, parameters: dict, reads_log: Path) -> dict:
    """``execute_notebook`` in a worker process, with its wall time and, for a warm kernel, its CPU time
    (the kernel's and this worker's): on a busy machine the CPU time says what a notebook costs."""
    started, worker = time.monotonic(), time.process_time()
    forkserver.EXITED.clear()
    result = execute_notebook(source, output, parameters, reads_log)
    cpu = sum(forkserver.EXITED) + time.process_time() - worker if forkserver.EXITED else None
    return {**result, "seconds": time.monotonic() - started, "cpu": cpu}


def execute_plans(plans: list[Plan], jobs: int, kernels: WarmKernels) -> None:
    """Run every plan that must run, ``jobs`` at a time in worker processes, the longest first."""
    pending = sorted((p for p in plans if p.reasons), key=lambda p: -expected_seconds(p))
    for item in plans:
        state = f"runs: {'; '.join(item.reasons)}" if item.reasons else "reused: nothing it depends on changed"
        progress("notebooks", f"{item.run.name}: {state}")
    if not pending:
        return
    for item in pending:
        item.record_file.unlink(missing_ok=True)  # a run that fails must not leave a record that looks current
    kernels.start()
    import jupytext  # noqa: F401  imported once here, before the workers are forked, instead of in each
    import papermill  # noqa: F401

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context) as pool:
        futures = {
            pool.submit(_timed_execution, p.run.source, p.output, p.papermill_parameters, p.reads_log): p
            for p in pending
        }
        for future in as_completed(futures):
            item, result = futures[future], future.result()
            if "error" in result:
                pool.shutdown(wait=False, cancel_futures=True)
                raise NotebookError(item.run, *result["error"])
            finish(item, result["seconds"])
            cpu = f" ({result['cpu']:.1f} s CPU)" if result["cpu"] is not None else ""
            progress("notebooks", f"{item.run.name}: executed in {result['seconds']:.1f} s{cpu}")
