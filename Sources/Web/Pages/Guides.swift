import Editing
import Foundation

/// The guides under the reference. The layout pictures are drawn from `Layout.place`, the very function the
/// pipeline uses, so they show what the server does rather than what a drawing claims.
enum Guides {
    static func render() -> String {
        """
        <h2 id="guides">Guides</h2>
        <section class="card" id="guide-keys"><h3>Keys and sandbox</h3>
        <p>Every API call carries a key in the <code>x-api-key</code> header (GET may use the <code>apiKey</code> query argument).
        Keys belong to a team; create, label and revoke them in the <a href="/dashboard">dashboard</a> or with
        <code>darkroom keys create --team NAME</code>. A key is shown once, at creation; the server keeps only its SHA-256.
        A missing key answers 400, an unknown or revoked one 403.</p>
        <p><strong>Sandbox:</strong> send <code>sandbox_</code> followed by the key. Results are free and carry a "Darkroom sandbox" watermark;
        each team has 100 sandbox calls a UTC day and 1000 a month, then 429. Signed in, the playground previews in your team's sandbox.</p>
        <p><a href="/playground?removeBackground=true">Try it in the playground</a>.</p></section>
        <section class="card" id="guide-credits"><h3>Credits</h3>
        <p>A cut-out (<code>/v1/segment</code>) costs 1 credit, a preview-size cut-out 0.25, an edit (<code>/v2/edit</code>) 5.
        The price is reserved before the work, charged when the answer is a success and given back on any failure, so failed calls are free.
        Out of credits: 402. Plans add their monthly allowance at the start of each calendar month (UTC); unused credits roll over.
        Successful billed answers carry <code>x-credits-charged</code> and <code>x-credits-remaining</code>;
        <code>GET /v1/account</code> reads the balance.</p></section>
        <section class="card" id="guide-layout"><h3>Layout rules</h3>
        <p>The output canvas comes from <code>outputSize</code>. The <em>reference box</em> (the subject, or with
        <code>referenceBox=originalImage</code> the whole photo) is fitted into the canvas minus <code>margin</code> minus
        <code>padding</code>; <code>scaling=fill</code> covers that area instead. A side where the subject is cut off by the photo's frame
        snaps to the canvas edge (padding ignored, margin kept) unless <code>ignorePaddingAndSnapOnCroppedSides=false</code> or an
        alignment is set on that axis. Lengths are ratios (0–0.49), percentages (<code>10%</code>) or pixels (<code>40px</code>).</p>
        <p class="muted">Below: a 400×300 photo whose subject (blue) spans 120×180 pixels, placed on a 1000×1000 canvas (grey) by
        <code>Layout.place</code>; the dashed line is the photo's frame.</p>
        \(figures())
        </section>
        <section class="card" id="guide-urls"><h3>URL rules</h3>
        <p><code>imageUrl</code>, <code>background.imageUrl</code> and <code>background.guidance.imageUrl</code> are fetched by the server:
        http or https only, at most 5 redirects (each checked again), 5 s to connect and 20 s in all, 30 MB at most.
        Hosts that resolve to loopback, private, link-local, multicast or other non-global addresses are refused with 400 naming the rule,
        unless the operator allows private URLs. In a GET query an unencoded <code>imageUrl</code> keeps its own <code>&amp;</code> pieces
        until the next argument Darkroom knows; percent-encoding the URL is always safe.</p></section>
        <section class="card" id="guide-limits"><h3>Limits</h3>
        <table><thead><tr><th>What</th><th>Limit</th><th>Answer</th></tr></thead><tbody>
        <tr><td>Upload</td><td>30 MB per image on /v2/edit, 50 MB on /v1/segment</td><td>413</td></tr>
        <tr><td>Pixels</td><td>36 megapixels (operator setting)</td><td>413</td></tr>
        <tr><td>Formats</td><td>JPEG, PNG, WebP, HEIF/AVIF, TIFF, GIF</td><td>415; corrupt data 422</td></tr>
        <tr><td>Work</td><td>a few images at once and 8 waiting</td><td>429 with Retry-After</td></tr>
        <tr><td>Time</td><td>60 s per request</td><td>503</td></tr>
        <tr><td>Rate</td><td>500 requests a minute per key; 30 failed authentications a minute per address</td><td>429</td></tr>
        </tbody></table></section>
        <section class="card" id="guide-nodes"><h3>Running several nodes</h3>
        <p>Point every node at one PostgreSQL database with <code>DARKROOM_DATABASE_URL=postgres://…</code> and put them behind any HTTP load
        balancer with <code>/health</code> as the check. Teams, keys, credits, usage, sandbox quotas, dashboard users, sessions and invites are shared
        through the database, so a sign-in on one node is valid on all; the per-key rate limit and the sign-in limit are counted per node.</p></section>
        """
    }

    struct Example {
        var caption: String
        var arguments: String
        var options: LayoutOptions
    }

    static let photo = (width: 400, height: 300)
    static let subject = Box(x: 140, y: 60, width: 120, height: 180)

    static var examples: [Example] {
        func options(_ change: (inout LayoutOptions) -> Void) -> LayoutOptions {
            var options = LayoutOptions()
            options.outputSize = .fixed(width: 1000, height: 1000)
            change(&options)
            return options
        }
        return [
            Example(caption: "fitted, no padding", arguments: "outputSize=1000x1000", options: options { _ in }),
            Example(caption: "padding 0.2", arguments: "outputSize=1000x1000&padding=0.2", options: options { $0.padding = Insets(.ratio(0.2)) }),
            Example(caption: "margin 0.1 + padding 0.1", arguments: "outputSize=1000x1000&margin=0.1&padding=0.1",
                    options: options { $0.margin = Insets(.ratio(0.1)); $0.padding = Insets(.ratio(0.1)) }),
            Example(caption: "left, padding 0.1", arguments: "outputSize=1000x1000&padding=0.1&horizontalAlignment=left",
                    options: options { $0.padding = Insets(.ratio(0.1)); $0.horizontalAlignment = .left }),
            Example(caption: "bottom, padding 0.1", arguments: "outputSize=1000x1000&padding=0.1&verticalAlignment=bottom",
                    options: options { $0.padding = Insets(.ratio(0.1)); $0.verticalAlignment = .bottom }),
            Example(caption: "referenceBox originalImage", arguments: "outputSize=1000x1000&referenceBox=originalImage&padding=0.1",
                    options: options { $0.referenceBox = .originalImage; $0.padding = Insets(.ratio(0.1)) }),
        ]
    }

    static func figures() -> String {
        examples.map { example in
            let placement = Layout.place(imageWidth: photo.width, imageHeight: photo.height, subject: subject, options: example.options)
            return "<figure class=\"figure\">\(svg(placement))<figcaption><a href=\"/playground?\(HTML.escape(example.arguments))\">"
                + "\(HTML.escape(example.caption))</a></figcaption></figure>"
        }.joined(separator: "\n")
    }

    /// The canvas, the photo's frame (clipped by the canvas) and the subject, at 1/6 scale.
    static func svg(_ placement: Placement) -> String {
        let s = 150.0 / Double(max(placement.canvasWidth, placement.canvasHeight))
        let frame = placement.place(Box(x: 0, y: 0, width: Double(photo.width), height: Double(photo.height)))
        let box = placement.place(subject)
        func rect(_ b: Box, _ attributes: String) -> String {
            "<rect x=\"\(f(b.x * s))\" y=\"\(f(b.y * s))\" width=\"\(f(b.width * s))\" height=\"\(f(b.height * s))\" \(attributes)/>"
        }
        let width = f(Double(placement.canvasWidth) * s), height = f(Double(placement.canvasHeight) * s)
        return """
            <svg class="layout-figure" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" xmlns="http://www.w3.org/2000/svg" \
            aria-label="subject at \(Int(box.x)),\(Int(box.y)) size \(Int(box.width))×\(Int(box.height)) on a \(placement.canvasWidth)×\(placement.canvasHeight) canvas">
            <defs><clipPath id="c\(Int(box.x))\(Int(box.y))\(Int(box.width))"><rect width="\(width)" height="\(height)"/></clipPath></defs>
            <rect width="\(width)" height="\(height)" fill="#e4e6ea"/>
            <g clip-path="url(#c\(Int(box.x))\(Int(box.y))\(Int(box.width)))">\(rect(frame, "fill=\"none\" stroke=\"#777\" stroke-dasharray=\"3 2\""))
            \(rect(box, "fill=\"#3b3bd1\" fill-opacity=\"0.8\""))</g></svg>
            """
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
