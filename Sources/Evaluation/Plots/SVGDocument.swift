import Foundation
import Recording

/// A standalone SVG image built element by element: no scripts, fonts or external references, so it
/// embeds in Markdown pages and papers and converts with `rsvg-convert`. Every element may carry a
/// `class` naming what it shows ("mean", "item", "cell"), which is how tests find the values.
public struct SVGDocument: Sendable {
    public let width: Double, height: Double
    public let title: String
    private var elements: [String] = []

    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              opacity: Double? = nil, stroke: String? = nil, kind: String? = nil, data: [String: String] = [:]) {
        elements.append(element("rect", ["x": Self.number(x), "y": Self.number(y), "width": Self.number(width),
                                         "height": Self.number(height), "fill": fill, "fill-opacity": opacity.map(Self.number),
                                         "stroke": stroke, "class": kind], data: data))
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, opacity: Double? = nil,
                                stroke: String? = nil, kind: String? = nil, data: [String: String] = [:]) {
        elements.append(element("circle", ["cx": Self.number(cx), "cy": Self.number(cy), "r": Self.number(r), "fill": fill,
                                           "fill-opacity": opacity.map(Self.number), "stroke": stroke, "class": kind], data: data))
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        elements.append(element("line", ["x1": Self.number(x1), "y1": Self.number(y1), "x2": Self.number(x2), "y2": Self.number(y2),
                                         "stroke": stroke, "stroke-width": Self.number(width), "stroke-dasharray": dashed ? "3 3" : nil]))
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(_ string: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
                              fill: String = "#222222", bold: Bool = false, kind: String? = nil) {
        let attributes = ["x": Self.number(x), "y": Self.number(y), "text-anchor": anchor == .start ? nil : anchor.rawValue,
                          "font-size": Self.number(size), "fill": fill, "font-weight": bold ? "bold" : nil, "class": kind]
        elements.append(element("text", attributes, body: Self.escape(string)))
    }

    /// The whole file, with a white page so it reads the same on light and dark sites.
    public func rendered() -> String {
        let w = Self.number(width), h = Self.number(height)
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title>\(Self.escape(title))</title>
        <rect width="100%" height="100%" fill="#ffffff"/>

        """ + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// Attributes in a fixed order (sorted), nil ones left out, so output is byte-stable.
    private func element(_ name: String, _ attributes: [String: String?], data: [String: String] = [:], body: String? = nil) -> String {
        var pairs = attributes.compactMap { key, value in value.map { (key, $0) } }
        pairs += data.map { ("data-" + $0.key, $0.value) }
        let text = pairs.sorted { $0.0 < $1.0 }.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        return body.map { "<\(name)\(text)>\($0)</\(name)>" } ?? "<\(name)\(text)/>"
    }

    /// Two decimals at most, trailing zeros dropped; never exponent notation.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Markup text (the one rule of `MarkupText.escape`).
    public static func escape(_ text: String) -> String { MarkupText.escape(text) }
}

/// A sequential colour ramp, the viridis stops in reverse so that 0 (early) reads light and 1 (late)
/// dark; `colour(at:)` interpolates linearly between neighbouring stops in sRGB.
public enum ColourRamp {
    static let stops: [(Double, Double, Double)] = [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)]

    /// `#rrggbb` for `t` in 0...1 (clamped).
    public static func colour(at t: Double) -> String {
        let t = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = min(Int(t), stops.count - 2), f = t - Double(i)
        let a = stops[i], b = stops[i + 1]
        let channels = [a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f]
        return "#" + channels.map { String(format: "%02x", Int($0.rounded())) }.joined()
    }

    /// Black on the light half of the ramp, white on the dark half.
    public static func textColour(at t: Double) -> String { t < 0.5 ? "#000000" : "#ffffff" }
}
