extension String {
    /// Whether every byte is printable ASCII (space to `~`): such text is one character per byte, so it
    /// may be read by its bytes with the same answer as by its characters.
    var isPrintableASCII: Bool { utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
}
