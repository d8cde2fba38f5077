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
  options: plannedOptions(folder: "Analysis folder", work: "analysis"),
  more: [slurmOptionGroup],
  run: { arguments in
    try runPlanned(arguments, command: "sensitivity") { file, overrides in
      try SweepPlan(
        sensitivity: SensitivitySpecification.load(file: file), overrides: overrides)
    }
  })
