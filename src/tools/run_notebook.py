"""Execute one notebook with the tslab kernel through nbclient, cell by cell.

Called by src/tools/run.ts (the one notebook executor of micrograd-ts), which has already read
and validated the notebook; not meant for people.

    python3 run_notebook.py NOTEBOOK --out RESULT.json [--timeout 60] [--continue-on-error]
                            [--cwd DIR] [--kernel tslab]

Writes RESULT.json: {"cells": [...], "executed": <notebook>} or {"error": "..."} (then exit 2).
The result goes to a file, not stdout, because the kernel process inherits our stdout.

Why cell by cell instead of NotebookClient.execute(): we report every cell's fate, and keep
going after a failure when asked (check does). The kernel (tslab with our preload,
src/kernel/preload.ts) reports errors as Jupyter says: an `error` output and an execute_reply
with ename, evalue and traceback, which nbclient records; a failure's message is that traceback.
What tslab's abort window still needs: tslab aborts requests that arrive within ~200 ms of a
failed cell when the failed request asked to stop on error. nbclient sends stop_on_error=False
when errors are allowed (we allow them, to judge each reply ourselves), so no request of ours is
aborted; but nbclient counts an "aborted" reply as success, so we still count one as a failure,
and a broken lesson can never render as a page of silently empty cells.
Output that arrives after its cell finished (nbclient would drop it) fails that cell too.
"""

import argparse
import asyncio
import json
import re
import signal
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError
    from nbclient.util import ensure_async
    from nbformat.v4.rwbase import rejoin_lines
except ImportError as e:  # run.ts checks first; this is the last line of defence
    print(f"Jupyter's Python packages are missing ({e}); install nbclient and nbformat", file=sys.stderr)
    sys.exit(3)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A cell's line and a caret under a traceback's frame (src/kernel/protocol.ts, sourceExcerpt).
EXCERPT = re.compile(r"^ {6}(\d+| +) \| ")
# Stack frames inside Node itself or tslab's machinery say nothing about the lesson (in what tslab
# prints for an exception nobody caught; the kernel leaves them out of its tracebacks).
INTERNAL_FRAME = re.compile(r"^\s+at .*(\(node:|node:internal|node:vm|/node_modules/tslab/|/dist/kernel/preload\.js)")


OUTPUT_MSGS = {"stream", "display_data", "update_display_data", "execute_result", "error"}


class StrayTrackingClient(NotebookClient):
    """nbclient drops iopub messages that belong to a cell it has finished with. Keep the
    outputs among them: a cell that shows something after its reply (an un-awaited Promise)
    leaves its output in whichever cell runs next, or nowhere, so renders differ run to run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stray = []

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)  # raises when the cell is idle
                except CellExecutionComplete:
                    return
            elif msg["msg_type"] in OUTPUT_MSGS:
                self.stray.append(msg)

    async def drain(self, quiet=0.5):
        """Collect output that arrives after the last cell, until the kernel is quiet."""
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=quiet))
            except Exception:  # queue.Empty: quiet for `quiet` seconds
                return
            if msg["msg_type"] in OUTPUT_MSGS:
                self.stray.append(msg)


def read_notebook(path):
    """run.ts has read and validated the notebook (src/ipynb/) and wrote it here as JSON."""
    with open(path, encoding="utf-8") as f:
        # Sources stored as lists of lines are joined into strings, as the executor expects; no
        # validation here (run.ts did it, and nbformat's is slow on a large notebook).
        return rejoin_lines(nbformat.from_dict(json.load(f)))


def error_text(reply):
    """A failed cell's message: the traceback the kernel sent in its reply (ename and evalue when
    there is none), without the source lines under a frame (the report names the cell)."""
    content = reply["content"] if reply else {}
    lines = ANSI.sub("", "\n".join(content.get("traceback") or [])).splitlines()
    text = "\n".join(l for l in lines if not EXCERPT.match(l)).strip()
    if not text and content.get("ename"):
        text = f"{content['ename']}: {content.get('evalue', '')}".strip()
    return text


def phase(what):
    """Say what we are doing, for run.ts to name when the notebook takes too long."""
    print(f"@phase {what}", file=sys.stderr, flush=True)


def uncaught_text(cell):
    """The first lines of an 'UncaughtException:' tslab printed under this cell, or None."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr" and "UncaughtException:" in out.get("text", ""):
            text = ANSI.sub("", out["text"])
            lines = [l for l in text[text.index("UncaughtException:"):].splitlines() if l.strip() and not INTERNAL_FRAME.search(l)]
            return "\n".join(lines[:3])
    return None


def first_line(source):
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line if len(line) <= 60 else line[:57] + "..."


async def run(args):
    nb = read_notebook(args.notebook)
    client = StrayTrackingClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        allow_errors=True,  # we judge each reply ourselves (see module docstring)
        record_timing=False,  # no timestamps: rendered pages must be byte-identical run to run
        interrupt_on_timeout=False,  # a JS busy loop cannot be interrupted; we stop the kernel
        shutdown_kernel="immediate",
        resources={"metadata": {"path": args.cwd}},
    )
    reports = []
    cell_of_msg = {}  # execute request id -> report, to place late output
    stopped = None  # why the remaining cells will not run, once something went wrong

    def report(index, cell, status, message=None):
        r = {"index": index, "executionCount": cell.get("execution_count"), "status": status}
        if message:
            r["message"] = message
        reports.append(r)

    phase("starting the kernel")
    async with client.async_setup_kernel():
        STARTED.append(client.km)
        info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
        if info and "language_info" in info["content"]:
            nb.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            phase(f"running cell {index + 1} of {len(nb.cells)}")
            if stopped:
                cell.outputs, cell.execution_count = [], None
                report(index, cell, "not-run", stopped)
                continue
            if not cell.source.strip():
                report(index, cell, "ok")
                continue
            replies = []

            def keep(cell, cell_index, execute_reply):
                replies.append(execute_reply)

            client.on_cell_executed = keep
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellTimeoutError:
                report(index, cell, "timeout", f"cell {index + 1} timed out after {args.timeout} s: {first_line(cell.source)}")
                stopped = f"not run: the kernel was stopped after cell {index + 1} timed out"
                continue
            except DeadKernelError:
                report(index, cell, "error", f"the kernel died while running cell {index + 1}")
                stopped = f"not run: the kernel died in cell {index + 1}"
                continue
            reply = replies[0] if replies else None
            if reply:
                cell_of_msg[reply["parent_header"].get("msg_id")] = len(reports)
            status = reply["content"].get("status") if reply else None
            uncaught = uncaught_text(cell)
            if status == "ok" and uncaught:
                # tslab prints an exception nobody caught (a throwing timer or callback) under
                # whichever cell is running when it happens; the cell's own code did not fail.
                report(index, cell, "error", f"{uncaught}\n(thrown outside cell {index + 1}'s own code: by a timer or callback "
                       "that this or an earlier cell scheduled and did not await)")
                if not args.continue_on_error:
                    stopped = f"not run: cell {index + 1} failed"
                continue
            if status == "ok":
                report(index, cell, "ok")
                continue
            if status == "error" and "raises-exception" in cell.metadata.get("tags", []):
                # Jupyter's convention for a cell that shows an error on purpose.
                report(index, cell, "ok")
                continue
            if status in ("abort", "aborted"):
                report(index, cell, "aborted", f"cell {index + 1} was aborted by the kernel without running "
                       "(it arrived in tslab's abort window after a failure)")
            else:
                report(index, cell, "error", error_text(reply) or f"cell {index + 1} failed (status {status!r}) with no message")
            if not args.continue_on_error:
                stopped = f"not run: cell {index + 1} failed"
        if not stopped:
            phase("collecting the last outputs")
            await client.drain()
    for msg in client.stray:
        at = cell_of_msg.get(msg["parent_header"].get("msg_id"))
        if at is None or reports[at]["status"] != "ok":
            continue
        n = reports[at]["index"] + 1
        reports[at]["status"] = "error"
        said = ANSI.sub("", msg["content"].get("text", "")).strip().splitlines()
        reports[at]["message"] = (
            f"cell {n} showed output ({msg['msg_type']}) after it had finished, so the output lands in "
            "another cell or nowhere: something in the cell was not awaited (e.g. a display of a Promise)"
            + (f"; it said: {said[0][:200]}" if said else "")
        )
    return {"cells": reports, "executed": nb}


STARTED = []  # the kernel managers run() started, so that a stop can make sure they are gone
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


async def run_until_stopped(args):
    """run(), ended cleanly when we are stopped: the kernel is shut down, never left spinning."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    stopped = []

    def stop(sig):
        stopped.append(sig)
        task.cancel()

    # nbclient registers its own SIGINT/SIGTERM handlers (they clean its kernel up), which would
    # replace ours: keep both, theirs first.
    add_signal_handler = loop.add_signal_handler

    def add_both(sig, callback, *cb_args):
        if sig not in STOP_SIGNALS:
            return add_signal_handler(sig, callback, *cb_args)

        def both():
            callback(*cb_args)
            stop(sig)

        return add_signal_handler(sig, both)

    loop.add_signal_handler = add_both
    for sig in STOP_SIGNALS:
        add_signal_handler(sig, stop, sig)
    try:
        return await run(args)
    except BaseException as e:
        if not stopped:
            raise
        # nbclient's own clean-up may fail half-way when cancelled: make sure of the kernel here.
        for km in STARTED:
            try:
                if await ensure_async(km.is_alive()):
                    await ensure_async(km.shutdown_kernel(now=True))
            except Exception:
                pass
        raise ValueError("stopped by a signal: the kernel was shut down") from e


def die_with_parent():
    """Linux: be sent SIGTERM when the process that started us dies, even by SIGKILL, so that no
    runner (and so no kernel, which we shut down on SIGTERM) outlives the command that started it."""
    try:
        import ctypes, ctypes.util
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except Exception:
        pass


def main():
    die_with_parent()
    p = argparse.ArgumentParser()
    p.add_argument("notebook")
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=int, default=60)  # nbclient wants whole seconds
    p.add_argument("--continue-on-error", action="store_true")
    p.add_argument("--cwd", default=None)
    p.add_argument("--kernel", default="tslab")
    args = p.parse_args()
    try:
        result = asyncio.run(run_until_stopped(args))
        code = 0
    except ValueError as e:
        result, code = {"error": str(e)}, 2
    except Exception as e:  # e.g. the kernelspec is missing: say it in one line
        result, code = {"error": f"{type(e).__name__}: {e}"}, 2
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f)
    sys.exit(code)


if __name__ == "__main__":
    main()
