/// Where the output canvas comes from and how the subject sits on it — the geometry of `/v2/edit`,
/// as one pure function so that each rule can be tested on its own.
public struct LayoutOptions: Sendable, Equatable {
    public enum OutputSize: Sendable, Equatable {
        case auto, originalImage, croppedSubject
        case fixed(width: Int, height: Int)
    }
    public enum Scaling: String, Sendable { case fit, fill }
    public enum ReferenceBox: String, Sendable { case subjectBox, originalImage }
    public enum HorizontalAlignment: String, Sendable { case left, center, right }
    public enum VerticalAlignment: String, Sendable { case top, center, bottom }

    public var outputSize: OutputSize = .auto
    public var maxWidth: Int?
    public var maxHeight: Int?
    public var scaling: Scaling = .fit
    public var padding = Insets()
    public var margin = Insets()
    public var referenceBox: ReferenceBox = .subjectBox
    public var snapCroppedSides = true
    public var horizontalAlignment: HorizontalAlignment?
    public var verticalAlignment: VerticalAlignment?

    public init() {}
}

/// A rectangle with fractional coordinates.
public struct Box: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// The result: a canvas, and the original image drawn on it scaled by `scale` with its top-left at (`x`, `y`)
/// (which may lie off the canvas: the canvas clips).
public struct Placement: Sendable, Equatable {
    public var canvasWidth: Int
    public var canvasHeight: Int
    public var scale: Double
    public var x: Double
    public var y: Double

    /// Where `box` (in image coordinates) lands on the canvas.
    public func place(_ box: Box) -> Box {
        Box(x: x + box.x * scale, y: y + box.y * scale, width: box.width * scale, height: box.height * scale)
    }
}

public enum Layout {
    /// - Parameters:
    ///   - imageWidth/imageHeight: the input photo.
    ///   - subject: the subject's bounding box in the photo, or nil when the whole photo is the subject
    ///     (no background removal, or nothing found).
    public static func place(imageWidth: Int, imageHeight: Int, subject: Box?, options: LayoutOptions) -> Placement {
        let image = Box(x: 0, y: 0, width: Double(imageWidth), height: Double(imageHeight))
        let useSubject = options.referenceBox == .subjectBox && subject != nil
        let reference = useSubject ? subject! : image

        // 1. Canvas.
        var canvasWidth: Double, canvasHeight: Double
        switch options.outputSize {
        case .fixed(let w, let h): canvasWidth = Double(w); canvasHeight = Double(h)
        case .auto, .originalImage: canvasWidth = image.width; canvasHeight = image.height
        case .croppedSubject: canvasWidth = reference.width; canvasHeight = reference.height
        }
        if options.maxWidth != nil || options.maxHeight != nil {
            let limit = min(options.maxWidth.map { Double($0) / canvasWidth } ?? 1, options.maxHeight.map { Double($0) / canvasHeight } ?? 1, 1)
            canvasWidth *= limit
            canvasHeight *= limit
        }
        let width = max(1, Int(canvasWidth.rounded())), height = max(1, Int(canvasHeight.rounded()))
        let cw = Double(width), ch = Double(height)

        // 2. Sides where the subject is cut by the photo's frame snap to the canvas: no padding there.
        let snaps = useSubject && options.snapCroppedSides
        let snapLeft = snaps && options.horizontalAlignment == nil && reference.x <= 0.5
        let snapRight = snaps && options.horizontalAlignment == nil && reference.maxX >= image.width - 0.5
        let snapTop = snaps && options.verticalAlignment == nil && reference.y <= 0.5
        let snapBottom = snaps && options.verticalAlignment == nil && reference.maxY >= image.height - 0.5

        // 3. Margins are relative to the canvas and always apply; padding is relative to what margins leave.
        let marginLeft = options.margin.left.pixels(of: cw), marginRight = options.margin.right.pixels(of: cw)
        let marginTop = options.margin.top.pixels(of: ch), marginBottom = options.margin.bottom.pixels(of: ch)
        let innerWidth = max(1, cw - marginLeft - marginRight), innerHeight = max(1, ch - marginTop - marginBottom)
        let padLeft = snapLeft ? 0 : options.padding.left.pixels(of: innerWidth)
        let padRight = snapRight ? 0 : options.padding.right.pixels(of: innerWidth)
        let padTop = snapTop ? 0 : options.padding.top.pixels(of: innerHeight)
        let padBottom = snapBottom ? 0 : options.padding.bottom.pixels(of: innerHeight)
        let target = Box(x: marginLeft + padLeft, y: marginTop + padTop,
                         width: max(1, innerWidth - padLeft - padRight), height: max(1, innerHeight - padTop - padBottom))

        // 4. Scale the reference box into the target area.
        let fitScale = min(target.width / reference.width, target.height / reference.height)
        let fillScale = max(target.width / reference.width, target.height / reference.height)
        let scale = options.scaling == .fit ? fitScale : fillScale
        let placedWidth = reference.width * scale, placedHeight = reference.height * scale

        // 5. Align: snapped sides first, then the requested alignment, centre by default.
        let left: Double
        if snapLeft && !snapRight { left = target.x }
        else if snapRight && !snapLeft { left = target.maxX - placedWidth }
        else {
            switch options.horizontalAlignment ?? .center {
            case .left: left = target.x
            case .right: left = target.maxX - placedWidth
            case .center: left = target.x + (target.width - placedWidth) / 2
            }
        }
        let top: Double
        if snapTop && !snapBottom { top = target.y }
        else if snapBottom && !snapTop { top = target.maxY - placedHeight }
        else {
            switch options.verticalAlignment ?? .center {
            case .top: top = target.y
            case .bottom: top = target.maxY - placedHeight
            case .center: top = target.y + (target.height - placedHeight) / 2
            }
        }
        return Placement(canvasWidth: width, canvasHeight: height, scale: scale,
                         x: left - reference.x * scale, y: top - reference.y * scale)
    }
}
