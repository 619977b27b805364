import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the loads and the run folders live: by default a fresh ext4 file system of this benchmark's
/// own (a sparse image file, loop-mounted under the output folder, unmounted and deleted at the end),
/// so that every program runs on the same, quiet file system.
///
/// Why (PERFORMANCE.md, "A fair file system"): on an ext4 without a journal (this machine's root) every
/// new inode is checked against the inodes freed in the last seconds to a minute (`recently_deleted`),
/// by anyone on the machine. After a deletion the floor's one ACK inode per file then costs up to 7× the
/// system time, Postroom's much less, and the ratios swing with whatever was deleted before a run. On a
/// file system with a journal the check is skipped; on one of its own nothing else allocates or deletes.
struct BenchFileSystem {
    /// The folder that holds `loads/` and `runs/`.
    var root: String
    /// One line for the report: which file system the runs used.
    var note: String
    /// The mount point and image to remove at the end, when this benchmark mounted one.
    private var mounted: (mountPoint: String, image: String)?

    /// `--scratch-fs loop`: a fresh loop-mounted ext4 when this process may mount one (root, `mkfs.ext4`
    /// and `mount` present), else the output folder with a note saying so. `none`: the output folder.
    static func prepare(out: String, mode: String, log: (String) -> Void) -> BenchFileSystem {
        let plain = BenchFileSystem(root: out, note: "runs on the output folder's own file system (--scratch-fs none)", mounted: nil)
        guard mode == "loop" else { return plain }
        let mountPoint = out + "/scratch", image = out + "/scratch.img"
        _ = run("umount", [mountPoint], out)  // left mounted by a benchmark that was killed
        try? FileManager.default.removeItem(atPath: image)
        try? FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let steps: [(String, [String])] = [
            ("truncate", ["-s", "64G", image]),
            // Inode tables written now, not by a background thread while programs are measured.
            ("mkfs.ext4", ["-q", "-F", "-N", "1500000", "-E", "lazy_itable_init=0,lazy_journal_init=0", image]),
            ("mount", ["-o", "loop", image, mountPoint]),
        ]
        for (tool, arguments) in steps where !run(tool, arguments, out) {
            try? FileManager.default.removeItem(atPath: image)
            var fallback = plain
            fallback.note = "runs on the output folder's own file system: a file system of the benchmark's own could not be "
                + "mounted (\(tool) failed; it needs root, mkfs.ext4 and a loop device), so deletions before a run may slow "
                + "inode allocation (PERFORMANCE.md, \"A fair file system\")"
            log(fallback.note)
            return fallback
        }
        log("loads and runs on a fresh ext4 file system of this benchmark's own (\(image), mounted on \(mountPoint))")
        return BenchFileSystem(root: mountPoint,
                               note: "runs on a fresh ext4 file system with a journal (a sparse image loop-mounted for this benchmark, then deleted)",
                               mounted: (mountPoint, image))
    }

    /// Unmounts and deletes the file system this benchmark mounted (nothing otherwise).
    func finish(out: String) {
        guard let mounted else { return }
        sync()
        if !Self.unmount(mounted.mountPoint, out) {
            Console.note("could not unmount \(mounted.mountPoint): run umount \(mounted.mountPoint), then delete \(mounted.image)")
            return
        }
        try? FileManager.default.removeItem(atPath: mounted.image)
        try? FileManager.default.removeItem(atPath: mounted.mountPoint)
    }

    /// Unmounts `mountPoint`; whether it is gone. A mount can be busy for a moment after its last use (a
    /// child process another thread started in that moment holds a descriptor it inherited): tried again
    /// for a few seconds, then detached lazily (it goes when the last user closes it).
    private static func unmount(_ mountPoint: String, _ out: String) -> Bool {
        for attempt in 0..<10 {
            if run("umount", [mountPoint], out) { return true }
            if attempt < 9 { usleep(500_000) }
        }
        return run("umount", ["-l", mountPoint], out)
    }

    /// Runs a setup tool; whether it exited 0.
    private static func run(_ tool: String, _ arguments: [String], _ out: String) -> Bool {
        ChildProcess.output(tool, arguments, scratch: out + "/.scratch-fs") != nil
    }
}
