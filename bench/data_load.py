"""How fast, and in how much memory, data.load reads a big CSV, beside csv.reader alone on the same file.

Builds a CSV of --mb megabytes by repeating the shipped names corpus (so
most rows are duplicates, as in a concatenated or oversampled file), then
times three things, each in a fresh subprocess so peak memory is its own:
- csv.reader over the file, doing nothing with the rows (the floor);
- data.load on it;
- data.load on a gzipped copy.
It prints seconds, MB/s, the peak memory each added over a bare interpreter
with rnn_tui.data imported, and the ratios to the floor.  With --busy it
first starts a CPU-bound process beside the measurements (and says so).

    python bench/data_load.py --mb 200
    python bench/data_load.py --mb 200 --busy
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import csv, resource, sys, time
from rnn_tui import data
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
if sys.argv[1] == "csv":
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        n = sum(1 for _ in csv.reader(f))
else:
    n = len(data.load(sys.argv[2]).names)
seconds = time.perf_counter() - t
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before, n)
"""


def spin() -> None:
    """A CPU-bound neighbour."""
    while True:
        sum(i * i for i in range(10_000))


def measure(kind: str, path: Path) -> tuple[float, float, int]:
    """(seconds, peak KiB added, rows or names) for one run in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", PROBE, kind, str(path)], capture_output=True, text=True, check=True)
    seconds, grown, n = out.stdout.split()
    return float(seconds), float(grown), int(n)


def main() -> None:
    """Build the file, measure, print."""
    from rnn_tui import data

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100, help="size of the CSV in MB (default: 100)")
    ap.add_argument("--busy", action="store_true", help="run a CPU-bound process beside the measurements")
    args = ap.parse_args()

    corpus = data.load("names")
    block = "".join(f"{n},{lang}\n" for n, lang in zip(corpus.names, corpus.languages, strict=True))
    folder = Path(tempfile.mkdtemp(prefix="rnn-tui-bench-"))
    neighbour = None
    try:
        path = folder / "big.csv"
        with path.open("w", encoding="utf-8") as f:
            f.write("name,language\n")
            for _ in range(max(1, int(args.mb * 1e6 / len(block)))):
                f.write(block)
        packed = folder / "big.csv.gz"
        with path.open("rb") as src, gzip.open(packed, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst)
        size = path.stat().st_size / 1e6
        if args.busy:
            neighbour = multiprocessing.Process(target=spin, daemon=True)
            neighbour.start()
            print("a CPU-bound process runs beside these measurements")
        print(f"{size:.0f} MB CSV ({packed.stat().st_size / 1e6:.0f} MB gzipped), "
              f"{len(corpus.names):,} distinct names repeated")
        floor, floor_mem, rows = measure("csv", path)
        print(f"csv.reader alone    {floor:7.1f} s  {size / floor:6.1f} MB/s  peak +{floor_mem / 1024:6.0f} MiB  "
              f"{rows:,} rows")
        for label, source in (("data.load .csv", path), ("data.load .csv.gz", packed)):
            seconds, grown, kept = measure("load", source)
            print(f"{label:<19} {seconds:7.1f} s  {size / seconds:6.1f} MB/s  peak +{grown / 1024:6.0f} MiB  "
                  f"{kept:,} names kept   time / csv.reader = {seconds / floor:.2f}, "
                  f"peak / file size = {grown * 1024 / 1e6 / size:.3f}")
    finally:
        if neighbour is not None:
            neighbour.terminate()
            neighbour.join()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
