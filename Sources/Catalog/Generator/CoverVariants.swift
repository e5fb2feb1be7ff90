import ArenaModel

extension CoverBuilder {
    /// The constraints a negative of anchor `i` can violate, in round-robin order.
    func violableConstraints(of i: Int) -> [ViolatedConstraint] {
        let a = plan.anchors[i]
        var kinds: [ViolatedConstraint] = []
        if a.hasSKU { kinds.append(.sku) }
        if a.hasAttributes { kinds.append(.attribute) }
        if a.services.contains(where: { Service(rawValue: $0) != nil }) { kinds.append(.service) }
        if (a.lowerBound ?? 0) >= 1 || a.upperBound != nil || !a.voucherProblems.isEmpty { kinds.append(.price) }
        if a.shopGroup != nil { kinds.append(.shop) }
        return kinds
    }

    /// The `round`-th near copy of anchor `i`: violating `kind`, or valid when `kind` is nil. With
    /// `decoyShop`, the copy is sold by that shop (a decoy-shop item) and `kind` must not be `.shop`.
    /// Falls back to a valid copy when the requested violation cannot be made alone; the returned
    /// kind says what was built.
    func nearCopy(of i: Int, kind requested: ViolatedConstraint?, round: Int, productID: String, layer: RandomStream.Layer,
                  decoyShop: String? = nil) -> (Product, ViolatedConstraint?) {
        let a = plan.anchors[i]
        let anchor = anchors[i]
        var rng = RandomStream(seed: seed, layer: layer, index: RandomStream.hash(a.productID), field: UInt64(round))
        let title = skeletonTitle(a.title, requirement: a, &rng)
        let voucherItem = !a.voucherProblems.isEmpty
        let homeShop = decoyShop ?? (a.shopGroup != nil ? anchor.shopID : backgroundShop(RandomStream.hash(productID)))
        let background = backgroundShop(RandomStream.hash(productID + "/other"))

        func cheaper() -> Double {
            CoverBuilder.clamp(anchor.price * (0.6 + 0.35 * rng.unit()), lower: a.lowerBound, upper: a.upperBound)
        }
        func validPrice(shop: String) -> Double {
            guard voucherItem else {
                return CoverBuilder.alternatePrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            }
            let candidate = CoverBuilder.clamp(anchor.price * (0.92 + 0.08 * rng.unit()), lower: a.lowerBound, upper: a.upperBound)
            return keepsVouchersPassing(anchor: i, price: candidate, shopID: anchor.shopID) ? candidate : anchor.price
        }

        var product: Product
        switch requested {
        case nil:
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: validPrice(shop: homeShop), shopID: homeShop)
        case .sku?:
            let pairs = a.variants.flatMap { $0 }
            let pair = pairs[round % pairs.count]
            let price = voucherItem ? cheaper() : CoverBuilder.alternatePrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: price, shopID: homeShop, swapSKU: pair)
        case .attribute?:
            let pairs = a.rewards.flatMap { $0.item.attributes.flatMap { attr in attr.values.map { Product.KeyValue(attr.key, $0) } } }
            let pair = pairs[round % pairs.count]
            let price = voucherItem ? cheaper() : CoverBuilder.alternatePrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: price, shopID: homeShop, swapAttribute: pair)
        case .service?:
            let known = a.services.filter { Service(rawValue: $0) != nil }
            let price = voucherItem ? cheaper() : CoverBuilder.alternatePrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: price, shopID: homeShop, dropService: known[round % known.count])
        case .price?:
            var price: Double
            var sides: [Bool] = []  // true = below the lower bound
            if let lo = a.lowerBound, lo >= 1 { sides.append(true) }
            if a.upperBound != nil { sides.append(false) }
            if !sides.isEmpty {
                let below = sides[round % sides.count]
                if below {
                    let lo = a.lowerBound!
                    let delta = max(0.01, (lo * (0.02 + 0.18 * rng.unit()) * 100).rounded() / 100)
                    price = max(((lo - delta) * 100).rounded(.down) / 100, 0.01)
                    if price >= lo { price = max(lo - 0.01, 0.01) }
                } else {
                    let hi = a.upperBound!
                    let delta = max(1, (hi * (0.02 + 0.18 * rng.unit())).rounded())
                    price = hi + delta
                }
            } else {
                // Voucher item without a bound: pricier than the anchor by enough to break the budget.
                price = CoverBuilder.clamp(anchor.price * (1.05 + 0.35 * rng.unit()), lower: nil, upper: nil)
                var tries = 0
                while keepsVouchersPassing(anchor: i, price: price, shopID: anchor.shopID), tries < 40 {
                    price = ((price * 1.25 + 1) * 100).rounded() / 100
                    tries += 1
                }
            }
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: price, shopID: homeShop)
        case .shop?:
            let price = voucherItem ? cheaper() : CoverBuilder.alternatePrice(&rng, lower: a.lowerBound, upper: a.upperBound, scale: leaves[i].priceScale)
            product = dress(a, leaf: leaves[i], &rng, productID: productID, title: title, price: price, shopID: background)
        }
        if violatesExactly(requested, product: product, anchor: i, decoy: decoyShop != nil) { return (product, requested) }
        // The requested violation could not stand alone (e.g. the pair is also required elsewhere).
        var valid = rng
        product = dress(a, leaf: leaves[i], &valid, productID: productID, title: title, price: anchor.price, shopID: homeShop)
        return (product, nil)
    }

    /// Whether `product` in place of anchor `i` fails exactly the `kind` constraint (nil: none).
    /// A decoy-shop item is judged as if it were in the anchor's shop (its shop is wrong by design).
    func violatesExactly(_ kind: ViolatedConstraint?, product: Product, anchor i: Int, decoy: Bool = false) -> Bool {
        let a = plan.anchors[i]
        var missedPrice = 0, missedService = 0, missedPairs = 0
        for (_, item) in a.rewards {
            let match = RewardMatch(reward: item, product: product)
            let misses = match.total - match.hits
            if misses > 1 { return false }
            missedPrice += match.priceTotal - match.priceHits
            missedService += match.serviceTotal - match.serviceHits
            missedPairs += match.pairTotal - match.pairHits
        }
        let inHomeShop = decoy || a.shopGroup == nil || product.shopID == anchors[i].shopID
        let budgetOK = keepsVouchersPassing(anchor: i, price: product.price, shopID: decoy ? anchors[i].shopID : product.shopID)
        switch kind {
        case nil: return missedPrice + missedService + missedPairs == 0 && budgetOK
        case .sku?, .attribute?: return missedPairs > 0 && missedPrice + missedService == 0 && inHomeShop
        case .service?: return missedService > 0 && missedPrice + missedPairs == 0 && inHomeShop
        case .price?:
            if a.lowerBound != nil || a.upperBound != nil { return missedPrice > 0 && missedService + missedPairs == 0 && inHomeShop }
            return missedPrice + missedService + missedPairs == 0 && !budgetOK && inHomeShop
        case .shop?: return missedPrice + missedService + missedPairs == 0 && !inHomeShop
        }
    }
}
