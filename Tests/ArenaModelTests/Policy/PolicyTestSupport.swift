import Foundation

/// An ISO-8601 instant for tests ("2026-11-20T15:00:00Z").
func instant(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: text) else { fatalError("bad test date \(text)") }
    return d
}

/// Equality within floating-point noise.
func approx(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance
}

let day: TimeInterval = 86_400
