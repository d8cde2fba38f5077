import Foundation
import TalentFlow

let sensitivityCommand = Command(
  name: "sensitivity",
  summary: "Global sensitivity analysis (Morris or Sobol) of run measures, on every core or Slurm.",
  usage: """
    talentflow sensitivity SPEC.json [--workers N] [--out DIR] [--resume] [--set key.path=value]...
                                            [--shard K/N] [--quiet]
           talentflow sensitivity SPEC.json --emit-slurm DIR [--array-size N] [--partition P]
                                            [--time HH:MM:SS] [--cpus-per-task C] [--out DIR] [--set ...]
    """,
  about: """
    Runs the design of a Morris screen (elementary effects) or a Sobol analysis (first-order,
    total and optionally second-order indices) over ranges of configuration keys, with
    replicates, on the sweep engine, and writes design.csv (SALib's row order), runs.csv (the
    measures of every run), indices.csv (and S2.csv), and manifest.json into the analysis folder.
    Indices are computed on each design point's replicate mean; their confidence intervals come
    from a bootstrap drawn from the specification's seed. The files do not depend on --workers
    or on how the runs are split into shards (`talentflow merge` joins shards). `talentflow
    report` on the folder draws the indices. See README.md, "Sensitivity analysis".

    A run the model stops does not stop the others; failures.csv lists it, indices.csv waits
    until --resume has retried it, and the exit code is 1.
    """,
  positionals: [
    .init(label: "SPEC.json", help: "The sensitivity specification.")
  ],
  options: [
    Option(
      .workers, .integer("N", 1...1024), "Runs at once, each on one thread (default: all cores)."),
    Option(
      .out, .path("DIR"),
      """
      Analysis folder (default: output/<name>/; with --shard,
      output/<name>-shards/shard-K/).
      """),
    Option(
      .resume,
      """
      Continue an interrupted analysis in DIR: finished runs are kept,
      unfinished and failed ones redone. The same specification, base
      and --set options are required.
      """),
    Option(.set, .text("key.path=value"), "Override a key of the base configuration; repeatable."),
    Option(
      .shard, .text("K/N"),
      """
      Run only shard K of N (runs K, K + N, K + 2N, ... in run order) and
      write a shard folder for `talentflow merge`.
      """),
    Option(.quiet, "No progress line and no summary."),
  ],
  more: [slurmOptionGroup],
  run: { arguments in
    try runPlanned(arguments, command: "sensitivity") { file, overrides in
      try SweepPlan(
        sensitivity: SensitivitySpecification.load(file: file), overrides: overrides)
    }
  })
