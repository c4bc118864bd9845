import Foundation

extension Checkpoint {
    /// The same tensors widened (or dequantized) to f32 and stored in order, in memory: the
    /// reference a quantized or permuted checkpoint is checked against (its logits must equal
    /// this one's to float tolerance), and the f32 baseline of benchmarks.
    public func widenedToF32(name: String = "widened") throws -> Checkpoint {
        let entries = tensors.values.sorted { $0.name < $1.name }
        var header: [String] = []
        var offset = 0
        for slice in entries {
            let bytes = slice.elementCount * 4
            header.append("\"\(slice.name)\":{\"dtype\":\"F32\",\"shape\":\(slice.shape),\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var text = "{" + header.joined(separator: ",") + "}"
        while (8 + text.utf8.count) % 64 != 0 { text += " " }  // keep the data section aligned
        let headerBytes = Array(text.utf8)
        let dataStart = 8 + headerBytes.count
        let file = try MappedFile(anonymousSize: dataStart + offset, name: "<\(name) of \(directory.lastPathComponent)>") { base in
            base.storeBytes(of: UInt64(headerBytes.count).littleEndian, as: UInt64.self)
            headerBytes.withUnsafeBytes { (base + 8).copyMemory(from: $0.baseAddress!, byteCount: headerBytes.count) }
            var cursor = base + dataStart
            for slice in entries {
                let matrix = WeightMatrix(slice)
                // [rows, columns] for matrices, [n] (one column) for vectors; row by row keeps the peak small.
                let out = cursor.bindMemory(to: Float.self, capacity: slice.elementCount)
                for row in 0..<matrix.rows { matrix.widenRows(row..<row + 1, into: out + row * matrix.columns) }
                cursor += slice.elementCount * 4
            }
        }
        return Checkpoint(files: [try SafetensorsFile(file: file)], directory: directory)
    }
}

extension TransformerModel {
    /// This model with every weight widened to f32 in memory (see `Checkpoint.widenedToF32`).
    public func widenedToF32() throws -> TransformerModel {
        let special = SpecialTokens(mask: descriptor.maskTokenID, endOfText: descriptor.endOfTextID, endOfTurn: descriptor.endOfTurnID)
        return try TransformerModel(config: config, checkpoint: checkpoint.widenedToF32(), special: special,
                                    name: descriptor.name + " (f32)")
    }
}
