import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Downloads `imageUrl` and `background.imageUrl`: http(s) only, every hop's resolved addresses checked
/// against `AddressPolicy`, redirects followed by hand (at most `maxRedirects`, each re-checked), the size
/// cap enforced while streaming, connect and total timeouts. Every failure is a 4xx naming the argument.
/// Each hop connects to the very address that was checked: the host is resolved once and the connection
/// pinned to that address (Host and TLS name unchanged), so a DNS answer that changes between the check and
/// the connection (rebinding) cannot lead anywhere else.
public struct ImageFetcher: Sendable {
    let configuration: ServerConfiguration

    public init(configuration: ServerConfiguration) { self.configuration = configuration }

    public func fetch(_ text: String, argument: String, limit: Int) async throws -> [UInt8] {
        var url = try FetchURL.parse(text, argument: argument)
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(configuration.fetchTotalTimeout.components.seconds) * 1_000_000_000)
        for hop in 0...configuration.maxRedirects {
            let address = try await check(url, argument: argument)
            // A client for this hop alone, pinned to the checked address; shut down when the hop is done.
            var clientConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                               timeout: .init(connect: .init(configuration.fetchConnectTimeout)))
            clientConfiguration.dnsOverride = [url.host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
            defer { client.shutdown { _ in } }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(HTTPClientRequest(url: url.string), deadline: deadline)
            } catch {
                throw APIError(.badRequest, "\(argument): \(url.host) could not be reached (\(Self.reason(error)))", type: "url_unreachable")
            }
            if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "location") {
                guard hop < configuration.maxRedirects else {
                    throw APIError(.badRequest, "\(argument): more than \(configuration.maxRedirects) redirects", type: "too_many_redirects")
                }
                url = try FetchURL.parse(FetchURL.resolve(location, against: url.string), argument: argument)
                continue
            }
            guard (200..<300).contains(Int(response.status.code)) else {
                throw APIError(.badRequest, "\(argument): \(url.host) answered HTTP \(response.status.code)", type: "url_failed")
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                throw Self.tooLarge(argument, limit)
            }
            var bytes: [UInt8] = []
            do {
                for try await chunk in response.body {
                    bytes.append(contentsOf: chunk.readableBytesView)
                    if bytes.count > limit { throw Self.tooLarge(argument, limit) }
                }
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(.badRequest, "\(argument): the download from \(url.host) failed (\(Self.reason(error)))", type: "url_failed")
            }
            return bytes
        }
        throw APIError(.badRequest, "\(argument): more than \(configuration.maxRedirects) redirects", type: "too_many_redirects")
    }

    static func tooLarge(_ argument: String, _ limit: Int) -> APIError {
        APIError(.contentTooLarge, "\(argument): the image is larger than the \(limit / 1_048_576) MB limit", type: "image_too_large")
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "timed out" }
        if let error = error as? HTTPClientError, error == .connectTimeout { return "connection timed out" }
        return String(describing: error).prefix(120).description
    }

    /// Resolves the host and refuses destinations that are not public unicast addresses; returns the address
    /// to connect to, in text.
    func check(_ url: FetchURL, argument: String) async throws -> String {
        let host = url.host
        let addresses = try await NIOThreadPool.singleton.runIfActive { Resolver.addresses(of: host) }
        guard !addresses.isEmpty else {
            throw APIError(.badRequest, "\(argument): the host \(host) could not be resolved", type: "url_unresolvable")
        }
        if !configuration.allowPrivateURLs {
            for address in addresses {
                if let rule = AddressPolicy.violation(address) {
                    throw APIError(.badRequest, "\(argument): \(host) resolves to \(rule), which this server does not fetch from",
                                   type: "url_forbidden")
                }
            }
        }
        return Resolver.text(addresses[0])
    }
}

/// A URL that passed Darkroom's checks, with its host in ASCII form.
struct FetchURL: Sendable {
    var string: String
    var host: String

    /// Accepts URLs as people paste them: spaces and non-ASCII characters are percent-encoded, IDN hosts
    /// become punycode, a URL that was percent-encoded as a whole is decoded first.
    static func parse(_ raw: String, argument: String) throws -> FetchURL {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.lowercased().hasPrefix("http%3a") || text.lowercased().hasPrefix("https%3a") {
            text = text.removingPercentEncoding ?? text
        }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw APIError(.badRequest, "\(argument): only http:// and https:// URLs are accepted", type: "invalid_url")
        }
        let schemeEnd = text.range(of: "://")!.upperBound
        let scheme = text[..<text.range(of: "://")!.lowerBound].lowercased()
        let rest = text[schemeEnd...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var host = authority, port = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid(argument) }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            port = String(authority[authority.index(after: close)...])
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = String(authority[colon...])
        }
        guard !host.isEmpty, port.isEmpty || (port.hasPrefix(":") && Int(port.dropFirst()).map { (1...65535).contains($0) } == true) else {
            throw invalid(argument)
        }
        guard let asciiHost = Punycode.asciiHost(host.removingPercentEncoding ?? host) else { throw invalid(argument) }
        var path = String(rest[authorityEnd...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        let hostPart = asciiHost.contains(":") ? "[\(asciiHost)]" : asciiHost
        return FetchURL(string: "\(scheme)://\(hostPart)\(port)\(encode(path))", host: asciiHost)
    }

    static func invalid(_ argument: String) -> APIError {
        APIError(.badRequest, "\(argument): not a valid URL", type: "invalid_url")
    }

    /// Percent-encodes what may not stand in a URL, leaving existing escapes and reserved characters alone.
    static func encode(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && byte > 0x20 && !"\"<>\\^`{|}".contains(c) { out.append(c) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    static func resolve(_ location: String, against base: String) -> String {
        if location.lowercased().hasPrefix("http://") || location.lowercased().hasPrefix("https://") { return location }
        return URL(string: location, relativeTo: URL(string: base))?.absoluteString ?? location
    }
}

/// Blocking name resolution (run it off the cooperative pool).
enum Resolver {
    /// An address in the text form a connection takes ("93.184.216.34", "2606:2800::1").
    static func text(_ address: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = address.count == 4 ? AF_INET : AF_INET6
        _ = address.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(cString: buffer)
    }

    static func addresses(of host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if info.pointee.ai_family == AF_INET, let sa = info.pointee.ai_addr {
                sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    var addr = $0.pointee.sin_addr
                    addresses.append(withUnsafeBytes(of: &addr) { Array($0) })
                }
            } else if info.pointee.ai_family == AF_INET6, let sa = info.pointee.ai_addr {
                sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    var addr = $0.pointee.sin6_addr
                    addresses.append(withUnsafeBytes(of: &addr) { Array($0) })
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
