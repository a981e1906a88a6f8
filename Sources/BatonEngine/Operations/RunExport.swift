import BatonCore
import BatonStore
import Foundation
import JSONata

/// Runs written out for other tools, one per line: JSON Lines (``RunSummary`` with details) or
/// CSV. Both `GET /api/runs/export` and `baton runs export` write them a batch at a time, so an
/// export of millions of runs never sits in memory.
public enum RunExport {
    /// The export formats.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// One JSON object per line.
        case jsonl
        /// Comma-separated values with a header line (RFC 4180).
        case csv

        /// The HTTP content type.
        public var contentType: String {
            switch self {
            case .jsonl: "application/x-ndjson; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    /// The CSV columns, in order.
    public static let csvColumns = [
        "id", "workflow", "workflow_version", "trigger", "status", "created_at", "started_at", "finished_at",
        "duration_ms", "error", "trigger_payload", "inputs", "output",
    ]

    /// What comes before the first run: the CSV header line, nothing for JSON Lines.
    public static func header(_ format: Format) -> String {
        format == .csv ? csvColumns.joined(separator: ",") + "\r\n" : ""
    }

    /// One run as one line, with its line ending. A JSON line has the fields of
    /// ``RunSummary/json(_:details:)`` with details, in the same order.
    public static func line(_ run: Run, _ format: Format) -> String {
        let duration = RunSummary.durationMilliseconds(run)
        switch format {
        case .jsonl:
            // Written by hand rather than through JSONValue: an export writes tens of thousands
            // of lines a second, and stored JSON that parses is copied as it is.
            var line = #"{"id":"#
            quote(run.id, into: &line)
            line += #","workflow":"#
            quote(run.workflowName, into: &line)
            line += #","workflow_version":\#(run.workflowVersionID),"trigger":"\#(run.triggerKind.rawValue)","status":"\#(run.status.rawValue)""#
            line += #","created_at":"\#(RunTimestamp.format(run.createdAt))""#
            line += #","started_at":"# + (run.startedAt.map { #""\#(RunTimestamp.format($0))""# } ?? "null")
            line += #","finished_at":"# + (run.finishedAt.map { #""\#(RunTimestamp.format($0))""# } ?? "null")
            line += #","duration_ms":"# + (duration.map { String($0) } ?? "null")
            line += #","error":"# + json(run.error)
            line += #","trigger_payload":"# + json(run.triggerPayload)
            line += #","inputs":"# + json(run.inputs)
            line += #","output":"# + json(run.output)
            line += "}\n"
            return line
        case .csv:
            let fields: [String] = [
                run.id, run.workflowName, String(run.workflowVersionID), run.triggerKind.rawValue, run.status.rawValue,
                RunTimestamp.format(run.createdAt), run.startedAt.map(RunTimestamp.format) ?? "",
                run.finishedAt.map(RunTimestamp.format) ?? "", duration.map { String($0) } ?? "",
                defused(RunSummary.errorMessage(run.error) ?? ""),
                run.triggerPayload ?? "", run.inputs ?? "", run.output ?? "",
            ]
            var line = ""
            for (index, field) in fields.enumerated() {
                if index > 0 { line += "," }
                csvField(field, into: &line)
            }
            line += "\r\n"
            return line
        }
    }

    /// Reads the runs matching `filter`, newest first, at most `limit` (`nil`: all), and hands
    /// them to `body` a batch at a time; returns how many there were.
    public static func forEachBatch(
        in store: any RunStore, filter: RunFilter, limit: Int?, batchSize: Int = 1000,
        _ body: ([Run]) async throws -> Void
    ) async throws -> Int {
        var cursor: RunCursor? = nil
        var count = 0
        repeat {
            let size = min(batchSize, (limit ?? Int.max) - count)
            guard size > 0 else { break }
            let page = try await store.listRuns(filter: filter, limit: size, after: cursor)
            if !page.runs.isEmpty { try await body(page.runs) }
            count += page.runs.count
            cursor = page.next
        } while cursor != nil
        return count
    }

    /// A CSV field, quoted when it holds a separator, a quote, a line break or edge spaces.
    static func csvField(_ text: String, into line: inout String) {
        let bytes = text.utf8
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        guard needsQuotes else {
            line += text
            return
        }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(bytes.count + 8)
        for byte in bytes {
            quoted.append(byte)
            if byte == UInt8(ascii: "\"") { quoted.append(byte) }
        }
        quoted.append(UInt8(ascii: "\""))
        line += String(decoding: quoted, as: UTF8.self)
    }

    /// `text` as a JSON string.
    static func quote(_ text: String, into line: inout String) {
        let bytes = text.utf8
        guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            line += "\"" + text + "\""
            return
        }
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20: line += String(format: "\\u%04x", scalar.value)
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }

    /// Stored JSON text as it is when it parses and is one line; otherwise as ``RunSummary`` shows it.
    static func json(_ text: String?) -> String {
        guard let text else { return "null" }
        guard let value = try? JSONValue(parsing: text) else {
            var quoted = ""
            quote(text, into: &quoted)
            return quoted
        }
        return text.utf8.contains(where: { $0 == 10 || $0 == 13 }) ? value.serialized() : text
    }

    /// Text from outside (an error message can quote a response) that a spreadsheet would run
    /// as a formula gets a leading apostrophe, as OWASP advises for CSV exports.
    static func defused(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }
}
