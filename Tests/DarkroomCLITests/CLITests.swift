import Foundation
import Testing
import TestSupport
import Imaging

/// Runs the real `darkroom` executable, as a user would.
@Suite(.serialized) struct CLITests {
    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    func darkroom(_ arguments: [String], home: String? = Fixtures.home, in folder: URL? = nil) throws -> Outcome {
        let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/darkroom")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DARKROOM_HOME"] = home
        process.environment = environment
        if let folder { process.currentDirectoryURL = folder }
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

    @Test func runtimeAndModelsAreFoundFromAnyWorkingDirectoryWithoutDarkroomHome() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let output = folder.appendingPathComponent("out.png").path
        // Not set, and the working directory has no .darkroom: the binary finds its checkout's.
        let outcome = try darkroom(["edit", photo, "--outputSize", "64x64", "-o", output], home: nil, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))
        // A home without the files is reported with every place to look and the command that installs them.
        let empty = try darkroom(["edit", photo, "-o", output], home: folder.path, in: folder)
        #expect(empty.status != 0 && empty.stderr.contains("were not found in \(folder.path)") && empty.stderr.contains("make setup"))
    }

    @Test func serveRefusesOutOfRangeFlagsBeforeStarting() throws {
        for (flag, value, range) in [("--request-timeout", "0", "1...3600"), ("--workers", "256", "1...64"), ("--port", "70000", "0...65535"),
                                     ("--max-connections", "0", "1...65536")] {
            let outcome = try darkroom(["serve", flag, value, "--no-accounts"])
            #expect(outcome.status != 0 && outcome.stderr.contains("\(flag) must be in \(range), got \(value)"), "\(outcome.stderr)")
        }
    }

    @Test func editTakesV2ArgumentsAndWritesTheResult() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let output = folder.appendingPathComponent("square.png").path

        let outcome = try darkroom(["edit", photo, "--background.color", "0000FF", "--outputSize=300x300",
                                    "--padding", "0.2", "-o", output])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("\(output) 300x300"))
        let result = try Image.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))))
        #expect(result.width == 300 && result.height == 300)
        // Padding 0.2 leaves the blue background in the corners; the cup sits in the middle.
        #expect(try result.pixel(x: 3, y: 3).prefix(3) == [0, 0, 255])
        #expect(try result.pixel(x: 150, y: 150).prefix(3) != [0, 0, 255])

        let bad = try darkroom(["edit", photo, "--removeBackground", "maybe", "-o", output])
        #expect(bad.status == 2 && bad.stderr.contains("removeBackground: must be boolean"))
        let unimplemented = try darkroom(["edit", photo, "--upscale.mode", "ai.fast", "-o", output])
        #expect(unimplemented.status == 3 && unimplemented.stderr.contains("upscale.mode"))
        // A model setting, not an API argument: taken by edit, and a wrong value is refused by name.
        let turned = try darkroom(["edit", photo, "--text-turned-passes", "sideways", "-o", output])
        #expect(turned.status != 0 && turned.stderr.contains("--text-turned-passes") && turned.stderr.contains("'sideways'"), "\(turned.stderr)")
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
        #expect(outcome.stderr.contains("scripts/setup"))
    }

    @Test func corruptModelFileIsAStartupErrorNamingTheFileAndTheSetupCommand() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corrupt = folder.appendingPathComponent("u2net.onnx")
        try Data(repeating: 0x5A, count: 4096).write(to: corrupt)
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let outcome = try darkroom(["cutout", photo, "--model", corrupt.path, "--output", folder.path])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(corrupt.path) && outcome.stderr.contains("scripts/setup"), "\(outcome.stderr)")
        let unknown = try darkroom(["cutout", photo, "--model", "u3net", "--output", folder.path])
        #expect(unknown.status != 0 && unknown.stderr.contains("u2net, u2netp"), "\(unknown.stderr)")
    }

    @Test func cutoutDefaultsToTheFullU2NetAndModelPicksTheFastTier() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Fixtures.samples.appendingPathComponent("rembg_car-1.jpg").path
        var masks: [String: [UInt8]] = [:]
        for (name, extra) in [("default", [String]()), ("u2net", ["--model", "u2net"]), ("u2netp", ["--model", "u2netp"])] {
            let output = folder.appendingPathComponent(name).path
            let outcome = try darkroom(["cutout", photo, "--mask-only", "--no-refine", "--output", output] + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            masks[name] = try Image.decode(Fixtures.bytes(URL(fileURLWithPath: output).appendingPathComponent("rembg_car-1.png"))).grayscale().pixels()
        }
        #expect(masks["default"] == masks["u2net"])
        // The two models really ran: their masks put a few hundred pixels of the car's edge on different sides.
        let changed = zip(masks["u2net"]!, masks["u2netp"]!).filter { ($0 > 127) != ($1 > 127) }.count
        #expect(changed > 100, "u2net and u2netp masks differ on only \(changed) pixels")
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

/// The account commands against a scratch data folder, as an operator would run them.
@Suite(.serialized) struct AccountCommandTests {
    @Test func teamsKeysCreditsAndUsage() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cli = CLITests()
        let data = ["--data", folder.path]
        #expect(try cli.darkroom(["teams", "create", "acme", "--plan", "plus", "--credits", "12", "--owner", "ops@acme.example"] + data).status == 0)
        let duplicate = try cli.darkroom(["teams", "create", "acme"] + data)
        #expect(duplicate.status != 0 && duplicate.stderr.contains("already exists"))
        #expect(try cli.darkroom(["teams", "create", "bad name;"] + data).status != 0)
        #expect(try cli.darkroom(["teams", "add-member", "--team", "acme", "dev@acme.example"] + data).status == 0)

        let created = try cli.darkroom(["keys", "create", "--team", "acme", "--label", "shop"] + data)
        #expect(created.status == 0)
        let key = String(created.stdout.split(separator: "\n")[0])
        #expect(key.hasPrefix("dk_") && created.stdout.contains("sandbox_" + key))
        let listed = try cli.darkroom(["keys", "list", "--team", "acme"] + data)
        #expect(listed.stdout.contains("…" + key.suffix(4)) && !listed.stdout.contains(key))  // never the secret again

        let grant = try cli.darkroom(["credits", "grant", "--team", "acme", "8"] + data)
        #expect(grant.status == 0 && grant.stdout.contains("20 available"))
        let negative = try cli.darkroom(["credits", "grant", "--team", "acme", "--", "-5"] + data)
        #expect(negative.status != 0)
        #expect(try cli.darkroom(["teams", "list"] + data).stdout.contains("acme\tplus\t20 credits available"))

        let id = String(listed.stdout.split(separator: "\t")[0])
        #expect(try cli.darkroom(["keys", "revoke", id] + data).status == 0)
        #expect(try cli.darkroom(["keys", "list", "--team", "acme"] + data).stdout.contains("revoked"))
        let usage = try cli.darkroom(["usage", "--team", "acme", "--since", "2026-01-01"] + data)
        #expect(usage.status == 0 && usage.stdout.contains("0 calls"))
        #expect(try cli.darkroom(["usage", "--team", "acme", "--since", "yesterday"] + data).status != 0)
    }
}
