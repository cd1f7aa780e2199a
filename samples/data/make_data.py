#!/usr/bin/env python3
"""Writes the small data sets of the samples: seed.csv, xor.csv and spirals.csv, next to this script.

Standard library only; fixed seeds, so every run writes the same bytes.

seed.csv (for seed.nn and seed_layers.nn): 400 rows, header x1,x2,x3,y.
    x1, x2, x3 are uniform in [-1, 1], rounded to 4 decimals;
    y = 1 if x1*x2 + 0.5*x3 > 0.1 else 0, computed from the rounded values.
    The product x1*x2 makes the classes not linearly separable, so a hidden layer is needed.

xor.csv (for xor.nn): 200 rows, header x1,x2,y.
    50 points around each corner (a, b) of the unit square, a, b in {0, 1}:
    x1 = a + noise, x2 = b + noise, noise normal with mean 0 and standard deviation 0.15,
    rounded to 4 decimals; y = a XOR b (the corner's label, whatever the noise did).
    Rows are shuffled.

spirals.csv (for spirals.nn): 600 rows, header x1,x2,y.
    Three interleaved spiral arms, 200 points each; y is the arm, 0, 1 or 2 (a class label, which
    nnc expands to a one-hot target). Point i of arm k lies at radius r = i/200 and angle
    4r + 2*pi*k/3, plus normal noise of standard deviation 0.2 on the angle; x1 = r cos, x2 = r sin,
    rounded to 4 decimals. Rows are shuffled.

sequences.csv (for sequence.nn): 600 rows, header x1,...,x32,y.
    A sequence of 32 values of normal noise (standard deviation 0.3) with one ramp of three values added at a
    random place: rising (0.5, 1, 1.5) when y = 1, falling (1.5, 1, 0.5) when y = 0. Both ramps add the same amount,
    so only the order of neighbouring values tells the classes apart, wherever the ramp is: what a 1-D convolution
    with a max over time sees. Rounded to 4 decimals; 300 rows of each class, shuffled.

Usage: python3 samples/data/make_data.py
"""

import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

SEED_ROWS = 400
XOR_PER_CORNER = 50
XOR_NOISE = 0.15
SPIRAL_ARMS = 3
SPIRAL_PER_ARM = 200
SPIRAL_NOISE = 0.2


def fmt(v):
    """A number with 4 decimals, never '-0.0000'."""
    text = f"{v:.4f}"
    return "0.0000" if text == "-0.0000" else text


def write_csv(name, header, rows):
    path = os.path.join(HERE, name)
    with open(path, "w", newline="\n", encoding="ascii") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    print(f"wrote {path} ({len(rows)} rows)")


def seed_rows(rng, count=SEED_ROWS):
    """seed.csv's rows; bench/e2e.sh draws larger sets by the same rule."""
    rows = []
    for _ in range(count):
        x1, x2, x3 = (round(rng.uniform(-1.0, 1.0), 4) for _ in range(3))
        y = 1 if x1 * x2 + 0.5 * x3 > 0.1 else 0
        rows.append([fmt(x1), fmt(x2), fmt(x3), str(y)])
    return rows


def xor_rows(rng):
    rows = []
    for a in (0, 1):
        for b in (0, 1):
            for _ in range(XOR_PER_CORNER):
                x1 = round(a + rng.gauss(0.0, XOR_NOISE), 4)
                x2 = round(b + rng.gauss(0.0, XOR_NOISE), 4)
                rows.append([fmt(x1), fmt(x2), str(a ^ b)])
    rng.shuffle(rows)
    return rows


def spiral_rows(rng):
    rows = []
    for k in range(SPIRAL_ARMS):
        for i in range(SPIRAL_PER_ARM):
            r = i / SPIRAL_PER_ARM
            angle = 4 * r + 2 * math.pi * k / SPIRAL_ARMS + rng.gauss(0.0, SPIRAL_NOISE)
            rows.append([fmt(round(r * math.cos(angle), 4)), fmt(round(r * math.sin(angle), 4)), str(k)])
    rng.shuffle(rows)
    return rows


SEQUENCE_ROWS = 600
SEQUENCE_LENGTH = 32
SEQUENCE_NOISE = 0.3


def sequence_rows(rng):
    rows = []
    for k in range(SEQUENCE_ROWS):
        y = k % 2
        xs = [rng.gauss(0, SEQUENCE_NOISE) for _ in range(SEQUENCE_LENGTH)]
        ramp = (0.5, 1.0, 1.5) if y == 1 else (1.5, 1.0, 0.5)
        at = rng.randrange(SEQUENCE_LENGTH - len(ramp) + 1)
        for d, v in enumerate(ramp):
            xs[at + d] += v
        rows.append([fmt(v) for v in xs] + [str(y)])
    rng.shuffle(rows)
    return rows


def main():
    write_csv("seed.csv", ["x1", "x2", "x3", "y"], seed_rows(random.Random(20250619)))
    write_csv("xor.csv", ["x1", "x2", "y"], xor_rows(random.Random(1)))
    write_csv("spirals.csv", ["x1", "x2", "y"], spiral_rows(random.Random(3)))
    write_csv("sequences.csv", [f"x{i}" for i in range(1, SEQUENCE_LENGTH + 1)] + ["y"], sequence_rows(random.Random(5)))


if __name__ == "__main__":
    main()
