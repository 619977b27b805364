import Foundation
import PostroomCore

@main enum PostroomBenchFHIR {
    static func main() {
        let spec = FHIRSpec.r4
        print("unresolved:", spec.unresolvedTypes, "structures:", spec.structures.count)
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let name = (path as NSString).lastPathComponent
            do {
                let v = try JSONParser().parse(Array(data))
                let stu3 = FHIRVersionDetector.evidence(in: v)
                let r = FHIRValidator().validate(v)
                print("== \(name): stu3=\(stu3.count) issues=\(r.issues.count) cond=\(r.conditionalReferences.count)")
                for i in (stu3 + r.issues).prefix(12) { print("   \(i.severity) \(i.code) @\(i.location ?? "") — \(i.text)") }
            } catch {
                print("== \(name): parse error \(error)")
            }
        }
    }
}
