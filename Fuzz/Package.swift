// swift-tools-version:6.2
// libFuzzer targets for emud (issue 13). A separate package, so the root package's `swift build` and
// `swift test` never see it. Build and run through the Makefile (`make fuzz`, `make fuzz-ci`), which adds
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`; see Fuzz/README.md.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// One executable per fuzz target; each holds `LLVMFuzzerTestOneInput` and its `<Target>_main`.
let fuzzTargets = [
    "FuzzCDBDisk", "FuzzCDBQcow2", "FuzzCDBOptical", "FuzzCDBZoned", "FuzzRing", "FuzzCorpus",
    "FuzzConfigString", "FuzzTCMUConf", "FuzzControlRequest", "FuzzQcow2Image", "FuzzZonedImage",
]

let package = Package(
    name: "emud-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "emud", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "SCSIEmu", package: "emud"), .product(name: "RingIO", package: "emud"),
                .product(name: "Sense", package: "emud"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Writes the seed corpora (from the conformance fixtures and freshly made images).
        .executableTarget(
            name: "FuzzSeeds", dependencies: ["FuzzSupport", .product(name: "Conformance", package: "emud")],
            swiftSettings: strict),
    ]
        + fuzzTargets.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport", .product(name: "SCSIEmu", package: "emud"), .product(name: "RingIO", package: "emud"),
                    .product(name: "TCMUDaemon", package: "emud"), .product(name: "Conformance", package: "emud"),
                    .product(name: "Sense", package: "emud"), .product(name: "Logging", package: "swift-log"),
                ],
                swiftSettings: strict)
        }
)
