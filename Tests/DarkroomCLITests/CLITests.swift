import Foundation
import Testing
import TestSupport
import Imaging

/// Runs the real `darkroom` executable, as a user would.
@Suite(.serialized) struct CLITests {
    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    func darkroom(_ arguments: [String]) throws -> Outcome {
        let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/darkroom")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DARKROOM_HOME"] = Fixtures.home
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func cutoutWritesEveryGoodFileAndFailsOnTheBadOnes() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("notes.png")
        try Data("just text".utf8).write(to: bad)
        let empty = folder.appendingPathComponent("empty.jpg")
        try Data().write(to: empty)
        let good = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let output = folder.appendingPathComponent("out").path

        let outcome = try darkroom(["cutout", good, bad.path, empty.path, "--output", output])
        #expect(outcome.status == 1)
        let errorLines = outcome.stderr.split(separator: "\n")
        #expect(errorLines.contains { $0.contains("notes.png") && $0.contains("unsupported image format") })
        #expect(errorLines.contains { $0.contains("empty.jpg") && $0.contains("0 bytes") })
        #expect(outcome.stderr.contains("2 of 3 inputs failed"))

        let result = try Image.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: output + "/skimage_coffee.png"))))
        #expect(result.width == 600 && result.height == 400 && result.bands == 4)
        // The cup is the subject; the top-left corner is background.
        #expect(try result.pixel(x: 300, y: 200)[3] == 255)
        #expect(try result.pixel(x: 5, y: 5)[3] == 0)
    }

    @Test func cutoutOnAColourAndAsAMask() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path

        let flat = try darkroom(["cutout", photo, "--output", folder.path, "--format", "jpg", "--bg-color", "00FF00"])
        #expect(flat.status == 0, "\(flat.stderr)")
        let jpeg = try Image.decode([UInt8](try Data(contentsOf: folder.appendingPathComponent("skimage_coffee.jpg"))))
        #expect(jpeg.bands == 3)
        let corner = try jpeg.pixel(x: 5, y: 5)
        #expect(corner[1] > 230 && corner[0] < 30 && corner[2] < 30)

        let mask = try darkroom(["cutout", photo, "--output", folder.path, "--mask-only"])
        #expect(mask.status == 0, "\(mask.stderr)")
        let grey = try Image.decode([UInt8](try Data(contentsOf: folder.appendingPathComponent("skimage_coffee.png"))))
        #expect(try grey.pixel(x: 300, y: 200)[0] == 255)
        #expect(try grey.pixel(x: 5, y: 5)[0] == 0)
    }

    @Test func nonsenseArgumentsAreRefusedClearly() throws {
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let format = try darkroom(["cutout", photo, "--format", "bmp"])
        #expect(format.status != 0 && format.stderr.contains("--format must be png, jpg or webp"))
        let colour = try darkroom(["cutout", photo, "--bg-color", "chartreuse!"])
        #expect(colour.status != 0 && colour.stderr.contains("--bg-color"))
    }

    @Test func missingModelIsAClearError() throws {
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let outcome = try darkroom(["cutout", photo, "--model", "/nonexistent/u2netp.onnx"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("model file not found: /nonexistent/u2netp.onnx"))
    }

    @Test func repeatedImageWorkKeepsMemoryFlat() throws {
        let photo = Fixtures.samples.appendingPathComponent("rembg_car-1.jpg").path
        let outcome = try darkroom(["bench", "memory", photo, "--cycles", "60"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let numbers = outcome.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.count == 3)
        if numbers.count == 3 {
            #expect(numbers[1] - numbers[0] < 20, "RSS grew from \(numbers[0]) MB to \(numbers[1]) MB over 60 cycles")
        }
    }
}
