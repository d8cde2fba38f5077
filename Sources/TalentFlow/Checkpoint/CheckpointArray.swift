/// One array of a struct of arrays, with the name the checkpoint stores it under.
///
/// `stride` is the number of elements per professional or firm (6 preference weights, 8
/// published values), which the reader checks so that a damaged file cannot leave arrays of
/// different lengths behind.
struct CheckpointArray<Root> {
  let name: String
  let stride: Int
  let count: (Root) -> Int
  let write: (Root, inout BinaryWriter) -> Void
  let read: (inout Root, inout BinaryReader) throws(CheckpointError) -> Void

  init<T: CheckpointElement>(
    _ name: String, _ path: WritableKeyPath<Root, ContiguousArray<T>>, stride: Int = 1
  ) {
    self.name = name
    self.stride = stride
    count = { $0[keyPath: path].count }
    write = { root, writer in writer.array(name, root[keyPath: path]) }
    read = { (root: inout Root, reader: inout BinaryReader) throws(CheckpointError) in
      root[keyPath: path] = try reader.array(name, of: T.self)
    }
  }
}

/// Writes every array of a struct of arrays.
func writeArrays<Root>(
  _ root: Root, _ arrays: [CheckpointArray<Root>], _ writer: inout BinaryWriter
) {
  for array in arrays { array.write(root, &writer) }
}

/// Reads every array of a struct of arrays and checks that their lengths agree.
func readArrays<Root>(
  into root: inout Root, _ arrays: [CheckpointArray<Root>], _ what: String,
  _ reader: inout BinaryReader
) throws(CheckpointError) {
  for array in arrays { try array.read(&root, &reader) }
  guard let first = arrays.first else { return }
  let n = first.count(root) / first.stride
  for array in arrays where array.count(root) != n * array.stride {
    throw reader.failure(
      "is corrupted: \(what).\(array.name) has \(array.count(root)) values for \(n) entries")
  }
}
