/// A declared command-line option: `--name`, taking `arity` values after it (0 for a flag).
struct OptionSpec: Sendable {
  let name: String
  let arity: Int
  /// What the values are called in help and usage, e.g. `SECONDS` or `FORMAT FILE` (empty for a flag).
  let placeholder: String
  let help: String
  let repeatable: Bool
  /// A one-dash short form, e.g. `-o` for `--output`.
  var alias: String? = nil
  /// Shown without brackets in the usage line (the command checks it is given).
  var required = false

  /// A flag with no value, e.g. `--pretty`.
  static func flag(_ name: String, help: String) -> OptionSpec {
    OptionSpec(name: name, arity: 0, placeholder: "", help: help, repeatable: false)
  }

  /// An option taking one value, e.g. `--port 0`.
  static func value(
    _ name: String, _ placeholder: String, help: String, repeatable: Bool = false, alias: String? = nil
  ) -> OptionSpec {
    var spec = OptionSpec(name: name, arity: 1, placeholder: placeholder, help: help, repeatable: repeatable)
    spec.alias = alias
    return spec
  }

  /// An option taking `arity` values, e.g. `--report json FILE`.
  static func values(_ name: String, arity: Int, _ placeholder: String, help: String, repeatable: Bool) -> OptionSpec {
    OptionSpec(name: name, arity: arity, placeholder: placeholder, help: help, repeatable: repeatable)
  }

  /// The same option, marked as required in the usage line.
  func requiredInUsage() -> OptionSpec {
    var copy = self
    copy.required = true
    return copy
  }

  /// `--name PLACEHOLDER`, or the name alone for a flag.
  var synopsis: String { placeholder.isEmpty ? name : "\(name) \(placeholder)" }

  /// The synopsis with the short form first (`-o, --output FILE`), as the options list shows it.
  var listedSynopsis: String { (alias.map { "\($0), " } ?? "") + synopsis }

  /// The option as the usage line shows it: `[--name VALUE]`, `[--name VALUE]...` when repeatable, no brackets
  /// when required.
  var usage: String {
    let core = required ? synopsis : "[\(synopsis)]"
    return repeatable ? core + "..." : core
  }
}

/// The arguments of one command after parsing: positionals in order, and each option's occurrences.
struct ParsedArguments: Sendable {
  var positionals: [String] = []
  private var occurrences: [String: [[String]]] = [:]

  /// `true` when the flag or option was given.
  func has(_ name: String) -> Bool { occurrences[name] != nil }

  /// The value of a one-value option, the last one when repeated.
  func value(_ name: String) -> String? { occurrences[name]?.last?.first }

  /// Every occurrence's values of an option, in command-line order.
  func all(_ name: String) -> [[String]] { occurrences[name] ?? [] }

  /// The value of `name` as an integer, or a usage error naming the option.
  func int(_ name: String) throws(CLIError) -> Int? {
    guard let text = value(name) else { return nil }
    guard let n = Int(text) else { throw .usage("\(name) expects an integer, got '\(text)'") }
    return n
  }

  /// The value of `name` as a number of seconds, `0 < s ≤ max`, or a usage error naming the option and the range
  /// (`inf`, `nan`, `1e19` and negative values are refused here, before any conversion could trap).
  func seconds(_ name: String, max: Double) throws(CLIError) -> Double? {
    guard let text = value(name) else { return nil }
    guard let s = Double(text), s.isFinite, s > 0, s <= max else {
      throw .usage("\(name) expects a number of seconds, more than 0 and at most \(Int(max)), got '\(text)'")
    }
    return s
  }

  mutating func record(_ name: String, _ values: [String]) { occurrences[name, default: []].append(values) }

  /// Parses `arguments` against `options`. `--` ends options; `-` alone is a positional (standard input).
  static func parse(_ arguments: [String], options: [OptionSpec]) throws(CLIError) -> ParsedArguments {
    var parsed = ParsedArguments()
    var i = 0
    var onlyPositionals = false
    while i < arguments.count {
      var arg = arguments[i]
      i += 1
      if !onlyPositionals, let spec = options.first(where: { $0.alias != nil && $0.alias == arg }) {
        arg = spec.name
      }
      if onlyPositionals || !arg.hasPrefix("--") {
        parsed.positionals.append(arg)
        continue
      }
      if arg == "--" {
        onlyPositionals = true
        continue
      }
      var name = arg
      var inline: String?
      if let eq = arg.firstIndex(of: "=") {
        name = String(arg[..<eq])
        inline = String(arg[arg.index(after: eq)...])
      }
      guard let spec = options.first(where: { $0.name == name }) else {
        throw .usage("unknown option '\(name)'")
      }
      if !spec.repeatable && parsed.has(name) { throw .usage("option '\(name)' given more than once") }
      var values: [String] = []
      if let inline {
        guard spec.arity == 1 else { throw .usage("option '\(name)' does not take '=value'") }
        values = [inline]
      } else {
        for _ in 0..<spec.arity {
          guard i < arguments.count else {
            throw .usage("option '\(name)' expects \(spec.arity) value\(spec.arity == 1 ? "" : "s")")
          }
          values.append(arguments[i])
          i += 1
        }
      }
      parsed.record(name, values)
    }
    return parsed
  }
}
