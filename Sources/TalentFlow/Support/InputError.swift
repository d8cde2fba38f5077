/// An error about one key of an input file: the file, the dotted key path at fault (empty for
/// the whole file) and a message that names the key and the value it holds.
///
/// `ConfigurationError`, `ManifestError` and `ReportError` conform, so that one
/// `JSONObjectReader` serves every decoder and each keeps the error type its callers catch.
public protocol InputError: TalentFlowError {
  init(file: String, keyPath: String, message: String)
}
