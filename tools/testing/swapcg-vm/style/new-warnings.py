#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the warnings of a build that a stock build of the same files lacks.

Usage: new-warnings.py OURS STOCK [ROOT...]

OURS and STOCK hold compiler, sparse or Sphinx output.  A warning is a line
"FILE:[LINE:[COL:]] warning|error|WARNING|ERROR...: MESSAGE"; it is compared
without its line and column, which our patches shift, and without the ROOT
prefixes, so that the two trees compare.  A warning counts as new when it
occurs more often in OURS than in STOCK.  Exits 1 if any is new.
"""
import collections
import re
import sys

WARN = re.compile(r'^(?P<file>[^\s:]+):(?:(?P<line>\d+):)?(?:\d+:)?\s*'
                  r'(?P<msg>(?:warning|error|WARNING|ERROR|CRITICAL)\b.*)$')


def normalize(path, roots):
    for root in roots:
        root = root.rstrip('/') + '/'
        if path.startswith(root):
            return path[len(root):]
    return path


def warnings(name, roots):
    found = collections.Counter()
    first = {}
    with open(name, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = WARN.match(line.rstrip('\n'))
            if not m:
                continue
            key = (normalize(m.group('file'), roots), m.group('msg'))
            found[key] += 1
            first.setdefault(key, line.rstrip('\n'))
    return found, first


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: new-warnings.py OURS STOCK [ROOT...]')
    roots = sys.argv[3:]
    ours, first = warnings(sys.argv[1], roots)
    stock, _ = warnings(sys.argv[2], roots)
    new = 0
    for key, n in sorted(ours.items()):
        extra = n - stock.get(key, 0)
        if extra > 0:
            new += extra
            print(first[key] + (' (x%d)' % extra if extra > 1 else ''))
    sys.exit(1 if new else 0)


if __name__ == '__main__':
    main()
