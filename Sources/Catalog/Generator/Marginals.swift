import ArenaModel

/// The marginal distributions of the synthetic catalog (`reference/shoppingbench.md` §2), as
/// samplers over a ``RandomStream``. Every sampler is deterministic in the stream's state.
public enum Marginals {
    /// Log-normal price: median 250 PHP × `scale`, σ = 1.0 (with the per-leaf scales the mixture has
    /// the reference p10/p90 of about 60/1,050); 25% of prices carry centavos. In centavos, ≥ 1 PHP.
    public static func priceCents(_ rng: inout RandomStream, scale: Double = 1) -> Int {
        let value = 250 * scale * exp(1.0 * rng.normal())
        return roundedPriceCents(value, &rng)
    }

    /// Rounds a peso amount to a listing price: whole pesos (often ending in 9) or, 25% of the time,
    /// an amount with centavos.
    public static func roundedPriceCents(_ pesos: Double, _ rng: inout RandomStream) -> Int {
        let clamped = min(max(pesos, 1), 2_000_000)
        if rng.chance(0.25) {
            var cents = Int((clamped * 100).rounded())
            if cents % 100 == 0 { cents += 1 + rng.below(98) }
            return cents
        }
        var whole = Int(clamped.rounded())
        if whole >= 20, rng.chance(0.5) { whole = whole - whole % 10 + 9 }
        return max(whole, 1) * 100
    }

    /// sold_count: P(≥ k) = (k + 1)^−0.91, so the median is 1 and p90 about 11, with a long tail.
    public static func soldCount(_ rng: inout RandomStream) -> Int {
        let u = max(rng.unit(), 1e-12)
        return min(Int(pow(u, -1.1) - 1), 500_000)
    }

    /// Services in catalog order: none/one/two/three = 31/46/19/4%, chosen by the per-service rates
    /// (COD 30%, official 25%, flashsale 21%, freeShipping 21%).
    public static func services(_ rng: inout RandomStream, excluding: Set<String> = []) -> [String] {
        let count = [0, 1, 2, 3][rng.weighted([31, 46, 19, 4])]
        var names = ["COD", "official", "flashsale", "freeShipping"]
        var weights = [30.0, 25, 21, 21]
        var chosen = Set<String>()
        for _ in 0..<count {
            let i = rng.weighted(weights)
            chosen.insert(names[i])
            names.remove(at: i)
            weights.remove(at: i)
        }
        return canonicalServices(chosen.subtracting(excluding))
    }

    /// Orders service tokens as documents write them.
    public static func canonicalServices(_ set: Set<String>) -> [String] {
        ["official", "freeShipping", "COD", "flashsale"].filter { set.contains($0) }
    }

    /// Number of SKU variants: 23% none, 47% 1–8, 30% exactly nine.
    public static func variantCount(_ rng: inout RandomStream) -> Int {
        switch rng.weighted([23, 47, 30]) {
        case 0: return 0
        case 1: return rng.int(1...8)
        default: return 9
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
