#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that every function our files offer the rest of the kernel has a
kernel-doc comment: the functions declared (not defined inline) in our
headers under include/, and those exported with EXPORT_SYMBOL*().

Usage: kerneldoc-coverage.py REPO
Prints one line per undocumented function and exits 1 if there is any.
"""
import re
import subprocess
import sys

DOC = re.compile(r'/\*\*\s*\n\s*\*\s*(?:struct\s+|enum\s+)?(\w+)(?:\(\))?\s+-')
PROTO = re.compile(r'^(?!static\b|typedef\b|#)(?:extern\s+)?(?:const\s+)?'
                   r'(?:\w+[\s*]+)+(\w+)\(', re.M)
EXPORT = re.compile(r'^EXPORT_SYMBOL\w*\((\w+)\)', re.M)


def our_files(repo):
    out = subprocess.run(['git', '-C', repo, 'ls-files', '-co',
                          '--exclude-standard', '--', '*.c', '*.h'],
                         check=True, capture_output=True, text=True).stdout
    return [f for f in out.split() if not f.startswith('tools/')]


def main():
    repo = sys.argv[1]
    documented = set()
    wanted = {}
    for name in our_files(repo):
        with open('%s/%s' % (repo, name), encoding='utf-8') as f:
            text = f.read()
        documented.update(DOC.findall(text))
        for sym in EXPORT.findall(text):
            wanted.setdefault(sym, name)
        if name.startswith('include/linux/') and name.endswith('.h'):
            for sym in PROTO.findall(text):
                wanted.setdefault(sym, name)
    missing = sorted((f, s) for s, f in wanted.items() if s not in documented)
    for f, s in missing:
        print('%s: %s() has no kernel-doc comment' % (f, s))
    sys.exit(1 if missing else 0)


if __name__ == '__main__':
    main()
