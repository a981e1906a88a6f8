import BatonEngine
import BatonStore
import Foundation
import Hummingbird
import NIOCore

/// `GET /api/runs/export?format=jsonl|csv` with the filters of `GET /api/runs` (and `limit`,
/// unbounded by default): every matching run, newest first, streamed a batch at a time.
struct RunExportEndpoint: Sendable {
    let state: ServerState

    func export(_ request: Request) async -> Response {
        var format = RunExport.Format.jsonl
        var problems: [String] = []
        for (name, value) in request.queryPairs where name == "format" {
            if let chosen = RunExport.Format(rawValue: value.lowercased()) {
                format = chosen
            } else {
                problems.append("format '\(value)' is not an export format; use jsonl or csv")
            }
        }
        var query = RunQuery(limit: nil)
        do {
            query = try RunQuery.parse(request.queryPairs, purpose: .export, now: state.clock.now(), ignoring: ["format"])
        } catch {
            problems += error.messages
        }
        guard problems.isEmpty else { return APIError.badQuery(problems) }

        let store = state.store, filter = query.filter, limit = query.limit, chosen = format
        // Once the first bytes are sent the status is 200: a store failure after that ends the
        // response early (a truncated chunked body), which clients report as an error.
        let body = ResponseBody { writer in
            var header = ByteBuffer()
            header.writeString(RunExport.header(chosen))
            if header.readableBytes > 0 { try await writer.write(header) }
            _ = try await RunExport.forEachBatch(in: store, filter: filter, limit: limit) { runs in
                var buffer = ByteBufferAllocator().buffer(capacity: runs.count * 512)
                for run in runs { buffer.writeString(RunExport.line(run, chosen)) }
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: format.contentType,
            .contentDisposition: "attachment; filename=\"runs.\(format.rawValue)\"",
        ], body: body)
    }
}
