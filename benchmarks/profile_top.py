"""The top frames of py-spy raw profiles (`claim_load.py --profile-dir`), inclusive and self.

    python benchmarks/profile_top.py DIR [--top 30] [--match claims]

Each raw line is a stack (frames joined by ";", outermost first) and a sample count. A
frame's inclusive share counts the samples it is anywhere on the stack (once per sample),
its self share those where it is on top. Idle samples (the event loop waiting in
`select`/`epoll`) are left out, so the shares are of the processes' busy time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

IDLE = ("select (selectors.py", "EpollSelector.select", "poll (", "_run_once (asyncio")
_LINE = re.compile(r" \(([^()]*):\d+\)")


def _name(frame: str) -> str:
    """`f (path:line)` -> `f (path)`: lines of one function count together."""
    return _LINE.sub(r" (\1)", frame.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default="", help="only frames containing this text")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    busy = 0
    for path in sorted(args.directory.glob("*.txt")):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [_name(f) for f in stack.split(";") if f]
            if not frames or any(frames[-1].startswith(i) for i in IDLE):
                continue
            n = int(count)
            busy += n
            for name in set(frames):
                inclusive[name] += n
            own[frames[-1]] += n
    print(f"{busy} busy samples")
    print(" incl%   self%  frame")
    for name, n in inclusive.most_common():
        if args.match not in name:
            continue
        print(f"{100 * n / busy:6.1f} {100 * own[name] / busy:6.1f}  {name}")
        args.top -= 1
        if args.top == 0:
            break


if __name__ == "__main__":
    main()
