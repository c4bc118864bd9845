import Foundation
import Kernels

extension TransformerModel {
    /// The same weights (the same memory map) on another GEMM path, for side-by-side timing.
    public func rerouted(gemm: GEMMChoice) throws -> TransformerModel {
        let special = SpecialTokens(mask: descriptor.maskTokenID, endOfText: descriptor.endOfTextID, endOfTurn: descriptor.endOfTurnID)
        return try TransformerModel(config: config, checkpoint: checkpoint, special: special, name: descriptor.name,
                                    widenTileFloats: scratch.capacity, gemm: gemm)
    }
}
