#!/usr/bin/env python3
"""Checks one finished `talentflow sensitivity` analysis folder against SALib.

Usage: python3 .ci/salib-check.py FOLDER   (needs numpy and SALib; SALib 1.6.0 was used to
write this)

The folder holds manifest.json (its "analysis" object: method, levels/trajectories or
samples/secondOrder, resamples, confidenceLevel, parameters [{key, lower, upper}], measures),
design.csv (point,<key>...; points from 1, scaled values), runs.csv
(run,point,replicate,seed,<measure>...; an empty field is not a number), indices.csv (Morris:
measure,parameter,mu,mu_star,sigma,mu_star_conf; Sobol: measure,parameter,S1,S1_conf,ST,ST_conf)
and, for Sobol with second order, S2.csv (measure,parameter_1,parameter_2,S2,S2_conf).

For each measure the script takes each point's mean over its replicates (summed in run order and
divided by their count; as talentflow does, a point with a replicate that is not a number has no
mean, and a measure without a mean at every point must have empty fields in indices.csv), gives the means in point order to
SALib's morris.analyze(problem, X, Y, num_levels=p, ...) or sobol.analyze(problem, Y,
calc_second_order=..., ...), and requires

  |ours - SALib| <= 1e-9 * max(|ours|, |SALib|) + 1e-12 * scale

for mu, mu_star, sigma (Morris) and S1, ST, S2 (Sobol). The absolute term is for values near
zero, which are differences of much larger terms: mu of effects of both signs, sigma of effects
that are equal up to rounding, S1 of a parameter without effect, S2 = V_jk - S1_j - S1_k. There
the order of summation (numpy's pairwise sums against a sequential sum) moves the result by a
few units in the last place of the terms, not of the result. So scale is the size of the terms:
for Sobol indices 1 (SALib normalises the output to variance 1, so the terms are of order 1), for
Morris the largest mu_star of the measure (the size of its elementary effects), or 1 if that is
0. Both sides must be NaN together (sigma of a single trajectory). Intervals come from different
random resamples, so they are only required to be finite and >= 0 (and mu_star - conf <=
mu_star <= mu_star + conf); their ratio to SALib's is printed.

A measure with a point whose replicates are all not numbers cannot be given to SALib: it is
reported as skipped, not as a failure. Exits 1 on any disagreement, naming the measure, the
parameter and both values; 2 if the folder cannot be read.
"""

import csv
import json
import math
import os
import sys

import numpy as np
from SALib.analyze import morris, sobol

RELATIVE = 1e-9
ABSOLUTE = 1e-12


class FolderError(Exception):
    """The folder is not a readable analysis folder."""


def number(text):
    """A CSV field as a float; an empty field is NaN."""
    return math.nan if text.strip() == "" else float(text)


def read_csv(folder, name):
    path = os.path.join(folder, name)
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as error:
        raise FolderError(f"{path}: {error.strerror}")
    if not rows:
        raise FolderError(f"{path}: empty file")
    return rows[0], rows[1:]


def point_means(folder, measures, points):
    """Each measure's mean over replicates at each point, in point order (NaN if a replicate is
    not a number, as talentflow computes it)."""
    header, rows = read_csv(folder, "runs.csv")
    if header[:4] != ["run", "point", "replicate", "seed"] or header[4:] != measures:
        raise FolderError(f"runs.csv: header {header} does not list the manifest's measures")
    sums = [[0.0] * points for _ in measures]
    counts = [[0] * points for _ in measures]
    for row in rows:
        point = int(row[1])
        if not 1 <= point <= points:
            raise FolderError(f"runs.csv: run {row[0]} is at point {point}, not in 1...{points}")
        for m in range(len(measures)):
            # NaN propagates into the sum: one replicate without a value leaves no mean.
            sums[m][point - 1] += number(row[4 + m])
            counts[m][point - 1] += 1
    return [
        np.array([s / c if c else math.nan for s, c in zip(sums[m], counts[m])])
        for m in range(len(measures))
    ]


def read_indices(folder, name, key_columns, value_columns):
    """{(measure, parameter...): {column: value}} from indices.csv or S2.csv."""
    header, rows = read_csv(folder, name)
    expected = ["measure"] + key_columns + value_columns
    if header != expected:
        raise FolderError(f"{name}: header {header}, expected {expected}")
    table = {}
    for row in rows:
        key = tuple(row[: 1 + len(key_columns)])
        table[key] = {c: number(v) for c, v in zip(value_columns, row[1 + len(key_columns) :])}
    return table


class Checker:
    """Compares values, collects failures and the largest relative differences."""

    def __init__(self):
        self.failures = []
        self.largest = {}

    def point(self, measure, label, estimator, ours, theirs, scale):
        both_nan = math.isnan(ours) and math.isnan(theirs)
        difference = abs(ours - theirs)
        size = max(abs(ours), abs(theirs))
        ok = both_nan or difference <= RELATIVE * size + ABSOLUTE * scale
        if not both_nan and not math.isnan(difference):
            # Relative differences only where the value is not near zero; near zero, the
            # difference against the scale of the terms.
            relative, absolute = self.largest.get(estimator, (0.0, 0.0))
            if size >= 1e-6 * scale:
                relative = max(relative, difference / size)
            self.largest[estimator] = (relative, max(absolute, difference / scale))
        if not ok:
            self.failures.append(
                f"{measure}: {estimator} of {label} is {ours!r} here but {theirs!r} in SALib")
        return ok

    def interval(self, measure, label, estimator, conf, value=None):
        ok = math.isfinite(conf) and conf >= 0
        if ok and value is not None:
            ok = value - conf <= value <= value + conf
        if not ok:
            self.failures.append(f"{measure}: {estimator} of {label} is {conf!r}, not finite and >= 0")
        return ok


def ratio(ours, theirs):
    if theirs > 0:
        return f"{ours / theirs:6.2f}"
    return "   -  " if ours == 0 else "   inf"


def check_morris(folder, analysis, problem, X, means, checker):
    keys = problem["names"]
    table = read_indices(folder, "indices.csv", ["parameter"], ["mu", "mu_star", "sigma", "mu_star_conf"])
    for measure, Y in means:
        salib = morris.analyze(
            problem, X, Y, num_resamples=analysis["resamples"],
            conf_level=analysis["confidenceLevel"], num_levels=analysis["levels"], seed=1)
        scale = float(np.max(np.abs(salib["mu_star"]))) or 1.0
        print(f"\n{measure} (Morris): ours / SALib, conf as ours/SALib")
        print(f"  {'parameter':24} {'mu':>22} {'mu_star':>22} {'sigma':>22} {'conf':>6}")
        for j, key in enumerate(keys):
            row = table.get((measure, key))
            if row is None:
                checker.failures.append(f"{measure}: indices.csv has no row for {key}")
                continue
            marks = []
            for name in ["mu", "mu_star", "sigma"]:
                ok = checker.point(measure, key, name, row[name], float(salib[name][j]), scale)
                marks.append(f"{row[name]:.12g}" + ("" if ok else " !"))
            checker.interval(measure, key, "mu_star_conf", row["mu_star_conf"], row["mu_star"])
            conf = ratio(row["mu_star_conf"], float(salib["mu_star_conf"][j]))
            print(f"  {key:24} {marks[0]:>22} {marks[1]:>22} {marks[2]:>22} {conf}")


def check_sobol(folder, analysis, problem, means, checker):
    keys = problem["names"]
    second = analysis["secondOrder"]
    table = read_indices(folder, "indices.csv", ["parameter"], ["S1", "S1_conf", "ST", "ST_conf"])
    pairs = (
        read_indices(folder, "S2.csv", ["parameter_1", "parameter_2"], ["S2", "S2_conf"])
        if second else {}
    )
    for measure, Y in means:
        salib = sobol.analyze(
            problem, Y, calc_second_order=second, num_resamples=analysis["resamples"],
            conf_level=analysis["confidenceLevel"], seed=1)
        print(f"\n{measure} (Sobol'): ours, conf as ours/SALib")
        print(f"  {'parameter':24} {'S1':>22} {'conf':>6} {'ST':>22} {'conf':>6}")
        for j, key in enumerate(keys):
            row = table.get((measure, key))
            if row is None:
                checker.failures.append(f"{measure}: indices.csv has no row for {key}")
                continue
            cells = []
            for name in ["S1", "ST"]:
                ok = checker.point(measure, key, name, row[name], float(salib[name][j]), 1.0)
                checker.interval(measure, key, name + "_conf", row[name + "_conf"])
                cells.append(f"{row[name]:.12g}" + ("" if ok else " !"))
                cells.append(ratio(row[name + "_conf"], float(salib[name + "_conf"][j])))
            print(f"  {key:24} {cells[0]:>22} {cells[1]} {cells[2]:>22} {cells[3]}")
        for j in range(len(keys)):
            for k in range(j + 1, len(keys)) if second else []:
                label = f"{keys[j]} x {keys[k]}"
                row = pairs.get((measure, keys[j], keys[k]))
                if row is None:
                    checker.failures.append(f"{measure}: S2.csv has no row for {label}")
                    continue
                ok = checker.point(measure, label, "S2", row["S2"], float(salib["S2"][j, k]), 1.0)
                checker.interval(measure, label, "S2_conf", row["S2_conf"])
                cell = f"{row['S2']:.12g}" + ("" if ok else " !")
                conf = ratio(row["S2_conf"], float(salib["S2_conf"][j, k]))
                print(f"  S2 {label:45} {cell:>22} {conf}")


def main(folder):
    try:
        with open(os.path.join(folder, "manifest.json")) as f:
            analysis = json.load(f)["analysis"]
    except (OSError, ValueError, KeyError) as error:
        raise FolderError(f"{folder}/manifest.json: no readable \"analysis\" object ({error})")
    parameters = analysis["parameters"]
    keys = [p["key"] for p in parameters]
    problem = {
        "num_vars": len(keys),
        "names": keys,
        "bounds": [[p["lower"], p["upper"]] for p in parameters],
    }
    header, rows = read_csv(folder, "design.csv")
    if header != ["point"] + keys:
        raise FolderError(f"design.csv: header {header}, expected {['point'] + keys}")
    if [int(r[0]) for r in rows] != list(range(1, len(rows) + 1)):
        raise FolderError("design.csv: points are not 1, 2, 3, ... in order")
    X = np.array([[float(v) for v in r[1:]] for r in rows], dtype=float)
    measures = analysis["measures"]
    all_means = point_means(folder, measures, len(rows))
    usable = []
    for measure, Y in zip(measures, all_means):
        missing = np.flatnonzero(np.isnan(Y))
        if missing.size:
            print(f"{measure}: no SALib check, a replicate is not a number at point(s) "
                  f"{', '.join(str(p + 1) for p in missing[:10])}; its indices must be empty")
            _, index_rows = read_csv(folder, "indices.csv")
            for r in index_rows:
                if r[0] == measure and any(field.strip() for field in r[2:]):
                    raise FolderError(f"indices.csv: {measure} has no mean at every point, "
                                      f"yet its row for {r[1]} holds numbers: {r}")
        else:
            usable.append((measure, Y))

    checker = Checker()
    method = analysis["method"]
    if method == "morris":
        expected = analysis["trajectories"] * (len(keys) + 1)
        if len(rows) != expected:
            raise FolderError(f"design.csv: {len(rows)} points, a Morris design has {expected}")
        check_morris(folder, analysis, problem, X, usable, checker)
    elif method == "sobol":
        per = 2 * len(keys) + 2 if analysis["secondOrder"] else len(keys) + 2
        if len(rows) != analysis["samples"] * per:
            raise FolderError(
                f"design.csv: {len(rows)} points, a Saltelli design has {analysis['samples'] * per}")
        check_sobol(folder, analysis, problem, usable, checker)
    else:
        raise FolderError(f"manifest.json: unknown method {method!r}")

    print("\nlargest difference (relative where |value| >= 1e-6 scale; absolute / scale):")
    for name, (relative, absolute) in sorted(checker.largest.items()):
        print(f"  {name:8} {relative:.3g}  {absolute:.3g}")
    if checker.failures:
        print(f"\n{len(checker.failures)} disagreement(s) with SALib:", file=sys.stderr)
        for failure in checker.failures:
            print("  " + failure, file=sys.stderr)
        return 1
    print(f"{folder}: agrees with SALib")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except FolderError as error:
        print(f"salib-check: {error}", file=sys.stderr)
        sys.exit(2)
