import Foundation
import PostroomFuzzTargets

// Built for libFuzzer (`make fuzz`: -sanitize=fuzzer -parse-as-library -DFUZZING) the target comes
// from POSTROOM_FUZZ_TARGET and libFuzzer provides `main`; built normally, `postroom-fuzz <target>
// <file or folder>…` replays inputs.
#if FUZZING
let fuzzTarget = ProcessInfo.processInfo.environment["POSTROOM_FUZZ_TARGET"] ?? "hl7v2"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTargets.run(fuzzTarget, bytes)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM names an executable's entry point after the target; libFuzzer's driver is started from it.
@_cdecl("postroom_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}
#else
@main
struct PostroomFuzz {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let target = args.first, FuzzTargets.names.contains(target), args.count > 1 else {
            FileHandle.standardError.write(Data("usage: postroom-fuzz <\(FuzzTargets.names.joined(separator: "|"))> <file or folder>…\n".utf8))
            exit(64)
        }
        var count = 0
        for path in args.dropFirst() {
            for file in files(path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                FuzzTargets.run(target, [UInt8](data))
                count += 1
            }
        }
        print("\(target): \(count) input(s) replayed")
    }

    static func files(_ path: String) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [] }
        guard isDir.boolValue else { return [path] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
    }
}
#endif
