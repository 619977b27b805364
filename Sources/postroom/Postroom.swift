import ArgumentParser
@main struct Postroom: ParsableCommand { func run() throws {} }
