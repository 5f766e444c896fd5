import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Whether the client is still there. While a handler works, the server reads nothing more from the socket, so
/// a client that hung up is not noticed by the channel; the kernel knows, though: its side of the TCP
/// connection leaves ESTABLISHED as soon as the client's FIN arrives.
enum ClientConnection {
    static let tcpEstablished: UInt8 = 1  // TCP_ESTABLISHED in <netinet/tcp.h>

    static func isGone(_ channel: any Channel) async -> Bool {
        guard let socket = channel as? any SocketOptionProvider else { return false }  // not a TCP socket (tests)
        let info: tcp_info? = try? await socket.unsafeGetSocketOption(
            level: NIOBSDSocket.OptionLevel(rawValue: CInt(IPPROTO_TCP)),
            name: NIOBSDSocket.Option(rawValue: CInt(TCP_INFO))).get()
        guard let info else { return false }
        return info.tcpi_state != tcpEstablished
    }
}
