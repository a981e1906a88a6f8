import Foundation

extension StepHTTPClient {
    /// `request` with `auth` applied; an OAuth2 or connection token is fetched or taken from the cache.
    /// A header the request already sets (such as its own `Authorization`) is left alone.
    public func authorize(_ request: PreparedRequest, with auth: RequestAuth?) async throws -> PreparedRequest {
        guard let auth else { return request }
        var request = request
        switch auth {
        case .bearer(let token):
            request.addHeaderIfAbsent("Authorization", "Bearer \(token)")
        case .basic(let username, let password):
            request.addHeaderIfAbsent("Authorization", "Basic \(RequestAuth.basicValue(username, password))")
        case .apiKey(.header, let name, let value):
            request.addHeaderIfAbsent(name, value)
        case .apiKey(.query, let name, let value):
            request.url = URLQuery.setting(name, to: value, in: request.url)
        case .oauth2(let credentials):
            if !request.hasHeader("Authorization") {
                let token = try await tokens.token(for: credentials, using: self)
                request.setHeader("Authorization", "Bearer \(token)")
            }
        case .connection(let credential):
            if !request.hasHeader(credential.signIn.header) {
                let token = try await credential.provider.accessToken(for: credential.signIn, using: self)
                request.setHeader(credential.signIn.header, credential.signIn.headerValue(token))
            }
        }
        return request
    }
}
