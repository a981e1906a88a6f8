/// A random number generator that yields one injected fraction in 0..<1, so backoff jitter
/// comes from `ExecutorDependencies.random` and tests can fix it.
struct FractionGenerator: RandomNumberGenerator {
    let fraction: Double

    mutating func next() -> UInt64 {
        // Backoff reads the top 53 bits as the fraction.
        UInt64(min(max(fraction, 0), 0.999_999_999) * Double(1 << 53)) << 11
    }
}
