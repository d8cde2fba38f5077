import Foundation
import TalentFlow

let commands: [Command] = [
  runCommand, validateCommand, configCommand, decideCommand, datasetCommand, sweepCommand,
  sensitivityCommand, calibrateCommand, mergeCommand, replayCommand, compareCommand, reportCommand, measuresCommand, benchCommand,
]

let overview = """
  talentflow \(TalentFlowVersion.tool) — an agent-based simulator of how AI professionals move \
  between big-tech firms and startups (MODEL.md v\(TalentFlowVersion.modelSpecification)).

  USAGE: talentflow <command> [options]

  COMMANDS:
  \(commands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

  Run `talentflow <command> --help` for a command's options.
  Options: --help, --version.
  """

func main() -> ExitCode {
  var args = Array(CommandLine.arguments.dropFirst())
  guard let first = args.first else {
    print(overview)
    return ExitCode.success
  }
  if first == "--help" || first == "-h" || first == "help" {
    if args.count > 1, let command = commands.first(where: { $0.name == args[1] }) {
      print(command.help)
    } else {
      print(overview)
    }
    return ExitCode.success
  }
  if first == "--version" {
    print(
      "talentflow \(TalentFlowVersion.tool) (model \(TalentFlowVersion.model), MODEL.md v\(TalentFlowVersion.modelSpecification))"
    )
    return ExitCode.success
  }
  guard let command = commands.first(where: { $0.name == first }) else {
    let hint = didYouMean(first, among: commands.map(\.name))
    printError(
      "talentflow: unknown command '\(first)'\(hint)\nRun `talentflow --help` for the commands.")
    return ExitCode.usage
  }
  args.removeFirst()
  if args.contains("--help") || args.contains("-h") {
    print(command.help)
    return ExitCode.success
  }
  do {
    if let problem = nonUTF8Argument() { throw UsageError(problem) }
    let arguments = try Arguments(args, for: command)
    AllocatorTuning.apply(arenas: command.allocatorArenas(arguments))
    return try command.run(arguments)
  } catch let error as any TalentFlowError {
    let hint =
      error.exitCode == .usage ? "\nRun `talentflow \(command.name) --help` for usage." : ""
    printError("talentflow \(command.name): \(error)\(hint)")
    return error.exitCode
  } catch {
    printError("talentflow \(command.name): \(error)")
    return ExitCode.failure
  }
}

exit(main().rawValue)
