"""The ``xuefeng`` process's own start and end: what it spends outside the command's work."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)


#: a garbage cycle with a finaliser, made just before the process ends: only the interpreter's
#: last collection (at exit) would find it and call __del__
NOISY_CYCLE = """
class Noisy:
    def __del__(self):
        print("collected")
n = Noisy(); n.me = n; del n
"""


def test_the_command_leaves_the_last_garbage_collection_out_at_exit(tmp_path):
    code = f"import sys\nfrom game.cli import main\nmain(['schema', '--out', sys.argv[1]])\n{NOISY_CYCLE}"
    out = _python(code, str(tmp_path / "schema.json"))
    assert (tmp_path / "schema.json").exists() and "collected" not in out.stdout


def test_without_the_command_the_last_collection_at_exit_finds_the_cycle():
    """The check above can fail: the same cycle is collected at exit by a plain process."""
    assert "collected" in _python(f"import game.cli\n{NOISY_CYCLE}").stdout


def test_reading_what_the_plots_need_imports_none_of_the_games_modules():
    """The batch forks its plotting process once the scenario and map are read: the engine's
    rules, AI and scipy are imported after the fork, in the batch's process only."""
    code = ("import sys\nfrom engine.analysis.plot_process import load_plot_source\n"
            "load_plot_source('west_hunan_1945', None)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy' or m.startswith("
            "('engine.core', 'engine.rules', 'engine.ai', 'matplotlib'))))")
    assert _python(code).stdout.strip() == "[]"


BLAS_THREADS = "import os, sys\nfrom game.cli import main\nmain(['schema', '--out', sys.argv[1]])\nprint(os.environ['OPENBLAS_NUM_THREADS'])"


def test_the_command_starts_openblas_with_one_thread(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert _python(BLAS_THREADS, str(tmp_path / "schema.json")).stdout.split()[-1] == "1"


def test_the_command_keeps_the_users_openblas_threads(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert _python(BLAS_THREADS, str(tmp_path / "schema.json")).stdout.split()[-1] == "3"


#: a batch run as this process's own command line (main() without arguments), with an exit
#: handler and an object whose finaliser only the interpreter's teardown would call
BATCH_AS_THE_COMMAND = """
import atexit, sys
from game.cli import main
class Freed:
    def __del__(self):
        print("torn down")
kept = Freed()
atexit.register(lambda: print("rich imported:", "rich" in sys.modules))
atexit.register(print, "exit handler ran")
sys.argv = ["xuefeng", "sim", "--runs", "1", "--no-plots", "--no-turns", "--out", sys.argv[1]]
{call}
"""


def test_a_batch_ends_its_process_once_its_output_is_out_without_the_teardown(tmp_path):
    out = _python(BATCH_AS_THE_COMMAND.format(call="sys.exit(main())"), str(tmp_path))
    lines = out.stdout.splitlines()
    assert lines[0].startswith("1 campaigns") and lines[-2:] == ["exit handler ran", "rich imported: False"]
    assert "torn down" not in out.stdout and (tmp_path / "runs.csv").exists()


def test_a_batch_called_with_its_arguments_returns_and_the_process_ends_as_usual(tmp_path):
    """The check above can fail: main() given its arguments (a caller's, not the command line) returns."""
    call = "sys.exit(main(sys.argv[1:]))"
    out = _python(BATCH_AS_THE_COMMAND.format(call=call), str(tmp_path))
    assert out.stdout.splitlines()[-3:] == ["exit handler ran", "rich imported: False", "torn down"]
