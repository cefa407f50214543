/// The control socket's protocol: one request per connection.
///
/// ```
/// client → daemon   DEVICE COMMAND [ARG…] LF        one line, at most 4096 bytes, UTF-8
///                   list LF | help LF                daemon-level requests
/// daemon → client   ok [TEXT] LF  [more TEXT lines LF…]    then the daemon closes the connection
///                   error REASON LF
/// ```
/// Words are separated by spaces or tabs; a double-quoted part keeps its spaces, and inside quotes `\"`
/// and `\\` stand for `"` and `\` (`insert "/srv/my disc.iso"`). Control characters are refused. A
/// client that half-closes instead of sending LF ends its line there.
public enum ControlWire {
    /// The longest request line, LF excluded (PATH_MAX, so any image path fits).
    public static let maximumRequestBytes = 4096

    /// Splits a request line (without its LF; a trailing CR is dropped) into words.
    /// - Throws: `ControlWireError` for invalid UTF-8, a control character, or an unclosed quote.
    public static func words(in line: ArraySlice<UInt8>) throws(ControlWireError) -> [String] {
        var bytes = line
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ControlWireError("the request is not valid UTF-8")
        }
        var words: [String] = []
        var current = ""
        var inWord = false, quoted = false, escaped = false
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                throw ControlWireError("control character \\u{\(String(scalar.value, radix: 16))} in the request")
            }
            if escaped {
                current.unicodeScalars.append(scalar)
                escaped = false
            } else if quoted {
                switch scalar {
                case "\\": escaped = true
                case "\"": quoted = false
                default: current.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case " ", "\t":
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                case "\"":
                    quoted = true
                    inWord = true
                default:
                    current.unicodeScalars.append(scalar)
                    inWord = true
                }
            }
        }
        if quoted { throw ControlWireError("unclosed double quote in the request") }
        if inWord { words.append(current) }
        return words
    }

    /// The request line for `words` (LF included), quoting a word that holds a space, tab, quote or
    /// backslash, or is empty, so that `words(in:)` gives them back unchanged.
    public static func requestLine(_ words: [String]) -> String {
        // Unicode scalars, not Characters: a combining mark after `\` makes one Character that is not
        // `\`, yet `words(in:)` reads scalars and would take the `\` as an escape.
        words.map { w in
            let special: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\\" }
            guard w.isEmpty || w.unicodeScalars.contains(where: special) else { return w }
            var q = String.UnicodeScalarView()
            q.append("\"")
            for c in w.unicodeScalars {
                if c == "\"" || c == "\\" { q.append("\\") }
                q.append(c)
            }
            q.append("\"")
            return String(q)
        }.joined(separator: " ") + "\n"
    }
}

/// A request line or reply that does not follow the protocol; the reason is sent back as `error …`.
public struct ControlWireError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The daemon's answer to one request.
public enum ControlReply: Sendable, Hashable {
    case ok(String)
    case error(String)

    /// Whether the request was carried out.
    public var isOK: Bool { if case .ok = self { true } else { false } }

    /// The text after `ok` / `error`.
    public var text: String {
        switch self {
        case .ok(let t), .error(let t): t
        }
    }

    /// `ok TEXT LF` or `error TEXT LF`; control characters in the text other than LF and tab become '?'
    /// (an image path cannot forge a reply line).
    public var encoded: [UInt8] {
        let (word, text) = isOK ? ("ok", self.text) : ("error", self.text)
        var out = Array(word.utf8)
        if !text.isEmpty { out.append(0x20) }
        for b in text.utf8 {
            out.append(b < 0x20 && b != 0x0A && b != 0x09 || b == 0x7F ? 0x3F : b)
        }
        if out.last != 0x0A { out.append(0x0A) }
        return out
    }

    /// Reads a whole reply as received (up to end of stream).
    /// - Throws: `ControlWireError` when it does not start with `ok` or `error`.
    public init(parsing bytes: [UInt8]) throws(ControlWireError) {
        let text = String(decoding: bytes, as: UTF8.self)
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        for (word, make) in [("ok", ControlReply.ok), ("error", ControlReply.error)] {
            if body == word { self = make(""); return }
            if body.hasPrefix(word + " ") || body.hasPrefix(word + "\n") {
                self = make(String(body.dropFirst(word.count + 1)))
                return
            }
        }
        throw ControlWireError(bytes.isEmpty ? "empty reply" : "reply does not start with ok or error: '\(body.prefix(80))'")
    }
}
