// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "TalentFlow",
  products: [
    .library(name: "TalentFlow", targets: ["TalentFlow"]),
    .executable(name: "talentflow", targets: ["talentflow"]),
  ],
  targets: [
    // The model, the engine, configuration and outputs.
    .target(name: "TalentFlow"),
    // A thin command-line shell over the library.
    .executableTarget(name: "talentflow", dependencies: ["TalentFlow"]),
    .testTarget(
      name: "TalentFlowTests", dependencies: ["TalentFlow"],
      // Read by path (#filePath), not bundled.
      exclude: ["Support/headline-means-model-1.3.0.csv"]),
  ],
  swiftLanguageModes: [.v6]
)
