"""Executing chapter notebooks: papermill in worker processes, one kernel each, in a fixed environment."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from analysis import config
from bookmachine.outputs import progress
from bookmachine.plan import Plan, Run, expected_seconds, finish


def kernel_environment() -> dict:
    """Environment for notebook kernels: the package importable, and no locale/time-zone/hash drift.

    One BLAS thread per kernel: the build already runs one kernel per core, and multi-threaded BLAS
    on top of that made the state-panel notebook several times slower on 2 cores.
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    environment.update({"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    return environment


def _quiet_kernel_manager():
    """jupyter_client's kernel manager, minus the SIGINT it sends an idle kernel before shutting it down.

    ``shutdown_kernel`` interrupts the kernel first (meant for a busy one); ipykernel answers the
    signal by logging ``ERROR | KeyboardInterrupt caught in kernel``. Papermill shuts kernels down
    only after the last cell finished, so the shutdown request alone stops them cleanly.
    """
    from jupyter_client import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return QuietShutdownKernelManager


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
        papermill.execute_notebook(str(source_notebook), str(output), parameters=parameters,
                                   kernel_name="python3", cwd=str(config.PROJECT_ROOT), progress_bar=False,
                                   report_mode=False, request_save_on_cell_execute=False,
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                   kernel_manager_class=_quiet_kernel_manager())
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
        super().__init__(f"{value}\n(while executing {where})" if self.is_data_error
                         else f"{where} failed: {name}: {value}")


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
    """``execute_notebook`` in a worker process, with its wall time."""
    started = time.monotonic()
    return {**execute_notebook(source, output, parameters, reads_log), "seconds": time.monotonic() - started}


def execute_plans(plans: list[Plan], jobs: int) -> None:
    """Run every plan that must run, ``jobs`` at a time in worker processes, the longest first."""
    pending = sorted((p for p in plans if p.reasons), key=lambda p: -expected_seconds(p))
    for item in plans:
        state = f"runs: {'; '.join(item.reasons)}" if item.reasons else "reused: nothing it depends on changed"
        progress("notebooks", f"{item.run.name}: {state}")
    if not pending:
        return
    for item in pending:
        item.record_file.unlink(missing_ok=True)  # a run that fails must not leave a record that looks current
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context) as pool:
        futures = {pool.submit(_timed_execution, p.run.source, p.output, p.papermill_parameters, p.reads_log): p
                   for p in pending}
        for future in as_completed(futures):
            item, result = futures[future], future.result()
            if "error" in result:
                pool.shutdown(wait=False, cancel_futures=True)
                raise NotebookError(item.run, *result["error"])
            finish(item, result["seconds"])
            progress("notebooks", f"{item.run.name}: executed in {result['seconds']:.1f} s")
