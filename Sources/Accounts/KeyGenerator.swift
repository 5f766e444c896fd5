import Crypto
import Foundation

/// API keys: `dk_` and 40 random base-32 characters (200 bits). Only a SHA-256 of the key is stored; the key
/// itself is shown once, at creation. `sandbox_<key>` is the same key in sandbox mode.
public enum KeyGenerator {
    public static let sandboxPrefix = "sandbox_"
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    public static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return "dk_" + String((0..<40).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Splits `sandbox_<key>`; nil when the text cannot be a Darkroom key at all (wrong shape, wrong characters),
    /// so malformed keys are refused without touching the database.
    public static func parse(_ presented: String) -> (key: String, sandbox: Bool)? {
        var key = Substring(presented)
        let sandbox = key.hasPrefix(sandboxPrefix)
        if sandbox { key = key.dropFirst(sandboxPrefix.count) }
        guard key.count == 43, key.hasPrefix("dk_"), key.dropFirst(3).allSatisfy({ alphabet.contains($0) }) else { return nil }
        return (String(key), sandbox)
    }
}
