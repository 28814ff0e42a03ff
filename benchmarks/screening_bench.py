"""How much does screening add to reading an arrests export?

Generates N synthetic arrests (default 1,000,000) in the example export's shape, then times, in the
same run: reading and checking the file (`read_arrests`: the parse), and reading plus screening it
against the Seattle example protocol (`screen`: the distinct fact tuples decided once, joined back).
Prints rows per second for each and the ratio of screening to parsing (the aim: no more than 1).
Storing the results in the database is not timed here. Run:

    .venv/bin/python benchmarks/screening_bench.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from offramp.referrals.protocol import example
from offramp.referrals.screening import load_mapping, read_arrests, screen

EXAMPLES = Path(__file__).resolve().parents[1] / "offramp" / "referrals" / "examples"
STATUTES = [
    "RCW 69.50.4013",
    "RCW 69.50.401",
    "RCW 9A.88.030",
    "RCW 9A.56.050",
    "RCW 9A.52.080",
    "RCW 9A.36.021",
    "RCW 46.61.502",
    "RCW 9A.56.068",
]
GRAMS = ["", "0.2", "0.5", "1.0", "1.8", "2.5", "2.9", "3.0", "4.2", "7.5", "28"]
DRUGS = ["", "HER", "FEN", "METH", "COC", "CRK", "RXOP"]


def synthetic(n: int, path: Path, seed: int = 1) -> None:
    """N arrests written as the example export (columns, date formats and codes)."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 730, n)
    born = rng.integers(0, 365 * 50, n)
    pl.DataFrame(
        {
            "IncidentNo": [f"24-{i:07d}" for i in range(n)],
            "ArrestDate": _dates(2024, days),
            "ChargeCode": pl.Series(STATUTES)[rng.integers(0, len(STATUTES), n)],
            "ChargeDesc": "Charge",
            "NetWeightG": pl.Series(GRAMS)[rng.integers(0, len(GRAMS), n)],
            "DrugType": pl.Series(DRUGS)[rng.integers(0, len(DRUGS), n)],
            "DOB": _dates(1950, born),
            "Sex": pl.Series(["F", "M", "M", "U"])[rng.integers(0, 4, n)],
            "Race": pl.Series(["A", "B", "I", "P", "W", "U"])[rng.integers(0, 6, n)],
            "Ethnicity": pl.Series(["H", "N", "U"])[rng.integers(0, 3, n)],
            "ArrestingOfficer": pl.Series([f"Officer {i}" for i in range(120)])[rng.integers(0, 120, n)],
            "Precinct": pl.Series(["North", "South", "East", "West", "Southwest"])[rng.integers(0, 5, n)],
        }
    ).with_columns(pl.all().fill_null("")).write_csv(path)


def _dates(year: int, offsets) -> pl.Series:
    days = pl.Series(offsets) + (np.datetime64(f"{year}-01-01") - np.datetime64("1970-01-01")).astype(int)
    return days.cast(pl.Date).dt.strftime("%m/%d/%Y")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    mapping = load_mapping((EXAMPLES / "cascade_pd_mapping.toml").read_text(encoding="utf-8"))
    protocol = example("seattle")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "arrests.csv"
        start = time.perf_counter()
        synthetic(n, path)
        size = path.stat().st_size / 1e6
        print(f"generated {n:,} rows ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
        screen(read_arrests(path, mapping), protocol)  # warm up: file cache, compiled protocol

        start = time.perf_counter()
        frame = read_arrests(path, mapping)
        parse = time.perf_counter() - start

        start = time.perf_counter()
        screened = screen(read_arrests(path, mapping), protocol)
        both = time.perf_counter() - start
    screening = both - parse
    distinct = screened.select("statute", "quantity_grams", "substance", "age").n_unique()
    print(f"parse only:      {parse:6.2f} s  {n / parse:>12,.0f} rows/s")
    print(f"parse + screen:  {both:6.2f} s  {n / both:>12,.0f} rows/s")
    print(f"screen alone:    {screening:6.2f} s  ({distinct:,} distinct fact tuples decided)")
    print(f"ratio screen / parse: {screening / parse:.2f}  (aim: at most 1.00)")
    counts = screened.group_by("outcome").len().sort("outcome").rows()
    print("outcomes:", ", ".join(f"{k} {v:,}" for k, v in counts), f"of {frame.height:,}")


if __name__ == "__main__":
    main()
