#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the parts of git-style patches that touch paths under a prefix.

Usage: filter-patch.py PREFIX PATCH...

Each "diff --git a/X b/X" section whose X starts with PREFIX is printed,
so that the documentation hunks of a series can be applied to a copy of
Documentation/ alone.
"""
import sys


def sections(text):
    cur = None
    for line in text.splitlines(keepends=True):
        if line.startswith('diff --git '):
            if cur:
                yield cur
            cur = [line]
        elif cur is not None:
            # The signature that ends a format-patch mail.
            if line == '-- \n':
                yield cur
                cur = None
                continue
            cur.append(line)
    if cur:
        yield cur


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: filter-patch.py PREFIX PATCH...')
    prefix = sys.argv[1]
    for name in sys.argv[2:]:
        with open(name, encoding='utf-8') as f:
            text = f.read()
        for sec in sections(text):
            path = sec[0].split()[2][2:]
            if path.startswith(prefix):
                sys.stdout.write(''.join(sec))


if __name__ == '__main__':
    main()
