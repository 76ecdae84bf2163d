"""Tests of pyflakes_noqa: which noqa comments silence which messages."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "pyflakes_noqa.py")


def run(source):
    """Runs the script on one file holding source; returns (exit code, output)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        p = subprocess.run([sys.executable, SCRIPT, d], capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


class NoqaTest(unittest.TestCase):
    def test_clean_file_passes(self):
        self.assertEqual(run("import os\nprint(os.sep)\n"), (0, ""))

    def test_unused_import_fails(self):
        code, out = run("import os\n")
        self.assertEqual(code, 1)
        self.assertIn("'os' imported but unused", out)

    def test_noqa_f401_silences_an_unused_import(self):
        self.assertEqual(run("import os  # noqa: F401  (side effect)\n"), (0, ""))

    def test_bare_noqa_silences_its_line_only(self):
        code, out = run("import os  # noqa\nimport sys\n")
        self.assertEqual(code, 1)
        self.assertIn("m.py:2:", out)
        self.assertNotIn("m.py:1:", out)

    def test_noqa_for_another_code_does_not_silence(self):
        code, out = run("import os  # noqa: F841\n")
        self.assertEqual(code, 1)
        self.assertIn("'os' imported but unused", out)

    def test_undefined_name_fails(self):
        code, out = run("print(undefined_name)\n")
        self.assertEqual(code, 1)
        self.assertIn("undefined name 'undefined_name'", out)

    def test_syntax_error_fails(self):
        code, _ = run("def broken(:\n")
        self.assertEqual(code, 1)


if __name__ == "__main__":
    unittest.main()
