import Foundation
import Testing

@testable import TalentFlow

@Suite("SHA-256")
struct SHA256Tests {
  @Test func fipsVectors() {
    #expect(
      SHA256.hexDigest(Array("".utf8))
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hexDigest(Array("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let fourFortyEight = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    #expect(
      SHA256.hexDigest(Array(fourFortyEight.utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(
      SHA256.hexDigest(million)
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func eightHundredNinetySixBitVector() {
    let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
      + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
    #expect(
      SHA256.hexDigest(Array(text.utf8))
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
  }

  @Test func paddingBoundaries() {
    // Lengths around the 56- and 64-byte padding edges, streamed and one-shot.
    for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
      var hasher = SHA256()
      for byte in bytes { hasher.update([byte]) }
      #expect(hasher.finalize() == SHA256.hash(bytes), "length \(length)")
    }
  }

  @Test func streamingInOddChunksEqualsOneShot() {
    var generator = SeededGenerator(seed: 20_261_204)
    let bytes = (0..<200_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let expected = SHA256.hash(bytes)
    for chunkSize in [1, 3, 7, 63, 64, 65, 127, 1000, 4099, 65_537] {
      var hasher = SHA256()
      var offset = 0
      while offset < bytes.count {
        let end = min(offset + chunkSize, bytes.count)
        bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
        offset = end
      }
      #expect(hasher.finalize() == expected, "chunk size \(chunkSize)")
    }
  }

  @Test func stringUpdateIsUTF8() {
    var hasher = SHA256()
    hasher.update("ab")
    hasher.update("c")
    #expect(
      hasher.finalize().lowercaseHex
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    var unicode = SHA256()
    unicode.update("é😀")
    #expect(unicode.finalize() == SHA256.hash(Array("é😀".utf8)))
  }

  @Test func finalizeResets() {
    var hasher = SHA256()
    hasher.update("abc")
    _ = hasher.finalize()
    #expect(hasher.finalize() == SHA256.hash([]))
  }

  @Test func hexHelper() {
    #expect([UInt8]([0x00, 0x0f, 0xa5, 0xff]).lowercaseHex == "000fa5ff")
    #expect([UInt8]().lowercaseHex == "")
  }

  @Test func fileDigestMatchesSha256sum() throws {
    let (folder, file) = try TestFolder.makeFile("data.bin", label: "sha256")
    defer { TestFolder.remove(folder) }
    // Just over two 1 MiB chunks, so the streaming path crosses chunk boundaries.
    var generator = SeededGenerator(seed: 20_261_204)
    let bytes = (0..<(2 * 1_048_576 + 12_345)).map { _ in
      UInt8.random(in: 0...255, using: &generator)
    }
    try Data(bytes).write(to: file)

    let sha256sum = try TalentflowProcess.runTool("/usr/bin/sha256sum", [file.path])
    #expect(sha256sum.exited(with: 0), "\(sha256sum.stderr)")
    let reference = sha256sum.stdout.prefix(64)

    #expect(try SHA256.hexDigest(ofFile: file) == String(reference))
    #expect(SHA256.hexDigest(bytes) == String(reference))
  }

  @Test func missingFileThrows() {
    let missing = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString)")
    #expect(throws: (any Error).self) { try SHA256.hexDigest(ofFile: missing) }
  }
}
