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
        .library(name: "TCMUDaemon", targets: ["TCMUDaemon"]),
        .library(name: "Conformance", targets: ["Conformance"]),
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
        // Ceph's block device client (the `rbd` store), loaded with dlopen by the first rbd device: its
        // headers only at build time (librbd-dev, librados-dev), nothing linked.
        .target(name: "CRbd"),
        // The org.kernel.TCMUService1 sd-bus vtables (C macros only).
        .target(name: "CTCMUServiceBus", dependencies: ["CSystemd"], linkerSettings: [.linkedLibrary("systemd")]),
        // The kernel's <linux/target_core_user.h>, for ABI offset checks only.
        .target(name: "CTCMU"),
        // The Linux calls Glibc does not import (fallocate, pwritev2, block ioctls, memfd, eventfd, signalfd…).
        .target(name: "CSystemCalls"),
        // The one system-call layer: Errno, the EINTR retry, the owned FileDescriptor, typed-throwing wrappers.
        .target(name: "SystemCalls", dependencies: ["CSystemCalls"], swiftSettings: strict),

        // Catalog/ holds the ASC/ASCQ list and the script that writes the AdditionalSenseCode+Catalog* files.
        .target(name: "Sense", exclude: ["Catalog"], swiftSettings: strict),
        .target(
            name: "SCSIEmu",
            dependencies: [
                "Sense", "CZlib", "CRbd", "CSystemCalls", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The ring I/O layer: the TCMU ABI, the mapped ring, the per-device service loop, the simulated kernel.
        .target(
            name: "RingIO",
            dependencies: [
                "Sense", "SCSIEmu", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The conformance tooling: the corpus format, replay (simulated ring or SG_IO), capture, JUnit.
        .target(
            name: "Conformance",
            dependencies: [
                "RingIO", "Sense", "SCSIEmu", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The daemon: netlink, UIO and configfs, the device lifecycle, the control socket, tcmu.conf.
        .target(
            name: "TCMUDaemon",
            dependencies: [
                "RingIO", "Conformance", "Sense", "SCSIEmu", "SystemCalls", "CNetlink",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The daemon as a system service: the D-Bus API targetcli uses, and sd_notify.
        .target(
            name: "SystemService",
            dependencies: [
                "TCMUDaemon", "SCSIEmu", "SystemCalls", "CSystemd", "CTCMUServiceBus",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "emud",
            dependencies: [
                "TCMUDaemon", "Conformance", "SCSIEmu", "Sense", "SystemCalls", "SystemService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RingBench",
            dependencies: ["RingIO", "SCSIEmu", "Sense", "SystemCalls"],
            swiftSettings: strict
        ),

        // What every test target shares: CDB builders, SplitMix64, data patterns, temp directories, a
        // one-CDB runner. Not shipped (no product names it).
        .target(
            name: "TestSupport",
            dependencies: ["SCSIEmu", "Sense", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "SenseTests", dependencies: ["Sense", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SCSIEmuTests", dependencies: ["SCSIEmu", "Sense", "SystemCalls", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RingIOTests", dependencies: ["RingIO", "SCSIEmu", "Sense", "SystemCalls", "CTCMU", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TCMUDaemonTests",
            dependencies: ["TCMUDaemon", "SCSIEmu", "Sense", "SystemCalls", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SystemServiceTests", dependencies: ["SystemService", "TCMUDaemon", "SCSIEmu", "TestSupport"], swiftSettings: strict),
        // The rbd store against the one-node cluster of scripts/ceph-cluster.sh (make ceph-test).
        .testTarget(
            name: "RBDTests", dependencies: ["Conformance", "RingIO", "SCSIEmu", "Sense", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["Conformance", "RingIO", "SCSIEmu", "Sense", "SystemCalls", "TestSupport"],
            path: "Tests/Conformance",
            swiftSettings: strict
        ),
    ]
)
