import Editing
import Foundation

/// Splits a raw query string into arguments, tolerating URLs pasted without encoding.
///
/// The rule: a piece `name=value` starts a new argument only when `name` is an argument Darkroom knows.
/// Any other piece that follows an unencoded `imageUrl`, `background.imageUrl` or
/// `background.guidance.imageUrl` belongs to that URL, so `?imageUrl=https://shop.example/a.jpg?w=800&sig=abc&padding=0.1`
/// gives `imageUrl=https://shop.example/a.jpg?w=800&sig=abc` and `padding=0.1`. A URL that was percent-encoded
/// is decoded once and never swallows what follows. Elsewhere an unknown piece is an unknown argument.
enum QueryArguments {
    static let urlArguments: Set<String> = ["imageUrl", "background.imageUrl", "background.guidance.imageUrl"]

    static func isKnown(_ name: String) -> Bool {
        EditOptions.argumentNames.contains(name)
            || EditOptions.notImplementedPrefixes.contains { name == $0 || name.hasPrefix($0) }
    }

    static func parse(_ rawQuery: String) -> [(name: String, value: String)] {
        var arguments: [(name: String, value: String)] = []
        var openURL: Int?  // index of an unencoded URL argument that may continue
        for piece in rawQuery.split(separator: "&", omittingEmptySubsequences: false) {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(String(pair[0]))
            let rawValue = pair.count > 1 ? String(pair[1]) : ""
            if isKnown(name) {
                openURL = nil
                if urlArguments.contains(name), rawValue.lowercased().hasPrefix("http://") || rawValue.lowercased().hasPrefix("https://") {
                    arguments.append((name, rawValue))
                    openURL = arguments.count - 1
                } else {
                    arguments.append((name, decode(rawValue)))
                }
            } else if let index = openURL {
                arguments[index].value += "&" + piece
            } else if !piece.isEmpty {
                arguments.append((name, decode(rawValue)))
            }
        }
        return arguments
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }
}
