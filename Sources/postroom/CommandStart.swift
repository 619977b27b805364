import ArgumentParser
import Foundation
import Logging
import PostroomConfig
import PostroomPipeline
import PostroomPostgres
import PostroomStore

/// How the commands that read the database start: `--config` and `--json`, then the configuration
/// loaded (exit 78 naming the key at fault) and the database opened read-only (exit 65 when
/// nothing has run yet).
struct ReadOptions: ParsableArguments {
    @OptionGroup var config: ConfigOption

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    /// The configuration and its database, read-only.
    func open() throws -> (config: PipelineConfig, store: Store) {
        let config = try config.load()
        return (config, try openStoreForReading(config))
    }
}

/// How the commands that run the pipeline start: `--config`, `--json` and `--quiet`, then the
/// configuration loaded (exit 78) and the pipeline opened with JSON-lines logging (a busy data
/// folder exits 75).
struct PipelineOptions: ParsableArguments {
    @OptionGroup var config: ConfigOption

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    @Flag(name: .long, help: "Log warnings and errors only.")
    var quiet = false

    /// The configuration and the pipeline on it (close it when done).
    func open(before: () -> Void = {}, node: NodeOptions? = nil) throws -> (config: PipelineConfig, pipeline: Pipeline) {
        let config = try config.load()
        before()
        let pipeline = try openPipeline(config, logger: makeLogger(quiet: quiet), node: node)
        return (pipeline.config, pipeline)
    }
}

/// Opens the database of `config` read-only; exits 65 when there is none yet.
func openStoreForReading(_ config: PipelineConfig) throws -> Store {
    guard config.storeExists else {
        printError("postroom: no database at \(config.database): nothing has run yet")
        throw ExitCode(Postroom.Exit.dataError)
    }
    return try config.openStore(readOnly: true)
}
