#!/usr/bin/env python3
"""manhelp.py: the manual page and the commands' --help, held to each other.

usage: manhelp.py PFHARNESS MANPAGE SRCDIR

Each check prints `ok` or `FAIL` and a line; the last line is "N passed, N failed".
- For each command (run, list, parse, trace, probes, diff, bench, world, check, and
  the program itself): the options its --help shows (usage lines and option rows) are the options
  the manual's SYNOPSIS shows for it, and each is described by an `.It Fl` item of the
  manual (or the lines of an `.It Xo` ... `.Xc` item).
- Each option --help shows is accepted: `pfharness CMD [SUB] OPTION [VALUE] --help`
  prints the usage and exits 0 (the option was parsed, then --help ended the command).
- Every long option and short option letter in the getopt tables under SRCDIR
  (harness/cli/*.c) is shown by some --help.
- The exit statuses each --help lists ("Exit: 0 ..., 1 ..., 2 ...") are those the
  manual's EXIT STATUS lists for the command.
-h/--help is left out of the comparisons: every command takes it (the manual says so
once).
"""
import glob
import os
import re
import subprocess
import sys

COMMANDS = ["run", "list", "parse", "trace", "probes", "diff", "bench", "world", "check"]
# Values for options whose argument is checked while the options are read.
VALUES = {"--if": "em0=192.0.2.1/24", "--group": "egress=em0", "--jail": "web=10.0.0.1",
          "-D": "a=b", "-o": "none", "--time-ms": "1", "--workload": "all", "-w": "all", "--runs": "1", "-r": "1", "--threshold": "5", "-t": "5",
          "-c": "95", "--confidence": "95", "--pps": "1", "--seconds": "1", "-s": "1",
          "--dst-mac": "02:00:00:00:00:01", "--min-coverage": "50",
          "--sysctl": "net.pf.filter_local=1", "--freebsd": "15", "--from": "14",
          "--to": "15"}
HELP = {"-h", "--help"}
OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z]+)(?![\w-])")

results = []


def check(ok, what, detail=""):
    results.append(ok)
    print("%s %s%s" % ("ok   " if ok else "FAIL ", what, "" if ok or not detail else
                         "\n      " + detail))


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def words(opt):
    """-nv is the options -n and -v."""
    if opt.startswith("--") or len(opt) == 2:
        return [opt]
    return ["-" + c for c in opt[1:]]


def help_options(text):
    """{subcommand: {option: takes a value}} from a --help: its usage lines (a line
    `usage: pfharness ...`, the lines under it that go on with `[` or `pfharness`) and
    its option rows (`  -x, --long VALUE  text`, `      --long  text`)."""
    subs, sub = {}, None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"\s*(?:usage:\s+)?pfharness\s+(.*)$", line)
        usage = m is not None and (line.lstrip().startswith("usage:") or
                                   (i > 0 and sub is not None))
        cont = sub is not None and re.match(r"\s+\[", line)
        if usage:
            rest = m.group(1)
            w = rest.split()
            sub = ""
            if w and w[0] in COMMANDS:
                sub = w[0]
                if len(w) > 1 and re.match(r"^[a-z]+$", w[1]):
                    sub += " " + w[1]
            subs.setdefault(sub, {})
            scan(rest, subs[sub])
        elif cont:
            scan(line, subs[sub])
        else:
            row = re.match(r"^  (-\w)(?:, (--[\w-]+))?(?: (\S+)( +|$))?", line) or \
                re.match(r"^      (--[\w-]+)()(?: (\S+)( +|$))?", line)
            if row:
                key = "" if sub is None else sub.split()[0] if sub else sub
                d = subs.setdefault(key, {})
                # a value: FILE, NAME=VALUE, or a lower-case word the text
                # column starts after (`-o none      the optimizer`)
                v = row.group(3)
                val = bool(v) and not v.startswith("-") and (
                    not re.fullmatch(r"[a-z]+", v) or len(row.group(4)) >= 2 or
                    not row.group(4))
                for o in row.group(1), row.group(2):
                    if o:
                        d[o] = val
            if not line.startswith(" "):
                sub = None if not line.strip() or not usage else sub
    return subs


def scan(text, d):
    """Options in a usage text; one takes a value when a word follows it (`[-c |
    --confidence CONF]`: both)."""
    toks = re.findall(r"\[|\]|\||[^\s\[\]|]+", text)
    group = []
    for i, t in enumerate(toks):
        if OPT.fullmatch(t) and t != "-":
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            val = nxt not in ("", "[", "]", "|", "...") and not nxt.startswith("-")
            for w in words(t):
                d[w] = val and len(words(t)) == 1
            group.append(t)
            if nxt == "|":
                continue
            if val:
                for g in group:
                    d[g] = True
            group = []
        elif t not in ("|",):
            group = [] if t != "[" else group


def man_sections(text):
    """The SYNOPSIS options per command, the `.It Fl` options per `.Ss` command, and
    the EXIT STATUS numbers per command, from the manual's source."""
    syn, items, exits = {}, {}, {}
    sect, ss, cur, exit_cmd, xo = None, None, None, None, False
    for line in text.split("\n"):
        # an item's head written over several lines: `.It Xo` ... `.Xc`
        if line == ".It Xo":
            xo = True
        elif line == ".Xc":
            xo = False
        elif xo and sect == "DESCRIPTION" and ss in COMMANDS:
            items.setdefault(ss, set()).update(fl(line))
            continue
        if line.startswith(".Sh "):
            sect, ss = line[4:], None
            continue
        if line.startswith(".Ss "):
            ss = line[4:].strip()
            continue
        if sect == "SYNOPSIS":
            if line == ".Nm":
                cur = None
                continue
            m = re.match(r"\.Cm (\w+)(?: (\w+))?$", line)
            if m and cur is None:
                cur = m.group(1)
                continue
            if cur is None and line.startswith(".Fl"):
                cur = ""
            syn.setdefault(cur or "", set()).update(fl(line))
        elif sect == "DESCRIPTION" and ss in COMMANDS and line.startswith(".It "):
            items.setdefault(ss, set()).update(fl(line))
        elif sect == "DESCRIPTION" and ss is None and line.startswith(".Fl "):
            items.setdefault("", set()).update(fl(line))
        elif sect == "EXIT STATUS":
            m = re.match(r"\.It Cm (\w+)$", line)
            if m:
                exit_cmd = m.group(1)
            m = re.match(r"\.It (\d)$", line)
            if m and exit_cmd:
                exits.setdefault(exit_cmd, set()).add(int(m.group(1)))
    return syn, items, exits


def fl(line):
    out = set()
    for m in re.finditer(r"\bFl(?: (-?[A-Za-z][\w-]*))?", line):
        if m.group(1):
            out.update(words("-" + m.group(1)))
    return out - HELP


def exit_codes(text):
    m = re.search(r"^Exit(?: status)?:(.*?)(?:\n\n|\Z)", text, re.M | re.S)
    if not m:
        return set()
    return {int(x) for x in re.findall(r"(?:^|,)\s*(\d)\s", m.group(1))}


def source_options(srcdir):
    """{file: options its getopt tables and strings accept} for harness/cli/*.c."""
    found = {}
    for f in sorted(glob.glob(os.path.join(srcdir, "harness/cli/*.c"))):
        s = open(f).read()
        o = {"--" + x for x in
             re.findall(r'\{\s*"([a-z][a-z0-9-]*)",\s*\w+_argument', s)}
        for g in re.findall(r'getopt(?:_long)?\(argc, argv, "([^"]*)"', s):
            o.update("-" + c for c in g if c.isalpha())
        if o - HELP:
            found[os.path.basename(f)] = o - HELP
    return found


# Which commands' --help must show a file's options.
FILES = {"run_opts.c": ["run", "list"], "cmd_parse.c": ["parse"],
         "cmd_trace.c": ["trace"], "cmd_bench.c": ["bench"], "main.c": [""],
         "cmd_probes.c": ["probes"], "cmd_diff.c": ["diff"],
         "cmd_world.c": ["world"], "cmd_check.c": ["check"],
         "worldopt.c": ["world", "check", "parse", "trace"]}


def main(bin_, manpage, srcdir):
    man = open(manpage).read()
    syn, items, exits = man_sections(man)
    seen = {}
    for cmd in [""] + COMMANDS:
        rc, out, err = run([bin_] + ([cmd] if cmd else []) + ["--help"])
        check(rc == 0 and out.startswith("usage: pfharness"),
              "pfharness %s--help: usage on stdout, exit 0" % (cmd + " " if cmd else ""),
              "exit %d, stdout %r" % (rc, out[:60]))
        subs = help_options(out)
        opts = {}
        for s, d in subs.items():
            if cmd == "" and s != "":
                continue
            for o, v in d.items():
                if o not in HELP:
                    opts[o] = v
        seen[cmd] = set(opts)
        name = cmd or "pfharness"
        m_syn, m_it = syn.get(cmd, set()), items.get(cmd, set())
        check(m_syn <= set(opts), "%s: every option of the SYNOPSIS is in --help" % name,
              "not in --help: %s" % sorted(m_syn - set(opts)))
        described = m_it | (m_syn if not cmd else set())
        check(set(opts) <= described,
              "%s: every option of --help is described in the manual" % name,
              "not described: %s" % sorted(set(opts) - described))
        check(m_it <= set(opts), "%s: every option the manual describes is in --help" % name,
              "not in --help: %s" % sorted(m_it - set(opts)))
        # each option accepted: CMD [SUB] OPT [VALUE] --help
        bad = []
        for s, d in subs.items():
            if cmd == "" and s != "":
                continue
            prefix = s.split() if s else []
            if cmd and not prefix:
                prefix = [cmd]
            for o, v in sorted(d.items()):
                if o in HELP:
                    continue
                argv = [bin_] + prefix + [o] + ([VALUES.get(o, "x")] if v else []) + \
                    ["--help"]
                if cmd == "" and o in ("-V", "--version"):
                    argv = [bin_, o]
                rc, out2, err2 = run(argv)
                if rc != 0 or not (out2.startswith("usage:") or
                                   out2.startswith("pfharness ")):
                    bad.append("%s (exit %d: %s)" % (" ".join(argv[1:]), rc,
                                                      (err2 or out2).strip()[:80]))
        check(not bad, "%s: every option --help shows is accepted" % name, "; ".join(bad))
        if cmd:
            h = exit_codes(out)
            check(h and h == exits.get(cmd, set()),
                  "%s: --help and EXIT STATUS list the same exit statuses" % name,
                  "--help: %s, manual: %s" % (sorted(h), sorted(exits.get(cmd, set()))))
    for f, opts in source_options(srcdir).items():
        shown = set().union(*(seen.get(c, set()) for c in FILES.get(f, [])))
        check(opts <= shown, "%s: every option its getopt accepts is in %s --help" %
              (f, " and ".join(FILES.get(f, ["(no command)"]))),
              "missing: %s" % sorted(opts - shown))
    npass = sum(1 for r in results if r)
    print("%d passed, %d failed" % (npass, len(results) - npass))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
