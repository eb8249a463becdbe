#!/usr/bin/python3
"""A peer's answers stored with the data they judge: promtool, amtool and vmalert, replayed from a file.

Usage: peer.py --store FILE PEER ARG...

Answers PEER ARG... (exit status, stdout, stderr) as the real PEER does. The peers the suite
compares nsmon with are pinned by Debian 12 (promtool 2.42, amtool 0.25, vmalert 1.79), so their answer to the
same command on the same input files never changes: it is stored once, in FILE beside the data,
and read back on every run instead of starting the peer. The key of an answer is the command and
the content of every file it reads (the files named in it, the rule files a unit-test file or a
prometheus.yml loads, stdin for `check metrics`), so a changed input is a new question.

NSMON_PEERS chooses where answers come from:
  stored (default)  the stored answer; an answer not stored yet is asked of the real peer and
                    added to FILE (or, with no peer installed, exit 97 and say so). .ci/run fails
                    when a run added answers, so that CI never depends on the peer.
  record            always the real peer, its answer stored (bench/peers.sh remakes every store).
  live              the real peer; its answer compared with the stored one, each comparison a
                    line in $NSMON_PEERS_LOG ("same", "varies" when the tool itself answers the
                    question differently from run to run and the stored answer is one of
                    them, "differs" or "new", the store and the key).

Paths under the test's scratch directory and the source tree differ between runs: they are
written as $TMP and $SRC in the store (PEER_TMP and PEER_SRC, exported by tests/e2e/lib.sh).
"""
import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

ABOUT = ("Answers of the real peer to the commands the test suite asks it, keyed by the command "
         "and the content of the files it reads (tests/support/peer.py). Made by running the "
         "suite with NSMON_PEERS=record (bench/peers.sh --record); bench/peers.sh re-asks the "
         "peer and compares.")


def roots():
    """(placeholder, path) pairs, longest path first: a scratch directory may lie in the tree."""
    pairs = [(name, os.environ[var]) for name, var in (("$TMP", "PEER_TMP"), ("$SRC", "PEER_SRC"))
             if os.environ.get(var)]
    return sorted(pairs, key=lambda p: -len(p[1]))


def to_store(text):
    for name, path in roots():
        text = text.replace(path, name)
    return text


def from_store(text):
    for name, path in roots():
        text = text.replace(name, path)
    return text


def digest(data):
    return hashlib.sha256(data).hexdigest()


def file_args(args):
    """Arguments that name existing files, `--flag=FILE` included."""
    out = []
    for a in args:
        value = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
        if value and not value.startswith("-") and os.path.isfile(value):
            out.append(value)
    return out


def loaded_by(path, key):
    """The files a YAML file loads through its `key:` globs (rule_files), relative to its folder,
    as Prometheus resolves them. A file that does not parse loads nothing."""
    try:
        import yaml
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        patterns = doc.get(key) or [] if isinstance(doc, dict) else []
    except Exception:  # what the peer says about a broken file is the answer; its key is its text
        return []
    found = []
    for p in patterns if isinstance(patterns, list) else []:
        if isinstance(p, str):
            found += sorted(glob.glob(os.path.join(os.path.dirname(path), p)))
    return [f for f in found if os.path.isfile(f)]


def inputs(peer, args, stdin):
    """{name as the command gives it: sha256} of every file the command reads."""
    files = file_args(args)
    words = [a for a in args if not a.startswith("-")]
    if peer == "promtool" and words[:2] in (["test", "rules"], ["check", "config"]):
        for f in list(files):
            files += loaded_by(f, "rule_files")
    if peer == "amtool":
        for f in list(files):
            files += loaded_by(f, "templates")
    seen = {}
    for f in files:
        with open(f, "rb") as fh:
            seen[to_store(f)] = digest(fh.read())
    if stdin is not None:
        seen["<stdin>"] = digest(stdin)
    return seen


def key_of(peer, args, files):
    return digest(json.dumps([peer, [to_store(a) for a in args], sorted(files.items())]).encode())


def ask(peer, args, stdin):
    p = subprocess.run([peer] + args, input=stdin, capture_output=True)
    return {"exit": p.returncode, "stdout": p.stdout.decode("utf-8", "replace"),
            "stderr": p.stderr.decode("utf-8", "replace")}


class Store:
    """FILE, read once; additions written under a lock (tests run in parallel) by rename."""

    def __init__(self, path):
        self.path = path
        self.answers = self._read()

    def _read(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                return json.load(f)["answers"]
        except FileNotFoundError:
            return {}

    def add(self, key, answer):
        lock = os.path.join(tempfile.gettempdir(), "nsmon-peer-" + digest(os.path.abspath(self.path).encode())[:16])
        with open(lock, "w") as lf:
            fcntl.flock(lf, fcntl.LOCK_EX)
            answers = self._read()
            answers[key] = answer
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(self.path)), prefix=".peer-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"about": ABOUT, "answers": answers}, f, indent=1, sort_keys=True, ensure_ascii=False)
                f.write("\n")
            os.replace(tmp, self.path)


def ask_as_stored(peer, args, stdin, files):
    """The peer's answer now, in the form the store keeps."""
    answer = ask(peer, args, stdin)
    return dict(answer, stdout=to_store(answer["stdout"]), stderr=to_store(answer["stderr"]),
                argv=[peer] + [to_store(a) for a in args], inputs=files)


def main():
    argv = sys.argv[1:]
    if len(argv) < 3 or argv[0] != "--store":
        sys.exit("usage: peer.py --store FILE PEER ARG...")
    store, peer, args = Store(argv[1]), argv[2], argv[3:]
    mode = os.environ.get("NSMON_PEERS", "stored")
    stdin = sys.stdin.buffer.read() if peer == "promtool" and args[:2] == ["check", "metrics"] else None
    files = inputs(peer, args, stdin)
    key = key_of(peer, args, files)
    stored = store.answers.get(key)
    if mode == "stored" and stored is not None:
        answer = stored
    elif shutil.which(peer) is None:
        print(f"peer.py: {peer} is not installed and {store.path} has no answer for "
              f"`{peer} {' '.join(args)}`: record it where {peer} is (bash bench/peers.sh --record)",
              file=sys.stderr)
        sys.exit(97)
    else:
        answer = ask_as_stored(peer, args, stdin, files)
        if mode == "live":
            verdict = "new" if stored is None else "same" if stored == answer else "differs"
            # promtool prints some lists in Go's map order (the series of "found duplicate series for
            # the match group"): an answer that differs is asked again, and one of the tool's own
            # answers is "varies", not stale.
            for _ in range(8 if verdict == "differs" else 0):
                if ask_as_stored(peer, args, stdin, files) == stored:
                    verdict = "varies"
                    break
            with open(os.environ.get("NSMON_PEERS_LOG", os.devnull), "a", encoding="utf-8") as log:
                log.write(f"{verdict}\t{store.path}\t{key}\t{' '.join(answer['argv'])}\n")
        else:
            store.add(key, answer)
    sys.stdout.write(from_store(answer["stdout"]))
    sys.stderr.write(from_store(answer["stderr"]))
    sys.exit(answer["exit"])


if __name__ == "__main__":
    main()
