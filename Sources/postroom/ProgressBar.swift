import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error, drawn only when it is a terminal and the run is
/// long (past one second); otherwise it stays silent.
final class ProgressBar: @unchecked Sendable {
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    let enabled: Bool

    init() { enabled = isatty(2) == 1 }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        drawn = true
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let rate = Double(done) / max(now.timeIntervalSince(started), 0.001)
        let line = String(format: "\r[%@%@] %d/%d drops  %.0f/s ", String(repeating: "#", count: filled),
                          String(repeating: ".", count: width - filled), done, total, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
