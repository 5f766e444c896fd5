import Accounts
import Foundation

/// Calls per UTC day, stacked by route, as an SVG drawn on the server (no script, no chart library).
enum UsageChart {
    static let colors = ["#3b3bd1", "#e07a10", "#1e7d32", "#b3261e", "#7b1fa2", "#00838f"]

    static func svg(_ usage: [UsageRecord], days: Int, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        let starts = (0..<days).map { calendar.date(byAdding: .day, value: $0 - days + 1, to: today)! }
        let routes = Array(Set(usage.map(\.route))).sorted()
        var counts = Array(repeating: [String: Int](), count: days)
        for call in usage {
            let day = calendar.dateComponents([.day], from: starts[0], to: calendar.startOfDay(for: call.at)).day ?? -1
            if (0..<days).contains(day) { counts[day][call.route, default: 0] += 1 }
        }
        let peak = max(1, counts.map { $0.values.reduce(0, +) }.max() ?? 1)
        let width = 700.0, height = 180.0, left = 36.0, bottom = 24.0, top = 10.0
        let slot = (width - left) / Double(days), barWidth = slot * 0.7, plot = height - bottom - top
        let total = usage.filter { call in starts.first.map { call.at >= $0 } ?? false }.count
        var svg = """
            <svg id="usage-chart" role="img" aria-labelledby="usage-chart-title" viewBox="0 0 \(Int(width)) \(Int(height + 24))" width="100%" \
            xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">
            <title id="usage-chart-title">Calls per day by route over the last \(days) days: \(total) in all</title>
            <line x1="\(left)" y1="\(top + plot)" x2="\(width)" y2="\(top + plot)" stroke="#999"/>
            <text x="\(left - 4)" y="\(top + 4)" text-anchor="end" fill="#555">\(peak)</text>
            <text x="\(left - 4)" y="\(top + plot)" text-anchor="end" fill="#555">0</text>
            """
        for (index, start) in starts.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            var y = top + plot
            for (routeIndex, route) in routes.enumerated() {
                guard let n = counts[index][route], n > 0 else { continue }
                let h = plot * Double(n) / Double(peak)
                y -= h
                svg += "<rect class=\"bar\" data-route=\"\(HTML.escape(route))\" data-count=\"\(n)\" x=\(q(x)) y=\(q(y)) width=\(q(barWidth)) height=\(q(h)) fill=\"\(colors[routeIndex % colors.count])\"><title>\(HTML.escape(route)): \(n) on \(WebFormat.date(start))</title></rect>"
            }
            if index % 2 == days % 2 || index == days - 1 {
                let label = String(WebFormat.date(start).suffix(5))
                svg += "<text x=\(q(x + barWidth / 2)) y=\(q(top + plot + 15)) text-anchor=\"middle\" fill=\"#555\">\(label)</text>"
            }
        }
        var legendX = left
        for (routeIndex, route) in routes.enumerated() {
            svg += "<rect x=\(q(legendX)) y=\(q(height + 8)) width=\"10\" height=\"10\" fill=\"\(colors[routeIndex % colors.count])\"/>"
            svg += "<text x=\(q(legendX + 14)) y=\(q(height + 17)) fill=\"#333\">\(HTML.escape(route))</text>"
            legendX += 24 + Double(route.count) * 7
        }
        if routes.isEmpty { svg += "<text x=\(q(left + 10)) y=\(q(top + plot / 2)) fill=\"#777\">No calls in this period.</text>" }
        return svg + "</svg>"
    }

    static func q(_ value: Double) -> String { "\"" + String(format: "%.1f", value) + "\"" }
}

/// Dates as the pages show them: UTC, ISO 8601.
enum WebFormat {
    static func date(_ date: Date) -> String { String(time(date).prefix(10)) }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date)
    }
}
