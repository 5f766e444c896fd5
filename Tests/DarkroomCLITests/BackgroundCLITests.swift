import Foundation
import Imaging
import Testing
import TestSupport

extension CLITests {
    @Test func editGeneratesABackgroundFromAPromptWithAGuidanceFile() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Fixtures.samples.appendingPathComponent("skimage_coffee.png").path
        let guide = folder.appendingPathComponent("orange.png")
        try Data(try Image.solid(RGBA(240, 120, 20), width: 16, height: 16, withAlpha: false).encoded(as: .png())).write(to: guide)
        let output = folder.appendingPathComponent("scene.png").path

        let outcome = try darkroom(["edit", photo, "--background.prompt", "grey studio with unicorns", "--background.seed", "9",
                                    "--background.guidance.imageFile", guide.path, "--background.guidance.scale", "1",
                                    "--outputSize", "240x180", "-o", output])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("pr-ai-background-seed: 9") && outcome.stdout.contains("x-darkroom-prompt-unused: unicorns"))
        let corner = try Image.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))).pixel(x: 2, y: 2)
        #expect(Int(corner[0]) - Int(corner[2]) > 60, "the orange guide should warm the grey studio: \(corner)")

        let unknown = try darkroom(["edit", photo, "--background.prompt", "beach", "--header", "pr-ai-background-model-version: 7", "-o", output])
        #expect(unknown.status == 2 && unknown.stderr.contains("pr-ai-background-model-version"))
    }
}
