import Foundation

/// The run's `manifest.json` (MODEL 6): versions, the resolved configuration, the seed, and every
/// output file's row count and SHA-256. Wall time and host go under `run`, which no checksum
/// covers and replay ignores.
public struct Manifest: Sendable {
  public var config: Configuration
  public var files: [OutputFile]
  public var wallSeconds: Double
  public var threads: Int
  public var startedAt: Date

  /// SHA-256 of the compact serialisation of the resolved configuration.
  public static func configurationHash(_ config: Configuration) -> String {
    SHA256.hexDigest(Array(config.resolvedJSON().serialized(pretty: false).utf8))
  }

  public var json: JSONValue {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    let host = ProcessInfo.processInfo.hostName
    return .object([
      ("tool", .string("talentflow")),
      ("toolVersion", .string(TalentFlowVersion.tool)),
      ("modelSpecification", .string("MODEL.md v\(TalentFlowVersion.modelSpecification)")),
      ("modelVersion", .string(TalentFlowVersion.model)),
      ("seed", .number(Double(config.seed))),
      ("ticks", .number(Double(config.time.ticks))),
      ("warmup", .number(Double(config.time.warmup))),
      ("configurationSHA256", .string(Manifest.configurationHash(config))),
      ("configuration", config.resolvedJSON()),
      (
        "files",
        .array(files.map(\.json))
      ),
      (
        "run",
        .object([
          ("startedAt", .string(formatter.string(from: startedAt))),
          ("wallSeconds", .number((wallSeconds * 1000).rounded() / 1000)),
          ("threads", .number(Double(threads))), ("host", .string(host)),
        ])
      ),
    ])
  }
}
