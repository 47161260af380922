/// A declared command-line option: `--name`, taking `arity` values after it (0 for a flag).
struct OptionSpec: Sendable {
  let name: String
  let arity: Int
  let help: String
  let repeatable: Bool
  /// A one-dash short form, e.g. `-o` for `--output`.
  var alias: String? = nil

  /// A flag with no value, e.g. `--pretty`.
  static func flag(_ name: String, help: String) -> OptionSpec {
    OptionSpec(name: name, arity: 0, help: help, repeatable: false)
  }

  /// An option taking one value, e.g. `--port 0`.
  static func value(
    _ name: String, _ placeholder: String, help: String, repeatable: Bool = false, alias: String? = nil
  ) -> OptionSpec {
    OptionSpec(name: name, arity: 1, help: "\(placeholder)  \(help)", repeatable: repeatable, alias: alias)
  }

  /// An option taking `arity` values, e.g. `--report json FILE`.
  static func values(_ name: String, arity: Int, _ placeholder: String, help: String, repeatable: Bool) -> OptionSpec {
    OptionSpec(name: name, arity: arity, help: "\(placeholder)  \(help)", repeatable: repeatable)
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
