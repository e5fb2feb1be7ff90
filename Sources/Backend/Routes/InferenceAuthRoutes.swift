import ArenaModel
import Foundation
import Hummingbird
import Store

/// Inference credentials per provider (oro-sdk 1.0.129+/7.x `oro inference …`, and the check `oro submit` 7.x
/// makes first), stored sealed like the legacy Chutes token:
///
/// - `GET /v1/miner/inference-auth` → `{providers: [{provider, connected, updated_at}], default_provider}`,
///   one entry per supported provider (`chutes`, `openrouter`);
/// - `GET|POST|DELETE /v1/miner/inference-auth/{provider}`: status, store (`{credential}`; the first stored
///   provider becomes the default), remove (404 PROVIDER_NOT_CONNECTED when none is stored);
/// - `PATCH /v1/miner/inference-auth/default` (`{provider}`): choose the provider validators use (409
///   PROVIDER_NOT_CONNECTED unless it is connected).
///
/// The legacy `POST /v1/miner/chutes-auth` stores a Chutes credential without making it the default (7.x's
/// `oro submit` refuses a Chutes default).
public struct InferenceAuthRoutes: Sendable {
    public let services: BackendServices

    public init(services: BackendServices) { self.services = services }

    var credentials: ProviderCredentials {
        ProviderCredentials(database: services.database, box: CredentialBox(keyText: services.settings.credentialKey))
    }

    static let maxCredentialBytes = 8192

    public func register(on group: RouterGroup<ArenaRequestContext>) {
        group.get("inference-auth") { _, context in try await list(context.requireCaller()) }
        group.patch("inference-auth/default") { request, context in try await setDefault(request, context) }
        group.get("inference-auth/:provider") { _, context in
            try await status(context.requireCaller(), provider: Self.provider(context))
        }
        group.post("inference-auth/:provider") { request, context in try await store(request, context) }
        group.delete("inference-auth/:provider") { _, context in try await remove(context) }
    }

    /// The `{provider}` path parameter (422 in FastAPI's shape for an unknown one).
    static func provider(_ context: ArenaRequestContext) throws -> InferenceProvider {
        let text = context.parameters.get("provider") ?? ""
        guard let provider = InferenceProvider(rawValue: text) else {
            throw APIError.invalid(["path", "provider"], "Input should be \(choices)", type: "enum", input: .string(text))
        }
        return provider
    }

    static var choices: String { InferenceProvider.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ") }

    func list(_ caller: Caller) async throws -> JSONResponse {
        let listing = try await credentials.listing(forMiner: caller.hotkey)
        return JSONResponse(.object([
            ("providers", .array(InferenceProvider.allCases.map { Self.entry($0, listing) })),
            ("default_provider", WireValue.string(listing.defaultProvider?.rawValue)),
        ]))
    }

    func status(_ caller: Caller, provider: InferenceProvider) async throws -> JSONResponse {
        JSONResponse(Self.entry(provider, try await credentials.listing(forMiner: caller.hotkey)))
    }

    /// `InferenceAuthStatusResponse`: `{provider, connected, updated_at}`.
    static func entry(_ provider: InferenceProvider, _ listing: ProviderCredentials.Listing) -> JSONValue {
        let connection = listing.connections.first { $0.provider == provider }
        return .object([
            ("provider", .string(provider.rawValue)), ("connected", .bool(connection != nil)),
            ("updated_at", Wire.timestamp(connection?.updatedAt)),
        ])
    }

    func store(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let provider = try Self.provider(context)
        let body = try await JSONBody.read(request, context: context, limit: 64 << 10)
        let credential = try body.string("credential").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !credential.isEmpty else {
            throw APIError.invalid(["body", "credential"], "String should have at least 1 character", type: "string_too_short",
                                   input: .string(credential))
        }
        guard credential.utf8.count <= Self.maxCredentialBytes else {
            throw APIError.invalid(["body", "credential"], "String should have at most \(Self.maxCredentialBytes) characters",
                                   type: "string_too_long")
        }
        try await credentials.store(credential, provider: provider, forMiner: caller.hotkey, defaultChoice: .whenNoneChosen,
                                    now: services.now())
        let listing = try await credentials.listing(forMiner: caller.hotkey)
        return JSONResponse(.object((Self.entry(provider, listing).objectValue ?? [])
            + [("default_provider", WireValue.string(listing.defaultProvider?.rawValue))]))
    }

    func remove(_ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let provider = try Self.provider(context)
        guard try await credentials.delete(provider: provider, forMiner: caller.hotkey) else {
            throw APIError.notFound("PROVIDER_NOT_CONNECTED", "no \(provider.rawValue) credential is stored for this hotkey")
        }
        let listing = try await credentials.listing(forMiner: caller.hotkey)
        return JSONResponse(.object((Self.entry(provider, listing).objectValue ?? [])
            + [("default_provider", WireValue.string(listing.defaultProvider?.rawValue))]))
    }

    func setDefault(_ request: Request, _ context: ArenaRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let body = try await JSONBody.read(request, context: context, limit: 16 << 10)
        let text = try body.string("provider")
        guard let provider = InferenceProvider(rawValue: text) else {
            throw APIError.invalid(["body", "provider"], "Input should be \(Self.choices)", type: "enum", input: .string(text))
        }
        do {
            try await credentials.setDefault(provider, forMiner: caller.hotkey, now: services.now())
        } catch let error as ProviderCredentialError {
            throw APIError.conflict("PROVIDER_NOT_CONNECTED", error.description)
        }
        return JSONResponse(.object([("default_provider", .string(provider.rawValue))]))
    }
}
