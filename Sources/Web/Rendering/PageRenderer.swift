import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Why the web module could not start or answer.
public enum WebError: Error, CustomStringConvertible, Sendable {
    /// A built-in template does not parse: a bug in this module, caught by its tests.
    case template(name: String, reason: String)
    /// A template name the renderer does not know: a bug in this module.
    case unknownTemplate(String)

    public var description: String {
        switch self {
        case .template(let name, let reason): return "the built-in page template '\(name)' does not parse: \(reason)"
        case .unknownTemplate(let name): return "no page template named '\(name)'"
        }
    }
}

/// Renders page models with the built-in Mustache templates, parsed once when the site starts.
///
/// Why Mustache (hummingbird-project/swift-mustache) rather than typed HTML: `{{value}}` HTML-escapes by
/// default, so an agent named `<script>` or a think step full of markup is text unless a template opts out
/// with a triple mustache — which the templates only do for `SafeHTML` fields (charts this module drew), a
/// rule a test enforces by reading the templates. The pages' markup stays readable as markup in one place per
/// page (Templates/), the models stay plain structs of display strings that tests can check without HTML, and
/// the library is small, has no dependencies and is already in the Hummingbird family we build on.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init() throws(WebError) {
        var library = MustacheLibrary()
        for (name, text) in Templates.all {
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch {
                throw .template(name: name, reason: "\(error)")
            }
        }
        self.library = library
    }

    /// The page `model` rendered with template `name`.
    func render(_ model: Any, template name: String) throws(WebError) -> String {
        guard let text = library.render(ModelTree.materialize(model), withTemplate: name) else { throw .unknownTemplate(name) }
        return text
    }
}

/// Turns a page model (nested structs, arrays, optionals) into dictionaries once, before rendering.
///
/// swift-mustache looks a name up by reflecting the object (`Mirror`) on every tag, and climbs the context
/// stack reflecting each level again; a page with a few hundred tags spent most of its time there. A
/// dictionary answers a lookup with one hash probe (`MustacheParent`), so reflecting each struct once here
/// makes rendering several times faster with the same output: a nil optional becomes an absent key, which
/// Mustache treats exactly as it treats nil.
enum ModelTree {
    static func materialize(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double, is SafeHTML: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return Optional<Any>.none as Any }
            return materialize(wrapped)
        case .collection, .set:
            return mirror.children.map { materialize($0.value) }
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let field = Mirror(reflecting: child.value)
                if field.displayStyle == .optional {
                    guard let wrapped = field.children.first?.value else { continue }
                    fields[label] = materialize(wrapped)
                } else {
                    fields[label] = materialize(child.value)
                }
            }
            return fields
        default:
            return value
        }
    }
}

/// An HTML answer: UTF-8 `text/html`, never cached (the pages show live data), with the render time in a
/// `Server-Timing` header so the browser tests and `curl -I` can read the server's share of a page load.
struct HTMLResponse: ResponseGenerator, Sendable {
    /// Where a page's server time went: reading the data, and rendering the template.
    struct Timing: Sendable {
        var loadMillis: Double
        var renderMillis: Double
        var header: String {
            "app;dur=\(Self.f(loadMillis + renderMillis)), load;dur=\(Self.f(loadMillis)), render;dur=\(Self.f(renderMillis))"
        }
        static func f(_ value: Double) -> String { String(format: "%.2f", value) }
    }

    var html: String
    var status: HTTPResponse.Status = .ok
    /// The server's share of the page, when measured.
    var timing: Timing?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if let timing { headers[HTTPField.Name("Server-Timing")!] = timing.header }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
