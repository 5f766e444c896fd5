import Testing
@testable import Editing

/// The catalogue that the OpenAPI document, the docs and the playground are built from must describe exactly
/// the arguments the parser accepts, with rules that the parser really enforces.
struct ArgumentCatalogueTests {
    @Test func theCatalogueDescribesExactlyTheArgumentsTheParserAccepts() {
        let described = ArgumentCatalogue.all.map(\.name)
        #expect(Set(described).count == described.count, "no argument twice")
        #expect(Set(described) == Set(EditOptions.argumentNames),
                "missing: \(Set(EditOptions.argumentNames).subtracting(described).sorted()), extra: \(Set(described).subtracting(EditOptions.argumentNames).sorted())")
        for info in ArgumentCatalogue.all {
            #expect(ArgumentCatalogue.groups.contains(info.group), "\(info.name)")
            for condition in info.requiresAny + info.conflicts { #expect(EditOptions.argumentNames.contains(condition.argument), "\(info.name)") }
        }
    }

    @Test func everyChoiceTheCatalogueOffersIsAccepted() throws {
        for info in ArgumentCatalogue.all where info.kind == .choice {
            for value in info.values {
                // Each value, with what its rules need, parses without error.
                var arguments = [(name: String, value: String)]()
                for condition in info.requiresAny.prefix(1) {
                    arguments.append((condition.argument, condition.values?.first ?? (condition.argument.hasSuffix("Url") ? "https://example.com/a.jpg" : "x")))
                }
                arguments.append((info.name, value))
                #expect(throws: Never.self, "\(info.name)=\(value)") { try EditOptions.parse(arguments, headers: Self.headers(info.name, value)) }
            }
        }
    }

    @Test func everyRequirementTheCatalogueStatesIsEnforcedByTheParser() {
        for info in ArgumentCatalogue.all where !info.requiresAny.isEmpty && info.kind != .file {
            let value = info.values.first ?? info.range.map { String(($0.lowerBound + $0.upperBound) / 2) } ?? "x"
            #expect(throws: EditError.self, "\(info.name) alone") { try EditOptions.parse([(info.name, value)], headers: Self.headers(info.name, value)) }
        }
    }

    @Test func everyConflictTheCatalogueStatesIsEnforcedByTheParser() {
        for info in ArgumentCatalogue.all where info.kind != .file {
            for conflict in info.conflicts where ArgumentCatalogue.info(conflict.argument)?.kind != .file {
                var arguments = info.requiresAny.prefix(1).map { ($0.argument, $0.values?.first ?? Self.sample($0.argument)) }
                arguments.append((info.name, info.values.first ?? Self.sample(info.name)))
                arguments.append((conflict.argument, conflict.values?.first ?? (conflict.pattern != nil ? "100x100" : Self.sample(conflict.argument))))
                #expect(throws: EditError.self, "\(info.name) with \(conflict.argument)") {
                    try EditOptions.parse(arguments.map { (name: $0.0, value: $0.1) })
                }
            }
        }
    }

    /// A value of the argument's own kind that parses when the argument is alone.
    static func sample(_ name: String) -> String {
        switch ArgumentCatalogue.info(name)?.kind {
        case .url: return "https://example.com/a.jpg"
        case .number: return ArgumentCatalogue.info(name)?.range.map { String(Int($0.lowerBound)) } ?? "1"
        default: return ArgumentCatalogue.info(name)?.values.first ?? "x"
        }
    }

    static func headers(_ name: String, _ value: String) -> [String: String] {
        name.hasPrefix("shadow.") && (name != "shadow.mode" || ["ai.preset-soft", "ai.preset-hard", "ai.auto-with-overrides"].contains(value))
            ? [ShadowOptions.modelHeader: ShadowOptions.newModel] : [:]
    }
}
