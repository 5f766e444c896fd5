/// Which network destinations `imageUrl` may reach. Everything but public unicast addresses is refused,
/// unless the server runs with `--allow-private-urls`.
enum AddressPolicy {
    /// The rule `address` breaks, or nil when it is a public unicast address.
    static func violation(_ address: [UInt8]) -> String? {
        if address.count == 4 { return violationV4(address) }
        guard address.count == 16 else { return "an address of unknown family" }
        if address.allSatisfy({ $0 == 0 }) { return "the unspecified address (::)" }
        if address[0..<15].allSatisfy({ $0 == 0 }) && address[15] == 1 { return "loopback (::1)" }
        if address[0..<10].allSatisfy({ $0 == 0 }) && address[10] == 0xFF && address[11] == 0xFF {
            return "an IPv4-mapped IPv6 address (::ffff:0:0/96)"
        }
        if address[0..<12].allSatisfy({ $0 == 0 }) { return "an IPv4-compatible IPv6 address (::/96)" }
        if address[0] == 0x00, address[1] == 0x64, address[2] == 0xFF, address[3] == 0x9B { return "a NAT64 address (64:ff9b::/96)" }
        if address[0] == 0xFE && (address[1] & 0xC0) == 0x80 { return "link-local (fe80::/10)" }
        if (address[0] & 0xFE) == 0xFC { return "a unique local address (fc00::/7)" }
        if address[0] == 0xFF { return "multicast (ff00::/8)" }
        return nil
    }

    static func violationV4(_ a: [UInt8]) -> String? {
        switch (a[0], a[1]) {
        case (0, _): return "the unspecified network (0.0.0.0/8)"
        case (10, _): return "a private network (10.0.0.0/8)"
        case (127, _): return "loopback (127.0.0.0/8)"
        case (169, 254): return "link-local (169.254.0.0/16, cloud metadata lives here)"
        case (172, 16...31): return "a private network (172.16.0.0/12)"
        case (192, 168): return "a private network (192.168.0.0/16)"
        case (100, 64...127): return "carrier-grade NAT (100.64.0.0/10)"
        case (192, 0) where a[2] == 0: return "IETF protocol assignments (192.0.0.0/24)"
        case (198, 18...19): return "a benchmarking network (198.18.0.0/15)"
        case (224...239, _): return "multicast (224.0.0.0/4)"
        case (240...255, _): return "a reserved or broadcast address (240.0.0.0/4)"
        default: return nil
        }
    }
}
