import Foundation
import Synchronization

/// Bounds failed sign-ins: at most `limit` failures per address in a sliding `window`; beyond that
/// the login answers 429 until the oldest failure leaves the window (guessing tokens is slowed down).
final class LoginThrottle: Sendable {
    let limit: Int
    let window: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int = 10, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Whether `address` may try now.
    func allows(_ address: String, now: Date = Date()) -> Bool {
        failures.withLock { all in
            let recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            all[address] = recent.isEmpty ? nil : recent
            return recent.count < limit
        }
    }

    /// Records a failed attempt (the map is bounded: the oldest addresses are forgotten first).
    func failed(_ address: String, now: Date = Date()) {
        failures.withLock { all in
            if all.count > 10_000 { all = all.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
            all[address, default: []].append(now)
        }
    }
}
