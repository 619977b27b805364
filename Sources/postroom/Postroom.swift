import ArgumentParser
import Foundation
import Logging
import PostroomConfig
import PostroomPipeline
import PostroomPostgres

/// The `postroom` command line.
@main
struct Postroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postroom",
        abstract: "A file-drop integration pipeline for HL7 v2, FHIR R4 and CDA: intake, validation, correlation, Task workflow, acknowledgements, archives.",
        subcommands: [Run.self, Watch.self, Serve.self, Status.self, Messages.self, Show.self, Requests.self, Held.self, Reprocess.self,
                      Validate.self, Prune.self, Check.self, Explain.self])

    /// Runs the command; a file-system or store failure that escapes it exits 74 (or 75 when the
    /// database is busy) with a message saying nothing is lost — the one place these are mapped.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            if let code = IOFailure.exitCode(for: error) {
                printError("postroom: " + IOFailure.message(error))
                Foundation.exit(code)
            }
            exit(withError: error)
        }
    }

    /// sysexits codes (DESIGN.md §5).
    enum Exit {
        static let ok: Int32 = 0
        static let usage: Int32 = 64
        static let dataError: Int32 = 65
        static let tempFail: Int32 = 75
        static let config: Int32 = 78
    }
}

/// Options shared by the commands that read the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The pipeline configuration file.")
    var config: String = "pipeline.json"

    /// Loads the configuration or exits 78 naming the key at fault.
    func load() throws -> PipelineConfig {
        let loaded: PipelineConfig
        do {
            loaded = try PipelineConfig.load(path: config)
        } catch {
            printError("postroom: configuration error: \(error)")
            throw ExitCode(Postroom.Exit.config)
        }
        return loaded
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Sets up JSON-lines logging on standard error.
func makeLogger(quiet: Bool) -> Logger {
    LoggingSystem.bootstrap { label in
        var h = JSONLogHandler(label: label)
        h.logLevel = quiet ? .warning : .info
        return h
    }
    return Logger(label: "postroom")
}

/// Opens the pipeline, mapping a busy lock to exit 75 and configuration problems to exit 78.
func openPipeline(_ config: PipelineConfig, logger: Logger, node: NodeOptions? = nil) throws -> Pipeline {
    do {
        return try Pipeline(config: config, logger: logger, node: node)
    } catch let failure as NodeFailure {
        printError("postroom: \(failure)")
        if case .badName = failure { throw ExitCode(Postroom.Exit.usage) }
        throw ExitCode(Postroom.Exit.tempFail)
    } catch let busy as DataFolderLock.Busy {
        printError("postroom: \(busy)")
        throw ExitCode(Postroom.Exit.tempFail)
    } catch let e as ConfigError {
        printError("postroom: configuration error: \(e)")
        throw ExitCode(Postroom.Exit.config)
    }
}
