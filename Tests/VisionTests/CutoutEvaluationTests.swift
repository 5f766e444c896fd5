import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
@testable import Vision

@Suite struct CutoutEvaluationTests {
    /// A width×height mask with a filled rectangle.
    func rectangle(width: Int = 100, height: Int = 100, x: Int, y: Int, side: Int) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: width * height)
        for row in y..<(y + side) { for column in x..<(x + side) { mask[row * width + column] = 255 } }
        return mask
    }

    @Test func boundaryFIsOneWithinToleranceAndFallsWithDistance() {
        let truth = rectangle(x: 30, y: 30, side: 40)
        #expect(MaskMetrics.boundaryF(truth, truth, width: 100, height: 100) == 1)
        #expect(MaskMetrics.boundaryF(rectangle(x: 31, y: 30, side: 40), truth, width: 100, height: 100, tolerance: 1) == 1)
        // Shifted 10 px right: the left and right edges are far off; only parts of the top and bottom agree.
        let shifted = MaskMetrics.boundaryF(rectangle(x: 40, y: 30, side: 40), truth, width: 100, height: 100, tolerance: 2)
        #expect(shifted > 0.3 && shifted < 0.8, "\(shifted)")
        #expect(MaskMetrics.boundaryF([UInt8](repeating: 0, count: 10_000), truth, width: 100, height: 100) == 0)
        #expect(MaskMetrics.boundaryF([UInt8](repeating: 0, count: 100), [UInt8](repeating: 0, count: 100), width: 10, height: 10) == 1)
    }

    @Test func realTruthSetLoadsPairsAndRefusesAMaskOfAnotherSize() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png"))).removingAlpha()
        try Data(try photo.encoded(as: .jpeg(quality: 90))).write(to: folder.appendingPathComponent("a_cup.jpg"))
        let mask = try Image(pixels: rectangle(width: 600, height: 400, x: 100, y: 100, side: 200), width: 600, height: 400, bands: 1)
        try Data(try mask.encoded(as: .png())).write(to: folder.appendingPathComponent("a_cup.png"))
        let samples = try TruthSet.load(realFolder: folder.path)
        #expect(samples.map(\.name) == ["a_cup"] && samples[0].alpha.filter { $0 == 255 }.count == 200 * 200)

        let small = try Image(pixels: [UInt8](repeating: 0, count: 100), width: 10, height: 10, bands: 1)
        try Data(try small.encoded(as: .png())).write(to: folder.appendingPathComponent("a_cup.png"))
        #expect(throws: ImagingError.self) { try TruthSet.load(realFolder: folder.path) }
    }

    @Test func mirroredPredictionIsSymmetricUnderFlippingThePhoto() async throws { try await onOwnThread {
        let segmenter = try VisionFixtures.segmenter()
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("rembg_car-1.jpg")))
        let side = segmenter.model.inputSize
        let input = try segmenter.prepare(photo).tensor
        var flipped = input.values
        for plane in 0..<3 { for y in 0..<side { for x in 0..<side {
            flipped[plane * side * side + y * side + x] = input.values[plane * side * side + y * side + side - 1 - x]
        } } }
        let a = try segmenter.predictMirrored(input)
        let b = try segmenter.predictMirrored(try Tensor(shape: input.shape, values: flipped))
        var worst: Float = 0
        for y in 0..<side { for x in 0..<side { worst = max(worst, abs(a[y * side + x] - b[y * side + side - 1 - x])) } }
        #expect(worst < 1e-4)
        // …and it is not just the plain prediction: the mirror changes the mask somewhere.
        let plain = try segmenter.predict(input)
        #expect(zip(plain, a).contains { abs($0 - $1) > 0.05 })
    }}

    @Test func mirrorPolicyMirrorsOnlyAboveItsUncertaintyThreshold() throws {
        let segmenter = try VisionFixtures.segmenter()
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("rembg_car-1.jpg")))
        let input = try segmenter.prepare(photo).tensor
        let direct = try segmenter.predict(input), mirrored = try segmenter.predictMirrored(input)
        #expect(try segmenter.predict(input, mirror: .never) == (direct, false))
        #expect(try segmenter.predict(input, mirror: .always) == (mirrored, true))
        // Uncertainty lies in 0…1: above 1 never mirrors, below 0 always does (an idle segmenter has a spare session).
        #expect(try segmenter.predict(input, mirror: .whenSpare(uncertainAbove: 1.5)) == (direct, false))
        #expect(try segmenter.predict(input, mirror: .whenSpare(uncertainAbove: -0.5)) == (mirrored, true))
        #expect(MirrorPolicy("auto") == .auto && MirrorPolicy("off") == .never && MirrorPolicy("always") == .always)
        #expect(MirrorPolicy("spare") == .spare && MirrorPolicy("sometimes") == nil)
    }

    @Test func mirrorIsSkippedWhileAnotherRequestHoldsASession() throws {
        let segmenter = try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: try VisionFixtures.runtime(), sessions: 2)
        let input = try segmenter.prepare(try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("rembg_car-1.jpg")))).tensor
        let direct = try segmenter.predict(input)
        #expect(try segmenter.predict(input, mirror: .spare).mirrored, "both sessions idle: the mirror runs")
        // Another request's inference holds one session: the other must stay free for the next arrival.
        let held = segmenter.acquireSession()
        defer { segmenter.release(held) }
        #expect(try segmenter.predict(input, mirror: .spare) == (direct, false))
    }

    @Test func aLoneCallerGetsTheSoloSessionAndCallersUnderLoadGetRegularOnes() throws {
        let segmenter = try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: try VisionFixtures.runtime(),
                                      options: Session.Options(intraOpThreads: 1), sessions: 2, solo: Session.Options(intraOpThreads: 2))
        #expect(segmenter.sessionCount == 2 && segmenter.hasSoloSession)
        let alone = segmenter.acquireSession()
        #expect(alone == 2, "everything idle: the solo session")
        let second = segmenter.acquireSession()
        #expect(second < 2, "the solo session is busy: a regular one")
        segmenter.release(alone)
        let third = segmenter.acquireSession()
        #expect(third < 2 && third != second, "a regular session is busy, so the segmenter is not idle: a regular one")
        // Nothing is spare now: both regular sessions are busy.
        #expect(segmenter.acquireSpareSession() == nil)
        segmenter.release(second)
        segmenter.release(third)
        #expect(segmenter.acquireSpareSession() == 2, "all idle: the mirror gets the solo session")
        segmenter.release(2)
        // The solo session gives the same mask as a regular one.
        let input = try segmenter.prepare(try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))).tensor
        let reference = try VisionFixtures.segmenter().predict(input)
        #expect(zip(try segmenter.predict(input), reference).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func spareSessionIsRefusedOnceFewerWouldStayIdleThanAreBusy() throws {
        let runtime = try VisionFixtures.runtime()
        let two = try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime, sessions: 2)
        let first = two.acquireSession()
        #expect(two.acquireSpareSession() == nil, "one busy: taking the other would leave none idle")
        two.release(first)
        let spare = try #require(two.acquireSpareSession(), "both idle: one may go, one stays for a newcomer")
        two.release(spare)

        let four = try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime, sessions: 4)
        let busy = four.acquireSession()
        let granted = try #require(four.acquireSpareSession(), "one busy, one taken, two left idle")
        let third = four.acquireSession()
        #expect(four.acquireSpareSession() == nil, "three busy, one idle")
        for index in [busy, granted, third] { four.release(index) }
    }

    @Test func severalSessionsGiveTheSameMaskAsOneUnderConcurrentCallers() async throws {
        let runtime = try VisionFixtures.runtime()
        let pooled = try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime,
                                   options: Session.Options(intraOpThreads: 1), sessions: 2)
        #expect(pooled.sessionCount == 2)
        let input = try pooled.prepare(try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))).tensor
        let reference = try VisionFixtures.segmenter().predict(input)
        let results = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 { group.addTask { try pooled.predict(input) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4)
        for result in results { #expect(zip(result, reference).allSatisfy { abs($0 - $1) < 1e-4 }) }
    }

    @Test func recommendedLayoutGivesEachCoreOneSessionUpToFourAndASoloSessionOfTwiceTheThreads() {
        #expect(InferenceLayout.recommended(cores: 1) == InferenceLayout(sessions: 1, threads: 1, soloThreads: 1))
        #expect(InferenceLayout.recommended(cores: 1).soloSessionOptions == nil, "one core: a solo session would be no faster")
        #expect(InferenceLayout.recommended(cores: 2) == InferenceLayout(sessions: 2, threads: 1, soloThreads: 2))
        #expect(InferenceLayout.recommended(cores: 16) == InferenceLayout(sessions: 4, threads: 4, soloThreads: 8))
    }
}
