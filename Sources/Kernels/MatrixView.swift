/// Row-major views over `Float` storage that the kernels read and write.
///
/// A view never owns its memory: the caller keeps the storage alive for as long as the view is
/// used (usually inside `withUnsafeMutableBufferPointer`). `rowStride` is the distance in
/// elements between the starts of consecutive rows, so a view can select a column band of a
/// wider matrix (for example one attention head inside a [tokens, heads * headDim] buffer).
public struct MatrixView {
    public let base: UnsafeMutablePointer<Float>
    public let rows: Int
    public let columns: Int
    public let rowStride: Int

    public init(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int? = nil) {
        precondition(rows >= 0 && columns >= 0, "matrix shape must be non-negative")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride ?? columns
        precondition(self.rowStride >= columns, "row stride \(self.rowStride) < columns \(columns)")
    }

    @inline(__always) public subscript(row: Int, column: Int) -> Float {
        get { base[row * rowStride + column] }
        nonmutating set { base[row * rowStride + column] = newValue }
    }

    /// Pointer to the first element of `row`.
    @inline(__always) public func row(_ row: Int) -> UnsafeMutablePointer<Float> { base + row * rowStride }

    /// The rows `range` of this view, sharing its storage.
    public func rows(_ range: Range<Int>) -> MatrixView {
        MatrixView(base + range.lowerBound * rowStride, rows: range.count, columns: columns, rowStride: rowStride)
    }

    /// The columns `range` of this view, sharing its storage.
    public func columns(_ range: Range<Int>) -> MatrixView {
        MatrixView(base + range.lowerBound, rows: rows, columns: range.count, rowStride: rowStride)
    }

    public var readOnly: ConstMatrixView { ConstMatrixView(UnsafePointer(base), rows: rows, columns: columns, rowStride: rowStride) }
}

/// The read-only twin of `MatrixView` (weights, inputs).
public struct ConstMatrixView {
    public let base: UnsafePointer<Float>
    public let rows: Int
    public let columns: Int
    public let rowStride: Int

    public init(_ base: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int? = nil) {
        precondition(rows >= 0 && columns >= 0, "matrix shape must be non-negative")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride ?? columns
        precondition(self.rowStride >= columns, "row stride \(self.rowStride) < columns \(columns)")
    }

    @inline(__always) public subscript(row: Int, column: Int) -> Float { base[row * rowStride + column] }

    @inline(__always) public func row(_ row: Int) -> UnsafePointer<Float> { base + row * rowStride }

    public func rows(_ range: Range<Int>) -> ConstMatrixView {
        ConstMatrixView(base + range.lowerBound * rowStride, rows: range.count, columns: columns, rowStride: rowStride)
    }

    public func columns(_ range: Range<Int>) -> ConstMatrixView {
        ConstMatrixView(base + range.lowerBound, rows: rows, columns: range.count, rowStride: rowStride)
    }
}
