import Imaging

/// The subject layer: the photo with its mask as alpha (green spill removed if asked), drawn onto the canvas.
struct SubjectStep: EditStep {
    let name = "subject"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        var subject = context.photo!
        if let mask = context.mask { subject = try subject.withAlpha(mask) }
        if context.options.despill { subject = try Despill.apply(to: subject) }
        let placed = subject
        context.subject = try context.placement.draw(placed)
    }
}

/// Green-screen spill suppression: green is limited to the mean of red and blue (the classic "average"
/// despill), so green light bounced onto the subject turns neutral. It applies to the whole subject, as
/// the client asked for it; a genuinely green subject would be dulled too.
enum Despill {
    static func apply(to image: Image) throws -> Image {
        var pixels = try image.pixels()
        let bands = image.bands
        for i in stride(from: 0, to: pixels.count, by: bands) {
            let limit = UInt8((Int(pixels[i]) + Int(pixels[i + 2])) / 2)
            if pixels[i + 1] > limit { pixels[i + 1] = limit }
        }
        return try Image(pixels: pixels, width: image.width, height: image.height, bands: bands)
    }
}
