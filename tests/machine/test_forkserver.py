"""Warm kernels (bookmachine.forkserver): a kernel forked from the server starts in the same state as a
new ``python -m ipykernel_launcher``, runs in its own process, and leaves nothing behind."""

from __future__ import annotations

import json
import os

import pytest

from analysis import config
from bookmachine import execute, forkserver

# What a notebook could notice about the kernel it runs in, printed as JSON after importing what the
# analysis package imports (the modules the server preloads).
PROBE = """
import json, locale, os, sys, time, warnings
project_modules = sorted(m for m in sys.modules if m.split(".")[0] in ("analysis", "bookmachine"))
{imports}
import matplotlib, numpy, pandas
from pandas._config import config as pandas_config
print(json.dumps({{
    "project modules already imported": project_modules,
    "pandas options": {{k: repr(pandas.get_option(k)) for k in sorted(pandas_config._registered_options)}},
    "matplotlib": {{k: repr(v) for k, v in matplotlib.rcParams.items()}}, "backend": matplotlib.get_backend(),
    "numpy print options": repr(numpy.get_printoptions()),
    "warning filters": [repr(rule) for rule in warnings.filters],
    "sys.path": sys.path, "argv[0]": os.path.basename(sys.argv[0]), "cwd": os.getcwd(),
    "environment": {{k: v for k, v in os.environ.items() if k not in ("JPY_PARENT_PID", "BOOK_WARM_KERNELS")}},
    "locale": repr(locale.getlocale()), "time zone": time.tzname, "hash seed": hash("abc"),
    "flags": repr(sys.flags), "__main__": repr(sys.modules["__main__"]), "pid": os.getpid(),
}}))
"""


def probe_kernel(tmp_path, warm: bool) -> dict:
    """Run the probe notebook in a kernel from the fork server (warm) or a new one; its printed state."""
    import nbformat
    import papermill

    modules = [name for name in execute.warm_kernel_modules() if not name.startswith("ipykernel")]
    notebook = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    notebook.cells = [nbformat.v4.new_code_cell(PROBE.format(imports="\n".join(f"import {m}" for m in modules)))]
    source, output = tmp_path / f"probe-{warm}.ipynb", tmp_path / f"probe-{warm}-out.ipynb"
    nbformat.write(notebook, source)
    saved = dict(os.environ)
    os.environ.update(execute.kernel_environment(), BOOK_WARM_KERNELS="1" if warm else "0")
    try:
        with execute.WarmKernels() as kernels:
            kernels.start()
            assert (execute.WARM_KERNELS is not None) == warm
            papermill.execute_notebook(
                str(source),
                str(output),
                kernel_name="python3",
                progress_bar=False,
                cwd=str(config.PROJECT_ROOT),
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
                kernel_manager_class=execute.kernel_manager(),
            )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return json.loads("".join(nbformat.read(output, as_version=4).cells[0].outputs[0]["text"]))


def test_a_forked_kernel_starts_as_a_new_kernel_would(tmp_path):
    """Same pandas options (pandas reads at import whether it runs in a kernel), matplotlib settings,
    warning filters and their order, paths, environment, locale, time zone and hash seed; and no
    project module inherited, so a notebook always imports the current code."""
    new, forked = probe_kernel(tmp_path, warm=False), probe_kernel(tmp_path, warm=True)
    assert forked.pop("pid") != new.pop("pid")
    assert forked["project modules already imported"] == []
    assert forked["pandas options"]["display.max_columns"] == "20"  # a kernel's, not a terminal's 0
    assert forked == new, {key: (new.get(key), forked.get(key)) for key in new if new.get(key) != forked.get(key)}


def test_the_server_forks_kernels_that_exit_cleanly_and_stops_with_the_build(tmp_path):
    """A kernel from the server answers, has its own process group, reports exit code 0 after a
    shutdown request, and stopping the server leaves no process behind."""
    import asyncio

    from jupyter_client import AsyncKernelManager  # noqa: F401  (kernel_manager builds on it)

    async def run_one() -> tuple[int, int, int]:
        manager = execute.kernel_manager()(kernel_name="python3")
        await manager.start_kernel(
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            cwd=str(tmp_path),
            env=dict(os.environ, **execute.kernel_environment()),
        )
        process = manager.provisioner.process
        assert isinstance(process, forkserver.ForkedKernel)
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("import os; print(os.getpid(), os.getpgid(0))", timeout=60)
            assert reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=False)
        return process.pid, os.getpgid(process.pid) if process.poll() is None else process.pid, process.poll()

    with forkserver.ForkServer(["pandas"], execute.kernel_environment(), config.PROJECT_ROOT) as server:
        execute.WARM_KERNELS = server.path
        try:
            pid, group, code = asyncio.run(run_one())
        finally:
            execute.WARM_KERNELS = None
        assert pid != server.process.pid and group == pid and code == 0
    assert server.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_only_ipykernel_launcher_kernels_are_forked():
    assert forkserver.launcher_arguments(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "c.json", "--x"]) == [
        "-f",
        "c.json",
        "--x",
    ]
    assert forkserver.launcher_arguments(["/usr/bin/python3", "-m", "other_kernel", "-f", "c.json"]) is None
    assert forkserver.launcher_arguments(["R", "--slave", "-e", "IRkernel::main()"]) is None


def test_the_server_preloads_the_third_party_modules_analysis_imports_and_never_analysis():
    modules = execute.warm_kernel_modules()
    assert modules[:2] == ["ipykernel.kernelapp", "ipykernel.ipkernel"]
    assert {"pandas", "numpy", "matplotlib.pyplot"} <= set(modules)
    assert not [name for name in modules if name.split(".")[0] in ("analysis", "bookmachine", "os", "json")]


def test_without_a_server_to_answer_a_new_kernel_starts_instead(tmp_path, capfd):
    import asyncio

    async def start_and_stop():
        manager = execute.kernel_manager()(kernel_name="python3")
        await manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"], cwd=str(tmp_path))
        process = manager.provisioner.process
        await manager.shutdown_kernel(now=True)
        return process

    execute.WARM_KERNELS = str(tmp_path / "no-server-here")
    try:
        process = asyncio.run(start_and_stop())
    finally:
        execute.WARM_KERNELS = None
    assert not isinstance(process, forkserver.ForkedKernel)
    assert "fork server unavailable" in capfd.readouterr().err
