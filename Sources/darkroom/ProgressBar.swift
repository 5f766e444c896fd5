import Foundation

/// A one-line progress bar on stderr, shown only for several inputs on a terminal.
final class ProgressBar {
    let total: Int
    let visible: Bool
    private var drawn = false

    init(total: Int) {
        self.total = total
        visible = total > 1 && isatty(STDERR_FILENO) != 0
    }

    func update(_ done: Int) {
        guard visible else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
        drawn = true
    }

    /// Moves off the bar's line so that a message prints on its own line.
    func interrupt() {
        guard visible, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }

    func finish() { interrupt() }
}
