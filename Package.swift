// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "emud",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "emud", targets: ["emud"]),
        .executable(name: "emud-ring-bench", targets: ["RingBench"]),
        .library(name: "SCSIEmu", targets: ["SCSIEmu"]),
        .library(name: "RingIO", targets: ["RingIO"]),
        .library(name: "Sense", targets: ["Sense"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // C libraries reached through system-library targets.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNetlink", pkgConfig: "libnl-genl-3.0", providers: [.apt(["libnl-genl-3-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The org.kernel.TCMUService1 sd-bus vtables (C macros only).
        .target(name: "CTCMUServiceBus", dependencies: ["CSystemd"], linkerSettings: [.linkedLibrary("systemd")]),
        // The kernel's <linux/target_core_user.h>, for ABI offset checks only.
        .target(name: "CTCMU"),
        // Linux calls of the backing stores that Glibc does not import (fallocate, pwritev2, block ioctls).
        .target(name: "CStore"),

        .target(name: "Sense", swiftSettings: strict),
        .target(
            name: "SCSIEmu",
            dependencies: [
                "Sense", "CZlib", "CStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RingIO",
            dependencies: [
                "Sense", "SCSIEmu", "CNetlink", "CTCMU",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The daemon as a system service: the D-Bus API targetcli uses, and sd_notify.
        .target(
            name: "SystemService",
            dependencies: [
                "RingIO", "SCSIEmu", "CSystemd", "CTCMUServiceBus",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "emud",
            dependencies: [
                "RingIO", "SCSIEmu", "Sense", "SystemService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RingBench",
            dependencies: ["RingIO", "SCSIEmu", "Sense"],
            swiftSettings: strict
        ),

        .testTarget(name: "SenseTests", dependencies: ["Sense"], swiftSettings: strict),
        .testTarget(name: "SCSIEmuTests", dependencies: ["SCSIEmu", "Sense"], swiftSettings: strict),
        .testTarget(name: "RingIOTests", dependencies: ["RingIO", "SCSIEmu", "Sense", "CTCMU"], swiftSettings: strict),
        .testTarget(
            name: "SystemServiceTests", dependencies: ["SystemService", "RingIO", "SCSIEmu"], swiftSettings: strict),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["RingIO", "SCSIEmu", "Sense"],
            path: "Tests/Conformance",
            exclude: ["fixtures"],
            swiftSettings: strict
        ),
    ]
)
