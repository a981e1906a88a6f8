import BatonCore
import Foundation
import JSONata
import OrderedCollections
import Synchronization

/// Airtable's REST API for one base and its `Posts` table: the content calendar.
///
/// Lists records with `filterByFormula`, `sort` and `pageSize`, paged by an `offset` cursor
/// that is absent from the last page; updates records with `PATCH {fields}`, refusing unknown
/// field names and select options as Airtable does (422 with `{error: {type, message}}`).
final class AirtableStandIn: Sendable {
    static let base = "appContentCal0001"
    static let token = "pat-calendar-token"
    /// The fields the table has, and the options of its single-select `Status`.
    static let fieldNames: Set<String> = ["Text", "Platforms", "Publish at", "Status", "Mastodon URL", "Bluesky URL",
                                          "X URL", "LinkedIn URL", "Errors", "Posted at"]
    static let statuses: Set<String> = ["Scheduled", "Queued", "Posted", "Partly posted", "Failed"]

    private let records: Mutex<[(id: String, fields: OrderedDictionary<String, JSONValue>)]>
    /// The `fields` of every PATCH, by record.
    private let updates = Mutex<[String: [JSONValue]]>([:])
    private let pageLimit: Int
    let service = StandIn("Airtable")

    /// A calendar holding `records`, listing at most `pageLimit` per page (fewer than asked,
    /// as Airtable may, so that a short list still takes several pages).
    init(records: [(String, OrderedDictionary<String, JSONValue>)], pageLimit: Int) {
        self.records = Mutex(records.map { (id: $0.0, fields: $0.1) })
        self.pageLimit = pageLimit
        service.answer { [unowned self] request in self.answer(request) }
    }

    /// A record's fields now.
    func fields(_ id: String) -> OrderedDictionary<String, JSONValue> {
        records.withLock { $0.first { $0.id == id }?.fields ?? [:] }
    }

    /// The `fields` PATCHed onto a record, in order.
    func updates(of id: String) -> [JSONValue] { updates.withLock { $0[id] ?? [] } }

    private func answer(_ request: StandIn.Request) -> StandIn.Reply {
        guard request.bearer == Self.token else {
            return .json(401, ["error": ["type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"]])
        }
        let table = "/v0/\(Self.base)/Posts"
        if request.method == "GET", request.path == table { return list(request) }
        if request.method == "PATCH", request.path.hasPrefix(table + "/") {
            return update(String(request.path.dropFirst(table.count + 1)), request)
        }
        return .json(404, ["error": "NOT_FOUND"])
    }

    private static var formula: Regex<(Substring, Substring)> { #/^AND\(\{Status\} = 'Scheduled', IS_BEFORE\(\{Publish at\}, DATETIME_PARSE\('([^']+)'\)\)\)$/# }

    private func list(_ request: StandIn.Request) -> StandIn.Reply {
        guard let text = request.query["filterByFormula"], let match = text.wholeMatch(of: Self.formula),
              let until = ISO8601Time.parse(String(match.1)) else {
            return .json(422, ["error": ["type": "INVALID_FILTER_BY_FORMULA",
                                         "message": .string("The formula for filtering records is invalid: \(request.query["filterByFormula"] ?? "")")]])
        }
        guard request.query["sort[0][field]"] == "Publish at", request.query["sort[0][direction]"] == "asc" else {
            return .json(422, ["error": ["type": "INVALID_SORT", "message": "Sort by 'Publish at', ascending, is expected"]])
        }
        let asked = request.query["pageSize"].flatMap(Int.init) ?? 100
        guard (1...100).contains(asked) else {
            return .json(422, ["error": ["type": "INVALID_PAGE_SIZE", "message": "pageSize must be between 1 and 100"]])
        }
        let due = records.withLock { $0 }.filter { record in
            record.fields["Status"] == "Scheduled"
                && (record.fields["Publish at"]?.stringValue.flatMap { ISO8601Time.parse($0) }.map { $0 < until } ?? false)
        }.sorted { ($0.fields["Publish at"]?.stringValue ?? "") < ($1.fields["Publish at"]?.stringValue ?? "") }
        let start = request.query["offset"].flatMap { Int($0.split(separator: "/").last ?? "") } ?? 0
        let size = min(asked, pageLimit)
        let page = due.dropFirst(start).prefix(size)
        var body: OrderedDictionary<String, JSONValue> = ["records": .array(page.map(Self.json))]
        if start + size < due.count { body["offset"] = .string("itrStandIn/\(start + size)") }
        return .json(200, .object(body))
    }

    private func update(_ id: String, _ request: StandIn.Request) -> StandIn.Reply {
        guard case .object(let changes)? = request.json?["fields"] else {
            return .json(422, ["error": ["type": "INVALID_REQUEST_MISSING_FIELDS", "message": "Could not find field \"fields\" in the request body"]])
        }
        if let unknown = changes.keys.first(where: { !Self.fieldNames.contains($0) }) {
            return .json(422, ["error": ["type": "UNKNOWN_FIELD_NAME", "message": .string("Unknown field name: \"\(unknown)\"")]])
        }
        if let status = changes["Status"]?.stringValue, !Self.statuses.contains(status) {
            return .json(422, ["error": ["type": "INVALID_MULTIPLE_CHOICE_OPTIONS",
                                         "message": .string("Insufficient permissions to create new select option \"\(status)\"")]])
        }
        let updated: (id: String, fields: OrderedDictionary<String, JSONValue>)? = records.withLock { records in
            guard let index = records.firstIndex(where: { $0.id == id }) else { return nil }
            for (name, value) in changes {
                // An empty text clears the cell, and Airtable leaves empty cells out.
                if value == "" { records[index].fields[name] = nil } else { records[index].fields[name] = value }
            }
            return records[index]
        }
        guard let updated else { return .json(404, ["error": "NOT_FOUND"]) }
        updates.withLock { $0[id, default: []].append(.object(changes)) }
        return .json(200, Self.json(updated))
    }

    private static func json(_ record: (id: String, fields: OrderedDictionary<String, JSONValue>)) -> JSONValue {
        ["id": .string(record.id), "createdTime": "2026-01-05T09:00:00.000Z", "fields": .object(record.fields)]
    }
}
