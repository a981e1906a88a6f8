import JSONata
import OrderedCollections

/// The answer to a SOAP call.
public struct SOAPResult: Sendable {
    /// The HTTP exchange.
    public var http: HTTPResult
    /// The first element of `soap:Body` as `{"ElementName": value}`, by ``XMLJSONMapping``.
    public var element: JSONValue

    /// The step output: the body element as a JSON value.
    public var output: JSONValue { element }
}
