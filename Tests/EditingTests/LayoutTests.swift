import Testing
@testable import Editing

/// The layout rules one at a time, on a 1000×800 photo.
@Suite struct LayoutTests {
    let centred = Box(x: 400, y: 300, width: 200, height: 100)   // touches no side
    let croppedBottom = Box(x: 400, y: 500, width: 200, height: 300)  // cut by the bottom edge

    func place(_ subject: Box?, _ configure: (inout LayoutOptions) -> Void = { _ in }) -> (Placement, Box) {
        var options = LayoutOptions()
        configure(&options)
        let placement = Layout.place(imageWidth: 1000, imageHeight: 800, subject: subject, options: options)
        return (placement, placement.place(subject ?? Box(x: 0, y: 0, width: 1000, height: 800)))
    }

    @Test func defaultFitsTheSubjectToTheOriginalSize() {
        let (p, box) = place(centred)
        #expect(p.canvasWidth == 1000 && p.canvasHeight == 800)
        #expect(box == Box(x: 0, y: 150, width: 1000, height: 500))  // 200×100 scaled ×5, centred
    }

    @Test func paddingShrinksTheTargetArea() {
        let (_, box) = place(centred) { $0.padding = Insets(.ratio(0.1)) }
        // Target is 800×640; the 2:1 subject fits 800 wide.
        #expect(abs(box.width - 800) < 1e-9 && abs(box.x - 100) < 1e-9)
        #expect(abs(box.y - 200) < 1e-9)
    }

    @Test func pixelAndPercentPadding() throws {
        let (_, px) = place(centred) { $0.padding = Insets(.pixels(100)) }
        #expect(abs(px.width - 800) < 1e-9)
        #expect(Length.ratio(0.1) == (try Length.parse("10%", argument: "padding")))
        #expect(Length.pixels(100) == (try Length.parse("100px", argument: "padding")))
        #expect(throws: EditError.self) { try Length.parse("50%", argument: "padding") }
        #expect(throws: EditError.self) { try Length.parse("0.5", argument: "padding") }
        #expect(throws: EditError.self) { try Length.parse("wide", argument: "padding") }
    }

    @Test func perSidePaddingOverrides() {
        let (_, box) = place(centred) { $0.padding = Insets(top: .zero, right: .zero, bottom: .zero, left: .ratio(0.2)) }
        // Target 800×800 starting at x=200; subject 800×400 centred vertically.
        #expect(abs(box.x - 200) < 1e-9 && abs(box.width - 800) < 1e-9 && abs(box.y - 200) < 1e-9)
    }

    @Test func marginIsRelativeToTheCanvasAndPaddingToWhatIsLeft() {
        let (_, box) = place(centred) { $0.margin = Insets(.ratio(0.1)); $0.padding = Insets(.ratio(0.1)) }
        // Margin leaves 800×640 at (100, 80); padding 10% of that leaves 640×512 at (180, 144).
        #expect(abs(box.x - 180) < 1e-9 && abs(box.width - 640) < 1e-9)
        #expect(abs(box.y - (144 + (512 - 320) / 2)) < 1e-9)
    }

    @Test func croppedSidesSnapToTheEdgeIgnoringPadding() {
        let (_, box) = place(croppedBottom) { $0.padding = Insets(.ratio(0.1)) }
        // Bottom is cut by the frame: no padding there and the subject sits on the bottom edge.
        #expect(abs(box.maxY - 800) < 1e-9)
        #expect(abs(box.y - 80) < 1e-9)  // the top keeps its padding: target height 720
    }

    @Test func marginIsKeptEvenOnSnappedSides() {
        let (_, box) = place(croppedBottom) { $0.margin = Insets(.pixels(20)) }
        #expect(abs(box.maxY - 780) < 1e-9)
    }

    @Test func snappingCanBeTurnedOff() {
        let (_, box) = place(croppedBottom) { $0.padding = Insets(.ratio(0.1)); $0.snapCroppedSides = false }
        #expect(box.maxY < 800 - 1)
    }

    @Test func alignmentOverridesSnappingOnItsAxis() {
        let (_, box) = place(croppedBottom) { $0.verticalAlignment = .top }
        #expect(abs(box.y) < 1e-9)
        let (_, left) = place(centred) { $0.outputSize = .fixed(width: 1000, height: 1000); $0.horizontalAlignment = .left; $0.padding = Insets(.pixels(50)) }
        #expect(abs(left.x - 50) < 1e-9)
        let (_, right) = place(centred) { $0.outputSize = .fixed(width: 1000, height: 1000); $0.horizontalAlignment = .right }
        #expect(abs(right.maxX - 1000) < 1e-9)
    }

    @Test func croppedSubjectCanvasIsTheSubject() {
        let (p, box) = place(centred) { $0.outputSize = .croppedSubject }
        #expect(p.canvasWidth == 200 && p.canvasHeight == 100)
        #expect(box == Box(x: 0, y: 0, width: 200, height: 100))
    }

    @Test func fixedSizeFitVersusFill() {
        let (fit, fitBox) = place(centred) { $0.outputSize = .fixed(width: 500, height: 500) }
        #expect(fit.canvasWidth == 500 && abs(fitBox.width - 500) < 1e-9 && abs(fitBox.height - 250) < 1e-9)
        let (_, fillBox) = place(centred) { $0.outputSize = .fixed(width: 500, height: 500); $0.scaling = .fill }
        #expect(abs(fillBox.height - 500) < 1e-9 && abs(fillBox.width - 1000) < 1e-9 && abs(fillBox.x + 250) < 1e-9)
    }

    @Test func maxWidthAndHeightKeepTheAspectRatio() {
        let (p, _) = place(centred) { $0.maxWidth = 500 }
        #expect(p.canvasWidth == 500 && p.canvasHeight == 400)
        let (q, _) = place(centred) { $0.outputSize = .croppedSubject; $0.maxHeight = 50 }
        #expect(q.canvasWidth == 100 && q.canvasHeight == 50)
    }

    @Test func referenceOriginalImageKeepsTheSubjectWhereItWas() {
        let (p, box) = place(centred) { $0.referenceBox = .originalImage }
        #expect(p.scale == 1 && box == centred)
    }

    @Test func noSubjectUsesTheWholePhoto() {
        let (p, box) = place(nil) { $0.outputSize = .fixed(width: 500, height: 400) }
        #expect(abs(p.scale - 0.5) < 1e-9 && box == Box(x: 0, y: 0, width: 500, height: 400))
    }
}
