import Foundation
import Testing

/// `make install` into a temporary prefix: the binary, the systemd units (verified by
/// `systemd-analyze verify`), the cron line and the logrotate snippet, every placeholder filled in.
@Suite struct PackagingTests {
    static let hasSystemdAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    func sh(_ command: String, in dir: String = repositoryRoot) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func makeInstallPutsTheBinaryAndServiceFilesInThePrefix() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        let install = try sh("make -s install PREFIX=\(root)/usr INSTALL_BIN=\(postroomBinary) DATA_DIR=\(root)/data "
                             + "CONFIG_PATH=\(root)/pipeline.json LOG_DIR=\(root)/log")
        #expect(install.code == 0, "\(install.output)")
        let units = ["postroom-watch.service", "postroom-serve.service", "postroom-run.service", "postroom-run.timer"]
            .map { "\(root)/usr/lib/systemd/system/\($0)" }
        let others = ["\(root)/usr/share/postroom/cron/postroom", "\(root)/usr/share/postroom/logrotate/postroom"]
        for file in units + others {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!text.contains("@BINDIR@") && !text.contains("@CONFIG@") && !text.contains("@DATA@") && !text.contains("@LOGDIR@"), "\(file)")
        }
        let watch = try String(contentsOfFile: units[0], encoding: .utf8)
        #expect(watch.contains("ExecStart=\(root)/usr/bin/postroom watch --config \(root)/pipeline.json"))
        #expect(watch.contains("ReadWritePaths=\(root)/data") && watch.contains("ProtectSystem=strict") && watch.contains("NoNewPrivileges=yes"))
        #expect(try String(contentsOfFile: others[0], encoding: .utf8).contains("\(root)/usr/bin/postroom run --once --config \(root)/pipeline.json"))
        let help = try sh("\(root)/usr/bin/postroom --help")
        #expect(help.code == 0 && help.output.contains("watch"))
    }

    @Test(.enabled(if: hasSystemdAnalyze, "systemd-analyze is not installed (apt package systemd), so the units cannot be verified here"))
    func theUnitFilesVerify() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-units-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        #expect(try sh("make -s install PREFIX=\(root)/usr INSTALL_BIN=\(postroomBinary) DATA_DIR=\(root)/data CONFIG_PATH=\(root)/pipeline.json").code == 0)
        let dir = "\(root)/usr/lib/systemd/system"
        let verify = try sh("systemd-analyze verify --man=no ./postroom-watch.service ./postroom-serve.service ./postroom-run.service ./postroom-run.timer",
                            in: dir)
        #expect(verify.code == 0, "\(verify.output)")
        // The check can fail: a unit naming a missing executable does not verify.
        let broken = try String(contentsOfFile: dir + "/postroom-watch.service", encoding: .utf8)
            .replacingOccurrences(of: "\(root)/usr/bin/postroom", with: "\(root)/usr/bin/missing")
        try broken.write(toFile: dir + "/broken.service", atomically: true, encoding: .utf8)
        #expect(try sh("systemd-analyze verify --man=no ./broken.service", in: dir).code != 0)
    }
}
