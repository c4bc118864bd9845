import Foundation

/// A fast content fingerprint of the weight files, for trajectory headers.
///
/// FNV-1a (64-bit) over, for each file in name order: its name, its size, its safetensors header,
/// (the bytes before the data section for a GGUF file) and then either every byte (files up to 64 MiB) or 256 chunks of 4 KiB spread evenly over the
/// data section (larger files). Sampling keeps LLaDA-8B (16 GB) at a few milliseconds; a change
/// that touches no sampled chunk goes unseen, which is acceptable for labelling recordings.
public enum WeightsHash {
    public static let fullHashLimit = 64 << 20
    public static let sampleCount = 256
    public static let sampleBytes = 4096

    public static func compute(_ checkpoint: Checkpoint) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        // (file, bytes before the data section): safetensors files, or the GGUF file.
        let sources = checkpoint.files.map { ($0.file, 8 + $0.headerLength) } + (checkpoint.gguf.map { [($0.file, $0.dataOffset)] } ?? [])
        for (file, dataStart) in sources.sorted(by: { $0.0.path < $1.0.path }) {
            let name = URL(fileURLWithPath: file.path).lastPathComponent
            Array(name.utf8).withUnsafeBytes(mix)
            withUnsafeBytes(of: UInt64(file.size).littleEndian, mix)
            guard let base = file.bytes else { continue }
            let size = file.size
            if size <= fullHashLimit {
                mix(UnsafeRawBufferPointer(start: base, count: size))
                continue
            }
            mix(UnsafeRawBufferPointer(start: base, count: dataStart))
            let span = size - dataStart - sampleBytes
            for i in 0..<sampleCount {
                let offset = dataStart + span / (sampleCount - 1) * i
                mix(UnsafeRawBufferPointer(start: base + offset, count: sampleBytes))
            }
        }
        return String(format: "%016llx", hash)
    }
}
