/// Martin Porter's stemming algorithm as Lucene's `PorterStemmer` applies it (the reference version with
/// its two published departures: `-bli` → `-ble` and `-logi` → `-log`). Works on UTF-16 code units like
/// Lucene, so words with non-ASCII letters are stemmed identically; words shorter than 3 units are kept.
struct PorterStemmer {
    private var b: [UInt16] = []
    private var k = 0
    private var j = 0

    init() {}

    /// The stem of a lower-case word.
    mutating func stem(_ word: String) -> String {
        let original = Array(word.utf16)
        b = original
        guard b.count > 2 else { return word }
        k = b.count - 1
        step1()
        step2()
        step3()
        step4()
        step5()
        step6()
        if b == original { return word }
        return String(decoding: b[0...k], as: UTF16.self)
    }

    @inline(__always)
    private static func u(_ c: Unicode.Scalar) -> UInt16 { UInt16(c.value) }

    private func cons(_ i: Int) -> Bool {
        switch b[i] {
        case 0x61, 0x65, 0x69, 0x6F, 0x75: return false  // a e i o u
        case 0x79: return i == 0 ? true : !cons(i - 1)  // y
        default: return true
        }
    }

    /// The number of consonant-vowel sequences between 0 and j.
    private func m() -> Int {
        var n = 0
        var i = 0
        while true {
            if i > j { return n }
            if !cons(i) { break }
            i += 1
        }
        i += 1
        while true {
            while true {
                if i > j { return n }
                if cons(i) { break }
                i += 1
            }
            i += 1
            n += 1
            while true {
                if i > j { return n }
                if !cons(i) { break }
                i += 1
            }
            i += 1
        }
    }

    private func vowelInStem() -> Bool {
        var i = 0
        while i <= j {
            if !cons(i) { return true }
            i += 1
        }
        return false
    }

    private func doubleConsonant(_ i: Int) -> Bool {
        i >= 1 && b[i] == b[i - 1] && cons(i)
    }

    /// consonant-vowel-consonant ending at i, the last not w, x or y.
    private func cvc(_ i: Int) -> Bool {
        if i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2) { return false }
        let ch = b[i]
        return !(ch == 0x77 || ch == 0x78 || ch == 0x79)
    }

    /// Whether the word (up to k) ends with the ASCII suffix `s`; sets j to the stem's end.
    private mutating func ends(_ s: StaticString) -> Bool {
        let l = s.utf8CodeUnitCount
        let o = k - l + 1
        if o < 0 { return false }
        let p = s.utf8Start
        for i in 0..<l where b[o + i] != UInt16(p[i]) { return false }
        j = k - l
        return true
    }

    private mutating func setTo(_ s: StaticString) {
        let o = j + 1
        b.removeSubrange(o...)
        let p = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount { b.append(UInt16(p[i])) }
        k = j + s.utf8CodeUnitCount
    }

    private mutating func r(_ s: StaticString) {
        if m() > 0 { setTo(s) }
    }

    /// Plurals and -ed / -ing.
    private mutating func step1() {
        if b[k] == Self.u("s") {
            if ends("sses") {
                k -= 2
            } else if ends("ies") {
                setTo("i")
            } else if b[k - 1] != Self.u("s") {
                k -= 1
            }
        }
        if ends("eed") {
            if m() > 0 { k -= 1 }
        } else if (ends("ed") || ends("ing")) && vowelInStem() {
            k = j
            if ends("at") {
                setTo("ate")
            } else if ends("bl") {
                setTo("ble")
            } else if ends("iz") {
                setTo("ize")
            } else if doubleConsonant(k) {
                let ch = b[k]
                k -= 1
                if ch == Self.u("l") || ch == Self.u("s") || ch == Self.u("z") { k += 1 }
            } else if m() == 1 && cvc(k) {
                setTo("e")
            }
        }
        b.removeSubrange((k + 1)...)
    }

    /// Terminal y → i when there is another vowel in the stem.
    private mutating func step2() {
        if ends("y") && vowelInStem() {
            b[k] = Self.u("i")
        }
    }

    /// Double suffixes to single ones (-ization → -ize …).
    private mutating func step3() {
        if k == 0 { return }
        switch b[k - 1] {
        case Self.u("a"):
            if ends("ational") { r("ate"); break }
            if ends("tional") { r("tion"); break }
        case Self.u("c"):
            if ends("enci") { r("ence"); break }
            if ends("anci") { r("ance"); break }
        case Self.u("e"):
            if ends("izer") { r("ize"); break }
        case Self.u("l"):
            if ends("bli") { r("ble"); break }
            if ends("alli") { r("al"); break }
            if ends("entli") { r("ent"); break }
            if ends("eli") { r("e"); break }
            if ends("ousli") { r("ous"); break }
        case Self.u("o"):
            if ends("ization") { r("ize"); break }
            if ends("ation") { r("ate"); break }
            if ends("ator") { r("ate"); break }
        case Self.u("s"):
            if ends("alism") { r("al"); break }
            if ends("iveness") { r("ive"); break }
            if ends("fulness") { r("ful"); break }
            if ends("ousness") { r("ous"); break }
        case Self.u("t"):
            if ends("aliti") { r("al"); break }
            if ends("iviti") { r("ive"); break }
            if ends("biliti") { r("ble"); break }
        case Self.u("g"):
            if ends("logi") { r("log"); break }
        default:
            break
        }
        b.removeSubrange((k + 1)...)
    }

    /// -ic-, -full, -ness …
    private mutating func step4() {
        switch b[k] {
        case Self.u("e"):
            if ends("icate") { r("ic"); break }
            if ends("ative") { r(""); break }
            if ends("alize") { r("al"); break }
        case Self.u("i"):
            if ends("iciti") { r("ic"); break }
        case Self.u("l"):
            if ends("ical") { r("ic"); break }
            if ends("ful") { r(""); break }
        case Self.u("s"):
            if ends("ness") { r(""); break }
        default:
            break
        }
        b.removeSubrange((k + 1)...)
    }

    /// -ant, -ence … when m() > 1.
    private mutating func step5() {
        if k == 0 { return }
        var matched = false
        switch b[k - 1] {
        case Self.u("a"): matched = ends("al")
        case Self.u("c"): matched = ends("ance") || ends("ence")
        case Self.u("e"): matched = ends("er")
        case Self.u("i"): matched = ends("ic")
        case Self.u("l"): matched = ends("able") || ends("ible")
        case Self.u("n"): matched = ends("ant") || ends("ement") || ends("ment") || ends("ent")
        case Self.u("o"):
            if ends("ion") && j >= 0 && (b[j] == Self.u("s") || b[j] == Self.u("t")) {
                matched = true
            } else {
                matched = ends("ou")
            }
        case Self.u("s"): matched = ends("ism")
        case Self.u("t"): matched = ends("ate") || ends("iti")
        case Self.u("u"): matched = ends("ous")
        case Self.u("v"): matched = ends("ive")
        case Self.u("z"): matched = ends("ize")
        default: matched = false
        }
        if matched && m() > 1 { k = j }
        b.removeSubrange((k + 1)...)
    }

    /// Final -e, and -ll → -l.
    private mutating func step6() {
        j = k
        if b[k] == Self.u("e") {
            let a = m()
            if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
        }
        if b[k] == Self.u("l") && doubleConsonant(k) && m() > 1 { k -= 1 }
        b.removeSubrange((k + 1)...)
    }
}
