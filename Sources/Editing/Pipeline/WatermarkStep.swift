import Imaging

/// Sandbox results carry "Darkroom sandbox" tiled over the whole image, half-opaque white on a dark shadow
/// so that it shows on light and dark pictures alike.
struct WatermarkStep: EditStep {
    let name = "watermark"
    static let text = "Darkroom sandbox"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        guard context.input.watermark else { return }
        var canvas = context.canvas!
        let grey = canvas.bands == 1
        if grey { canvas = try canvas.convertedToSRGB() }
        let size = max(12, min(canvas.width, canvas.height) / 14)
        let label = try Image.text(Self.text, font: "sans bold \(size)", colour: RGBA(255, 255, 255, 150))
        let shadow = try Image.text(Self.text, font: "sans bold \(size)", colour: RGBA(0, 0, 0, 110))
        // One tile: the shadowed label with room around it; repeated over the canvas.
        let tileWidth = label.width * 3 / 2 + 2, tileHeight = label.height * 3
        let tile = try Image.solid(.transparent, width: tileWidth, height: tileHeight)
            .compositing(shadow, x: 2, y: 2).compositing(label, x: 0, y: 0)
        let tiled = try tile.embedded(in: PixelRect(x: 0, y: 0, width: canvas.width, height: canvas.height), extend: .repeat)
        // OVER keeps a cut-out's transparency except where the mark lies.
        var marked = try canvas.withOpaqueAlpha().compositing(tiled)
        if !canvas.hasAlpha { marked = try marked.removingAlpha() }
        context.canvas = grey ? try marked.grayscale() : marked
    }
}
