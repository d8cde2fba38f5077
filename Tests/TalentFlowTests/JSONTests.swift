import Foundation
import Testing

@testable import TalentFlow

/// Parses `text`, expecting a syntax error, and returns it.
private func syntaxError(_ text: String) -> JSONSyntaxError? {
  do {
    _ = try JSONParser.parse(text)
    return nil
  } catch {
    return error
  }
}

@Suite("JSON parser and serializer")
struct JSONTests {
  // MARK: Values

  @Test func parsesScalars() throws {
    #expect(try JSONParser.parse("null") == .null)
    #expect(try JSONParser.parse("true") == .bool(true))
    #expect(try JSONParser.parse("false") == .bool(false))
    #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
    #expect(try JSONParser.parse(" 42 ") == .number(42))
    #expect(try JSONParser.parse("-0.5e2") == .number(-50))
    #expect(try JSONParser.parse("1E+2") == .number(100))
    #expect(try JSONParser.parse("0") == .number(0))
    #expect(try JSONParser.parse("1e-400") == .number(0))
  }

  @Test func booleansAreNotNumbers() throws {
    let value = try JSONParser.parse(#"{"a": true, "b": 1, "c": 1.0}"#)
    #expect(value["a"] == .bool(true))
    #expect(value["a"]?.intValue == nil)
    #expect(value["a"]?.boolValue == true)
    #expect(value["b"]?.boolValue == nil)
    #expect(value["b"]?.typeName == "number")
    #expect(value["a"]?.typeName == "boolean")
  }

  @Test func integersVersusDoubles() throws {
    let value = try JSONParser.parse("[3, 3.0, 3.5, -7, 1e300, 9007199254740993, -0.0]")
    let elements = try #require(value.arrayValue)
    #expect(elements[0].intValue == 3)
    #expect(elements[1].intValue == 3)
    #expect(elements[2].intValue == nil)
    #expect(elements[2].doubleValue == 3.5)
    #expect(elements[3].intValue == -7)
    #expect(elements[4].intValue == nil)
    #expect(elements[4].doubleValue == 1e300)
    #expect(elements[5].intValue == 9_007_199_254_740_992)  // rounded to the nearest Double
    #expect(elements[6].intValue == 0)
    #expect(JSONValue.string("3").intValue == nil)
    #expect(JSONValue.number(-9_223_372_036_854_775_808.0).intValue == Int.min)
    #expect(JSONValue.number(9_223_372_036_854_775_808.0).intValue == nil)
    #expect(JSONValue.number(.nan).intValue == nil)
    #expect(JSONValue.number(-.infinity).intValue == nil)
    #expect(JSONValue.number(-2.5).intValue == nil)
  }

  @Test func keyOrderIsPreserved() throws {
    let text = #"{"zeta": 1, "alpha": 2, "mid": {"y": 1, "x": 2}}"#
    let value = try JSONParser.parse(text)
    #expect(value.objectValue?.map(\.key) == ["zeta", "alpha", "mid"])
    #expect(value["mid"]?.objectValue?.map(\.key) == ["y", "x"])
    #expect(value.serialized(pretty: false) == #"{"zeta":1,"alpha":2,"mid":{"y":1,"x":2}}"#)
  }

  @Test func objectEqualityIsOrderSensitive() {
    let a = JSONValue.object([("a", .number(1)), ("b", .number(2))])
    let b = JSONValue.object([("b", .number(2)), ("a", .number(1))])
    #expect(a != b)
    #expect(a == JSONValue.object([("a", .number(1)), ("b", .number(2))]))
    #expect(JSONValue.array([.null]) != JSONValue.array([.null, .null]))
    #expect(JSONValue.number(1) != JSONValue.bool(true))
  }

  @Test func accessors() {
    let value = JSONValue.object([("s", .string("x")), ("a", .array([.null]))])
    #expect(value["s"]?.stringValue == "x")
    #expect(value["a"]?.arrayValue == [.null])
    #expect(value["missing"] == nil)
    #expect(JSONValue.array([])["s"] == nil)
    #expect(value["a"]?.arrayValue?.first?.isNull == true)
    #expect(
      [JSONValue.null, .bool(true), .number(1), .string(""), .array([]), .object([])].map(
        \.typeName) == ["null", "boolean", "number", "string", "array", "object"])
  }

  // MARK: Strings

  @Test func escapesAndSurrogates() throws {
    let text = #""q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 é""#
    let value = try JSONParser.parse(text)
    #expect(value == .string("q\" b\\ s/ \u{8}\u{c}\n\r\t é € 😀 é"))
    #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
  }

  @Test func unpairedSurrogatesAreErrors() {
    let high = syntaxError(#"["ab\ud83d"]"#)
    #expect(high?.column == 5)
    #expect(high?.message.contains("unpaired surrogate") == true)
    let highThenOther = syntaxError(#""\ud83d\u0041""#)
    #expect(highThenOther?.message.contains("unpaired surrogate") == true)
    let low = syntaxError(#""\ude00""#)
    #expect(low?.column == 2)
    #expect(low?.message.contains("unpaired surrogate") == true)
  }

  @Test func stringErrors() {
    #expect(syntaxError(#""abc"#)?.message == "unterminated string")
    #expect(syntaxError(#""a\x""#)?.message == #"invalid escape sequence '\x'"#)
    #expect(syntaxError(#""\u12G4""#)?.message == #"expected four hex digits after \u"#)
    let control = syntaxError("\"a\u{1}b\"")
    #expect(control?.column == 3)
    #expect(control?.message == "unescaped control character U+0001 in string")
    let lineBreak = syntaxError("\"a\nb\"")
    #expect(lineBreak?.line == 1)
    #expect(lineBreak?.column == 3)
    #expect(syntaxError("'single'")?.message == "strings must be enclosed in double quotes")
  }

  @Test func invalidUTF8IsAnError() throws {
    let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes: bytes) }
    let overlong: [UInt8] = [0x22, 0xC0, 0xAF, 0x22]
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes: overlong) }
    let encodedSurrogate: [UInt8] = [0x22, 0xED, 0xA0, 0x80, 0x22]
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes: encodedSurrogate) }
    let fourByte: [UInt8] = [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]
    #expect(try JSONParser.parse(bytes: fourByte) == .string("😀"))
  }

  // MARK: Syntax errors

  @Test func errorDescriptionFormat() {
    let text = """
      {
        "a": 1,
        "b": [1, 2] "c": 3
      }
      """
    let error = syntaxError(text)
    #expect(error == JSONSyntaxError(
      line: 3, column: 15, message: "expected ',' or '}' after object member"))
    #expect(error?.description == "line 3, column 15: expected ',' or '}' after object member")
  }

  @Test func trailingCommas() {
    let array = syntaxError("[1, 2,]")
    #expect(array?.message == "trailing comma after the last array element")
    #expect(array?.column == 6)
    let object = syntaxError("{\n  \"a\": 1,\n}")
    #expect(object?.message == "trailing comma after the last object member")
    #expect(object?.line == 2)
    #expect(object?.column == 9)
  }

  @Test func commentsAreRejected() {
    let line = syntaxError("{\"a\": 1 // note\n}")
    #expect(line?.message == "comments are not allowed in JSON")
    #expect(line?.column == 9)
    #expect(syntaxError("/* c */ 1")?.message == "comments are not allowed in JSON")
    #expect(syntaxError("[1] // end")?.message == "comments are not allowed in JSON")
  }

  @Test func nonFiniteNumbersAreRejected() {
    #expect(syntaxError("NaN")?.message.contains("NaN and Infinity") == true)
    #expect(syntaxError("[Infinity]")?.column == 2)
    #expect(syntaxError("-Infinity")?.message.contains("Infinity") == true)
    let huge = syntaxError("[1, 1e400]")
    #expect(huge?.message == "number 1e400 is too large to be represented")
    #expect(huge?.column == 5)
    #expect(syntaxError("-1e309")?.message.contains("too large") == true)
  }

  @Test func numberGrammar() {
    #expect(syntaxError("01")?.message == "leading zeros are not allowed in numbers")
    #expect(syntaxError("-")?.message == "expected a digit after '-'")
    #expect(syntaxError("1.")?.message == "expected a digit after the decimal point")
    #expect(syntaxError("1.e3")?.column == 3)
    #expect(syntaxError("1e")?.message == "expected a digit in the exponent")
    #expect(syntaxError("1e+")?.column == 4)
    #expect(syntaxError("+1")?.message == "numbers must not start with '+'")
    #expect(syntaxError(".5")?.message == "numbers must start with a digit")
    #expect(syntaxError("0x10")?.message == "unexpected 'x' after the JSON value")
  }

  @Test func duplicateKeys() {
    let error = syntaxError("{\"x\": 1,\n \"y\": 2,\n \"x\": 3}")
    #expect(error?.message == "duplicate key \"x\"")
    #expect(error?.line == 3)
    #expect(error?.column == 2)
    // The same key in different objects is fine.
    #expect(throws: Never.self) { try JSONParser.parse(#"[{"x": 1}, {"x": 2}]"#) }
  }

  @Test func emptyAndTrailingInput() {
    #expect(syntaxError("")?.message == "empty input: expected a JSON value")
    #expect(syntaxError("  \n ") == JSONSyntaxError(
      line: 2, column: 2, message: "empty input: expected a JSON value"))
    let trailing = syntaxError("{} x")
    #expect(trailing?.message == "unexpected 'x' after the JSON value")
    #expect(trailing?.column == 4)
    #expect(syntaxError("[1] [2]")?.column == 5)
    #expect(syntaxError("nul")?.message == "invalid literal: expected 'null'")
    #expect(syntaxError("[tru]")?.column == 2)
  }

  @Test func structuralErrors() {
    #expect(syntaxError("[1 2]")?.message == "expected ',' or ']' after array element")
    #expect(syntaxError("{\"a\" 1}")?.message == "expected ':' after object key")
    #expect(syntaxError("{1: 2}")?.message == "expected a string key or '}'")
    #expect(syntaxError("{\"a\": 1, 2}")?.message == "expected a string key after ','")
    #expect(syntaxError("{\"a\": }")?.message == "expected a value, found '}'")
    let end = syntaxError("[1,\n 2")
    #expect(end?.message == "unexpected end of input: expected ',' or ']' after array element")
    #expect(end?.line == 2)
    #expect(end?.column == 3)
    #expect(syntaxError("{\"a\":")?.message == "unexpected end of input: expected a value")
  }

  @Test func columnsCountCharactersNotBytes() {
    let error = syntaxError("[\"é€😀\" x]")
    #expect(error?.column == 8)
    let crlf = syntaxError("[1,\r\n2,\r\n]")
    #expect(crlf?.line == 2)
    #expect(crlf?.column == 2)
  }

  @Test func byteOrderMarkIsTolerated() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": [1]}".utf8)
    #expect(try JSONParser.parse(bytes: bytes) == .object([("a", .array([.number(1)]))]))
    #expect(try JSONParser.parse("\u{FEFF}true") == .bool(true))
    #expect(syntaxError("\u{FEFF}") != nil)
  }

  @Test func depthLimit() throws {
    let limit = JSONParser.maximumDepth
    let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(throws: Never.self) { try JSONParser.parse(deepest) }
    let tooDeep =
      String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
    let error = syntaxError(tooDeep)
    #expect(error?.message == "nesting is deeper than 512 levels")
    #expect(error?.column == limit + 1)
    // Hostile input far beyond the limit fails cleanly instead of overflowing the stack.
    let hostile = String(repeating: "{\"a\":[", count: 100_000)
    #expect(syntaxError(hostile)?.message == "nesting is deeper than 512 levels")
  }

  // MARK: Serializer

  @Test func prettySerialization() throws {
    let value = JSONValue.object([
      ("name", .string("baseline")),
      ("seed", .number(7)),
      ("rates", .array([.number(0.1), .number(2), .number(-3)])),
      ("mixed", .array([.number(1), .string("a"), .null])),
      ("empty", .object([])),
      ("none", .array([])),
      ("nested", .object([("on", .bool(true)), ("off", .bool(false))])),
    ])
    let expected = """
      {
        "name": "baseline",
        "seed": 7,
        "rates": [0.1, 2, -3],
        "mixed": [
          1,
          "a",
          null
        ],
        "empty": {},
        "none": [],
        "nested": {
          "on": true,
          "off": false
        }
      }
      """
    #expect(value.serialized() == expected)
    #expect(try JSONParser.parse(expected) == value)
    #expect(
      value.serialized(pretty: false)
        == #"{"name":"baseline","seed":7,"rates":[0.1,2,-3],"mixed":[1,"a",null],"#
        + #""empty":{},"none":[],"nested":{"on":true,"off":false}}"#)
  }

  @Test func numberFormatting() {
    let cases: [(Double, String)] = [
      (10, "10"), (-3, "-3"), (0, "0"), (-0.0, "0"), (0.1, "0.1"), (1e-05, "1e-05"),
      (2.5e20, "2.5e+20"), (123456789, "123456789"), (9_007_199_254_740_991, "9007199254740991"),
      (9_007_199_254_740_992, "9007199254740992.0"), (1e300, "1e+300"), (-1.5, "-1.5"),
      (.infinity, "null"), (-.infinity, "null"), (.nan, "null"),
    ]
    for (number, text) in cases {
      #expect(JSONValue.number(number).serialized() == text, "\(number)")
    }
  }

  @Test func stringEscaping() throws {
    let value = JSONValue.string("a\"b\\c\n\t\r\u{8}\u{c}\u{1}\u{1f}/é😀")
    #expect(value.serialized() == #""a\"b\\c\n\t\r\b\f\u0001\u001f/é😀""#)
    #expect(try JSONParser.parse(value.serialized()) == value)
  }

  @Test func roundTrips() throws {
    let texts = [
      #"{"a":[1,2.5,-3e-07,{"b":null}],"c":"é\n","d":true,"e":{}}"#,
      #"[[],[[]],{"":""},0.30000000000000004,5e-324,1.7976931348623157e+308]"#,
      #""😀""#,
    ]
    for text in texts {
      let value = try JSONParser.parse(text)
      for pretty in [true, false] {
        let serialized = value.serialized(pretty: pretty)
        let reparsed = try JSONParser.parse(serialized)
        #expect(reparsed == value)
        #expect(reparsed.serialized(pretty: pretty) == serialized)
      }
    }
    #expect(try JSONParser.parse(texts[0]).serialized(pretty: false) == texts[0])
  }

  @Test func randomNumbersRoundTrip() throws {
    var generator = SeededGenerator(seed: 20_261_204)
    var values: [JSONValue] = []
    while values.count < 2000 {
      let number = Double(bitPattern: generator.next())
      if number.isFinite { values.append(.number(number)) }
    }
    let array = JSONValue.array(values)
    #expect(try JSONParser.parse(array.serialized()) == array)
  }
}
