#!/usr/bin/python3
"""Many questions to a peer store in one process: tests/support/peer.py answers one command a
process, and a Python start costs more than the peer's own run, so a test that asks the peer about
hundreds of files asks them here at once.

Usage: peer_batch.py --store FILE OUT <QUESTIONS

QUESTIONS has one question a line, tab-separated: the directory to ask from (empty: this one), a
file to give the peer on standard input (empty: none), then the command (promtool|amtool ARG...).
The answer to the Nth question (from 1) is written as OUT/N.rc (exit status), OUT/N.out and
OUT/N.err.

An answer stored in FILE is read from it here, as peer.py reads it (the same key); any other
question (not stored yet, or NSMON_PEERS=record or live) is given to peer.py itself, which asks
the real peer and stores or compares its answer. A question whose answer is not stored and whose
peer is not installed fails the run (peer.py's message), so that no verdict is read from it.
Python code asks the same way with answer(peer.Store(FILE), [PEER, ARG...], stdin).
"""
import os
import subprocess
import sys

SUPPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support")
sys.path.insert(0, SUPPORT)
import peer  # noqa: E402  (tests/support/peer.py)


def stored_answer(store, argv, stdin):
    """(exit, stdout, stderr) from the store, or None: peer.py's key for the same command."""
    name, args = argv[0], argv[1:]
    files = peer.inputs(name, args, stdin)
    found = store.answers.get(peer.key_of(name, args, files))
    if found is None:
        return None
    return found["exit"], peer.from_store(found["stdout"]), peer.from_store(found["stderr"])


def asked(store_path, argv, stdin):
    """peer.py's own answer (it asks the real peer when it has to)."""
    p = subprocess.run([sys.executable, os.path.join(SUPPORT, "peer.py"), "--store", store_path] + argv,
                       input=stdin if stdin is not None else b"", capture_output=True)
    if p.returncode == 97 and p.stderr.startswith(b"peer.py:"):
        sys.exit(p.stderr.decode("utf-8", "replace").rstrip("\n"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def answer(store, argv, stdin):
    """(exit, stdout, stderr): from the store when NSMON_PEERS is "stored" and the answer is there,
    else from peer.py (which asks the real peer, and stores or compares its answer)."""
    found = stored_answer(store, argv, stdin) if os.environ.get("NSMON_PEERS", "stored") == "stored" else None
    return found if found is not None else asked(store.path, argv, stdin)


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "--store":
        sys.exit("usage: peer_batch.py --store FILE OUT <QUESTIONS")
    out = os.path.abspath(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    store = peer.Store(os.path.abspath(sys.argv[2]))
    here = os.getcwd()
    for n, line in enumerate(sys.stdin.read().splitlines(), 1):
        cwd, stdin_file, *argv = line.split("\t")
        os.chdir(cwd or here)
        # peer.py gives standard input to `promtool check metrics` only; so does its key.
        stdin = None
        if stdin_file and argv[:3] == ["promtool", "check", "metrics"]:
            with open(stdin_file, "rb") as f:
                stdin = f.read()
        rc, stdout, stderr = answer(store, argv, stdin)
        os.chdir(here)
        for ext, text in zip(("rc", "out", "err"), (f"{rc}\n", stdout, stderr)):
            with open(os.path.join(out, f"{n}.{ext}"), "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()
