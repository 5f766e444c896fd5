import Editing
import Foundation

/// Darkroom's own OpenAPI 3.1 description of every route it serves, built from the same argument lists the
/// parsers use, so the document cannot forget an argument.
enum OpenAPIDocument {
    static let fileArguments: Set<String> = ["imageFile", "background.imageFile", "background.guidance.imageFile", "image_file"]

    static func make() -> [String: Any] {
        let editArguments = EditOptions.argumentNames
        let headerParameters: [[String: Any]] = EditOptions.modelHeaders.sorted { $0.key < $1.key }.map {
            ["name": $0.key, "in": "header", "required": false, "schema": ["type": "string", "enum": $0.value]]
        }
        let queryParameters: [[String: Any]] = editArguments.filter { !fileArguments.contains($0) }.map {
            ["name": $0, "in": "query", "required": $0 == "imageUrl", "schema": OpenAPIArguments.schema(for: $0)]
        } + headerParameters
        func formSchema(_ names: [String], required: [String]) -> [String: Any] {
            var properties: [String: Any] = [:]
            for name in names {
                properties[name] = ArgumentCatalogue.info(name) != nil ? OpenAPIArguments.schema(for: name)
                    : fileArguments.contains(name) ? ["type": "string", "format": "binary"] : ["type": "string"]
            }
            return ["type": "object", "properties": properties, "required": required]
        }
        let imageResponse: [String: Any] = [
            "description": "The edited image.",
            "headers": ["x-uncertainty-score": ["schema": ["type": "number"], "description": "0 (confident) to 1; -1 when not computed"],
                        "pr-ai-background-seed": ["schema": ["type": "integer"], "description": "the seed of a background.prompt background"],
                        "x-darkroom-prompt-unused": ["schema": ["type": "string"], "description": "prompt words the generator could not use"]],
            "content": ["image/png": ["schema": ["type": "string", "format": "binary"]],
                        "image/jpeg": ["schema": ["type": "string", "format": "binary"]],
                        "image/webp": ["schema": ["type": "string", "format": "binary"]],
                        "image/avif": ["schema": ["type": "string", "format": "binary"]]],
        ]
        let nestedError: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/NestedError"]]]]
        let flatError: [String: Any] = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/FlatError"]]]]
        // Every status an image route can answer: 400 bad argument or missing key, 402 no credits, 403 wrong key,
        // 405 another method, 410 a legacy host past its sunset, 413 over a size limit, 415 not an image or not a
        // form, 422 a corrupt image, 429 busy or over a rate limit or quota, 500 a bug, 501 not implemented or not
        // installed, 502 the operator's background generator failed, 503 past the request deadline.
        func errors(_ error: [String: Any], _ statuses: [String]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: statuses.map { ($0, error) })
        }
        let imageStatuses = ["400", "402", "403", "405", "410", "413", "415", "422", "429", "500", "501", "503"]
        let editErrors = errors(nestedError, imageStatuses + ["502"])
        var segmentResponses = errors(flatError, imageStatuses)
        func account(_ summary: String, _ schema: [String: Any]) -> [String: Any] {
            ["get": ["operationId": summary.lowercased().replacingOccurrences(of: " ", with: ""), "summary": summary,
                     "responses": ["200": ["description": "Balance", "content": ["application/json": ["schema": schema]]],
                                   "400": nestedError, "403": nestedError, "405": nestedError, "410": nestedError, "429": nestedError,
                                   "500": nestedError]]]
        }
        let number: [String: Any] = ["type": "number"]
        var segmentOK = imageResponse
        var segmentContent = imageResponse["content"] as! [String: Any]
        segmentContent["application/json"] = ["schema": ["type": "object", "required": ["base64img"],
                                                         "properties": ["base64img": ["type": "string", "contentEncoding": "base64"]]]]
        segmentOK["content"] = segmentContent
        segmentResponses["200"] = segmentOK

        return [
            "openapi": "3.1.0",
            "info": ["title": "Darkroom", "version": "0.1.0",
                     "description": "Self-hosted, Photoroom-compatible image editing."],
            "paths": [
                "/v1/segment": ["post": [
                    "operationId": "segment", "summary": "Remove the background",
                    "requestBody": ["required": true, "content": ["multipart/form-data": ["schema": formSchema(SegmentOptions.fieldNames, required: ["image_file"])]]],
                    "responses": segmentResponses,
                ]],
                "/v2/edit": [
                    "get": ["operationId": "editGet", "summary": "Edit an image given by URL", "parameters": queryParameters,
                            "responses": editErrors.merging(["200": imageResponse]) { a, _ in a }],
                    "post": ["operationId": "editPost", "summary": "Edit an uploaded image", "parameters": headerParameters,
                             "requestBody": ["required": true, "content": ["multipart/form-data": ["schema": formSchema(editArguments, required: [])]]],
                             "responses": editErrors.merging(["200": imageResponse]) { a, _ in a }],
                ],
                "/v1/account": account("Credits balance", ["type": "object", "required": ["credits"], "properties": [
                    "credits": ["type": "object", "required": ["available", "subscription"], "properties": ["available": number, "subscription": number]]]]),
                "/v2/account": account("Images balance and plan", ["type": "object", "required": ["images", "plan"], "properties": [
                    "images": ["type": "object", "required": ["available", "subscription"], "properties": ["available": number, "subscription": number]],
                    "plan": ["type": "string"]]]),
                "/health": ["get": ["operationId": "health", "security": [],  "summary": "Liveness and readiness",
                                    "responses": ["200": ["description": "Healthy", "content": ["application/json": ["schema": ["type": "object"]]]],
                                                  "503": ["description": "Unhealthy", "content": ["application/json": ["schema": ["type": "object"]]]]]]],
                "/openapi.json": ["get": ["operationId": "openapi", "security": [], "summary": "This document",
                                          "responses": ["200": ["description": "OpenAPI 3.1", "content": ["application/json": ["schema": ["type": "object"]]]]]]],
                "/metrics": ["get": ["operationId": "metrics", "security": [], "summary": "Prometheus metrics",
                                     "responses": ["200": ["description": "Prometheus text format", "content": ["text/plain": ["schema": ["type": "string"]]]]]]],
            ],
            "security": [["apiKey": []]],
            "components": [
                "securitySchemes": ["apiKey": ["type": "apiKey", "in": "header", "name": "x-api-key",
                                               "description": "A key from `darkroom keys create`; `sandbox_<key>` for free, watermarked results."]],
                "schemas": [
                "NestedError": ["type": "object", "required": ["error"],
                                "properties": ["error": ["type": "object", "properties": ["message": ["type": "string"], "detail": ["type": "string"]]]]],
                "FlatError": ["type": "object", "required": ["detail", "status_code", "type"],
                              "properties": ["detail": ["type": "string"], "status_code": ["type": "integer"], "type": ["type": "string"]]],
            ]],
        ]
    }

    /// Every documented path with the methods it serves.
    static func methodsByPath() -> [String: Set<String>] {
        let paths = make()["paths"] as? [String: [String: Any]] ?? [:]
        return paths.mapValues { Set($0.keys.map { $0.uppercased() }) }
    }

    static func json() -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: make(), options: [.sortedKeys, .prettyPrinted])) ?? Data())
    }
}
