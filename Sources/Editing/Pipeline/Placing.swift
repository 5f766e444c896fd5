import Imaging

extension Placement {
    /// Draws `image` (at the photo's size) onto a transparent canvas as this placement says: scaled, then
    /// shifted (whole pixels), clipped by the canvas.
    func draw(_ image: Image) throws -> Image {
        var source = try image.withOpaqueAlpha()
        if abs(scale - 1) > 1e-6 {
            let w = max(1, Int((Double(source.width) * scale).rounded())), h = max(1, Int((Double(source.height) * scale).rounded()))
            source = try source.resized(width: w, height: h)
        }
        let left = Int(x.rounded()), top = Int(y.rounded())
        // Crop to the part that lands on the canvas, then embed it at its place.
        let visibleLeft = max(0, -left), visibleTop = max(0, -top)
        let visibleRight = min(source.width, canvasWidth - left), visibleBottom = min(source.height, canvasHeight - top)
        guard visibleRight > visibleLeft, visibleBottom > visibleTop else {
            return try Image.solid(.transparent, width: canvasWidth, height: canvasHeight)
        }
        let visible = try source.cropped(left: visibleLeft, top: visibleTop,
                                         width: visibleRight - visibleLeft, height: visibleBottom - visibleTop)
        return try visible.embedded(in: PixelRect(x: max(0, left), y: max(0, top), width: canvasWidth, height: canvasHeight),
                                    extend: .background(.transparent))
    }
}
