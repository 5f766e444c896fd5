import Editing

/// The OpenAPI form of an `ArgumentCatalogue` entry: a JSON schema with its values, range and default, and
/// `x-darkroom-*` extensions carrying the group and the cross rules, which the docs and the playground read.
enum OpenAPIArguments {
    static func schema(for name: String) -> [String: Any] {
        guard let info = ArgumentCatalogue.info(name) else { return ["type": "string"] }
        var schema: [String: Any] = ["description": info.summary, "x-darkroom-group": info.group, "x-darkroom-kind": info.kind.rawValue]
        switch info.kind {
        case .file: schema["type"] = "string"; schema["format"] = "binary"
        case .url: schema["type"] = "string"; schema["format"] = "uri"
        case .boolean: schema["type"] = "boolean"
        case .number: schema["type"] = "number"
        case .choice: schema["type"] = "string"; schema["enum"] = info.values
        case .numberOrPreset:
            schema["oneOf"] = [["type": "number"], ["type": "string", "enum": info.values]]
        case .size:
            schema["type"] = "string"; schema["pattern"] = "^(auto|originalImage|croppedSubject|[0-9]+x[0-9]+)$"
            schema["examples"] = info.values + ["1000x1000"]
        case .length:
            schema["oneOf"] = [["type": "number", "minimum": 0, "maximum": 0.49], ["type": "string", "pattern": "^[0-9.]+(%|px)$"]]
        case .color, .string: schema["type"] = "string"
        }
        if let range = info.range {
            schema["minimum"] = range.lowerBound
            schema["maximum"] = range.upperBound
        }
        if let value = info.defaultValue {
            // A per-side inset "defaults" to its all-sides argument: said in words, not as a JSON default.
            if value == "padding" || value == "margin" {
                schema["x-darkroom-inherits"] = value
            } else {
                switch info.kind {
                case .boolean: schema["default"] = value == "true"
                case .number, .length: schema["default"] = Double(value) ?? 0
                default: schema["default"] = value
                }
            }
        }
        func conditions(_ list: [ArgumentInfo.Condition]) -> [[String: Any]] {
            list.map { condition in
                var object: [String: Any] = ["argument": condition.argument]
                if let values = condition.values { object["values"] = values }
                if let pattern = condition.pattern { object["pattern"] = pattern }
                return object
            }
        }
        if !info.requiresAny.isEmpty { schema["x-darkroom-requires-any"] = conditions(info.requiresAny) }
        if !info.conflicts.isEmpty { schema["x-darkroom-conflicts"] = conditions(info.conflicts) }
        if !info.rules.isEmpty { schema["x-darkroom-rules"] = info.rules }
        return schema
    }
}
