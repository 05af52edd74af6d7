"""Jupyter's kernel conformance suite (jupyter_kernel_test) against the tslab kernelspec the project
installs, plus the protocol points it does not cover. Run by kernel-conformance.test.ts:

    python3 -m unittest -v tslab_conformance      (JUPYTER_PATH pointing at .jupyter/share/jupyter)

Tests of the suite that do not apply to tslab are left skipped, as the suite intends (an empty
sample): the pager (tslab has no `?` help), clear_output (tslab's display API has none), history
(tslab keeps none) and is_complete's "invalid" (tslab never says it).
"""

import unittest

import jupyter_kernel_test
from jupyter_client.utils import run_sync
from jupyter_kernel_test.msgspec_v5 import validate_message

# The suite waits 15 s for a reply; a kernel on a busy shared machine may compile a first cell
# slower than that. How long it takes is not what is tested here.
jupyter_kernel_test.TIMEOUT = 120
WAIT = 120


class TslabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tslab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'
    completion_samples = [{"text": "Math.ab", "matches": {"abs"}}]
    complete_code_samples = ["1 + 1", "const x = 3;", "function f() {}"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (true) {"]
    code_generate_error = 'throw new Error("generated")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"micro" + "grad"', "result": "micrograd"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
    ]
    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>hi</b>")', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.text("plain")', "mime": "text/plain"},
    ]
    code_inspect_sample = "Math.max"

    def execute_helper(self, code, timeout=WAIT, silent=False, store_history=True, stop_on_error=True):
        """The suite's own helper, with room for a busy machine: it waits 0.1 s for each output
        message after the reply, which a loaded machine can miss. The checks are the suite's."""
        msg_id = self.kc.execute(code=code, silent=silent, store_history=store_history, stop_on_error=stop_on_error)
        reply = self.get_non_kernel_info_reply(timeout=timeout)
        validate_message(reply, "execute_reply", msg_id)
        busy_msg = run_sync(self.kc.iopub_channel.get_msg)(timeout=timeout)
        validate_message(busy_msg, "status", msg_id)
        self.assertEqual(busy_msg["content"]["execution_state"], "busy")
        output_msgs = []
        while True:
            msg = run_sync(self.kc.iopub_channel.get_msg)(timeout=timeout)
            validate_message(msg, msg["msg_type"], msg_id)
            if msg["msg_type"] == "status":
                self.assertEqual(msg["content"]["execution_state"], "idle")
                break
            elif msg["msg_type"] == "execute_input":
                self.assertEqual(msg["content"]["code"], code)
                continue
            output_msgs.append(msg)
        return reply, output_msgs

    def wait_out_abort_window(self):
        """After a failure with stop_on_error, tslab aborts what arrives in the next ~200 ms (by a
        timer, which a busy machine may fire late): send a no-op until one really runs."""
        for _ in range(100):
            self.flush_channels()
            msg_id = self.kc.execute("0", stop_on_error=False)
            while True:
                reply = self.kc.get_shell_msg(timeout=WAIT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"]["status"] == "ok":
                self.flush_channels()
                return
        self.fail("tslab kept aborting requests after a failure")

    def test_error(self):
        super().test_error()  # sent with stop_on_error, as the suite does
        self.wait_out_abort_window()

    # What the suite does not check.

    def test_kernel_info_is_honest(self):
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=WAIT)
        validate_message(reply, "kernel_info_reply", msg_id)
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertNotEqual(content["language_info"]["version"], "3.7.2")
        self.assertRegex(content["language_info"]["version"], r"^5\.\d+\.\d+$")
        self.assertRegex(content["banner"], r"^TypeScript 5\.\d+\.\d+ \(tslab 1\.0\.\d+, Node\.js v\d+\.\d+\.\d+\)$")

    def test_execute_result_has_the_execution_count(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("40 + 2")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])
        self.assertEqual(results[0]["content"]["data"], {"text/plain": "42"})
        # The value is said once: not also printed on stdout, as tslab used to.
        self.assertEqual([m for m in outputs if m["msg_type"] == "stream"], [])

    def check_error(self, code, ename, evalue, at):
        self.flush_channels()
        reply, outputs = self.execute_helper(code, stop_on_error=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])
        error = outputs[0]["content"]
        self.assertEqual((error["ename"], error["evalue"]), (ename, evalue))
        self.assertEqual(error["traceback"][0], f"{ename}: {evalue}")
        count = reply["content"]["execution_count"]
        self.assertIn(f"Cell In[{count}]:{at}", "\n".join(error["traceback"]))
        self.assertNotIn("evalmachine", "\n".join(error["traceback"]))
        self.assertNotIn("node_modules/tslab", "\n".join(error["traceback"]))
        # The reply carries the same fields.
        for key in ("ename", "evalue", "traceback"):
            self.assertEqual(reply["content"][key], error[key])
        return error

    def test_a_thrown_error_points_at_the_cells_line_and_column(self):
        code = 'interface P { x: number }\n\nfunction boom(p: P): never {\n  throw new RangeError("x is " + p.x);\n}\nboom({ x: 3 });'
        error = self.check_error(code, "RangeError", "x is 3", "4:9")
        self.assertIn('      4 |   throw new RangeError("x is " + p.x);', error["traceback"])

    def test_a_type_error_is_an_error_message(self):
        self.check_error('let n: number = 1;\nn = "one";', "TSError", "Type 'string' is not assignable to type 'number'.", "2:1 (TS2322)")

    def test_a_syntax_error_is_an_error_message(self):
        self.check_error("const a = 1;\nconst b = (a + ;", "SyntaxError", "Expression expected.", "2:16 (TS1109)")

    def test_a_rejected_await_is_an_error_message(self):
        self.check_error('await Promise.reject(new TypeError("no"));', "TypeError", "no", "1:22")

    def run_two(self, stop_on_error):
        """A failing request and one right behind it, both sent before either reply."""
        self.flush_channels()
        first = self.kc.execute('throw new Error("first")', stop_on_error=stop_on_error)
        second = self.kc.execute("1 + 1")
        replies = {}
        while len(replies) < 2:
            reply = self.kc.get_shell_msg(timeout=WAIT)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        self.flush_channels()
        return replies[first], replies[second]

    def test_stop_on_error_aborts_the_queued_request(self):
        first, second = self.run_two(stop_on_error=True)
        self.wait_out_abort_window()
        self.assertEqual(first["status"], "error")
        self.assertEqual(second["status"], "aborted")

    def test_without_stop_on_error_the_queued_request_runs(self):
        first, second = self.run_two(stop_on_error=False)
        self.assertEqual(first["status"], "error")
        self.assertEqual(second["status"], "ok")

    def test_comm_info_reply_follows_the_protocol(self):
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.kc.get_shell_msg(timeout=WAIT)
        validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"]["comms"], {})


if __name__ == "__main__":
    unittest.main()
