/// Fills the hole of an `InpaintingImage` in place. `PatchMatchInpainter` is the built-in one; an operator can
/// drop in an ONNX inpainting model instead (`ModelInpainter`).
public protocol Inpainter: Sendable {
    func inpaint(_ image: inout InpaintingImage) throws
}

extension PatchMatchInpainter: Inpainter {}
