"""Jupyter's own kernel test suite (Debian's python3-jupyter-kernel-test) against the Sciforge
kernel: every sample field the suite has is filled in; only the pager is left out (Sciforge has
no `?` help pages). Run by jupyter-kernel-test.test.ts with a kernelspec in a temp
JUPYTER_DATA_DIR and a temp SCIFORGE_DATA_DIR (the input history starts empty)."""
import os
import unittest

import jupyter_kernel_test


class SciforgeKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("SCIFORGE_KERNEL_NAME", "sciforge")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'

    completion_samples = [
        {"text": "Math.sq", "matches": {"sqrt", "SQRT1_2", "SQRT2"}},
        # es2023's lib on Node 20: toSorted is there
        {"text": "[3, 1, 2].toSo", "matches": {"toSorted"}},
    ]

    complete_code_samples = ["1 + 1", "const a = 1;", "function f() {\n  return 1;\n}", "%time\n1"]
    incomplete_code_samples = ["if (x) {", "function f() {\n  return 1;", "`an unterminated template", "foo(1,", "/* a comment"]
    invalid_code_samples = ["const = 5;", "1 +* 2", "let 5 = 3;"]

    code_page_something = ""  # no pager

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[3, 1, 2].toSorted()", "result": "[ 1, 2, 3 ]"},
    ]

    code_display_data = [
        {"code": 'import { display, html } from "sciforge";\ndisplay(html("<b>hi</b>"))', "mime": "text/html"},
        {"code": 'import { display, markdown } from "sciforge";\ndisplay(markdown("*hi*"))', "mime": "text/markdown"},
    ]

    # a glob, as IPython's history search: matches "6 * 7" only
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math"

    code_clear_output = 'import { clearOutput } from "sciforge";\nclearOutput()'


if __name__ == "__main__":
    unittest.main(verbosity=2)
