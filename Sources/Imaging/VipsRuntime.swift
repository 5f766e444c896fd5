internal import CVips
internal import CVipsShim
import Foundation

/// libvips' process-wide start-up. `vips_init` is not thread-safe, so it runs exactly once behind a
/// Swift static (which the runtime initialises under a lock) before any image exists.
enum VipsRuntime {
    static let started: Bool = {
        // Warnings about recoverable decode problems would otherwise flood stderr; errors are still reported.
        setenv("VIPS_WARNING", "0", 0)
        guard cvips_init("darkroom") == 0 else {
            fatalError("libvips failed to start: \(VipsRuntime.takeError())")
        }
        // An upload API must not keep decoded inputs alive in libvips' operation cache.
        vips_cache_set_max(0)
        cvips_restrict_loaders()
        return true
    }()

    static func ensureStarted() { _ = started }

    /// libvips' error buffer is process-global: the text is diagnostic, never used to decide a status.
    static func takeError() -> String {
        guard let copy = vips_error_buffer_copy() else { return "unknown libvips error" }
        defer { g_free(copy) }
        let text = String(cString: copy).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libvips error" : text
    }
}
