import Golden
import JSON

/// Processor request items `{message, metadata, destination}` from a capture (a bare RudderStack message, an array
/// of them, a `/v1/batch` body, request items, or NDJSON of any of these) and `--config DEST` (a destination or its
/// Config, given to every event), as `transform`, `record` and `compare` take them.
func captureItems(_ bytes: [UInt8], path: String, configPath: String?) throws(CLIError) -> [JSONValue] {
  let documents: [JSONValue]
  do {
    documents = try Capture.parseDocuments(bytes, file: displayName(path))
  } catch {
    throw .badInput("\(error)")  // names the file, line and column itself
  }
  var destination: JSONValue?
  if let configPath {
    do {
      destination = try Capture.destination(from: try readJSONDocument(configPath))
    } catch let error as GoldenError {
      throw .badInput("\(displayName(configPath)): \(error)")
    } catch let error as CLIError {
      throw error
    } catch {
      throw .badInput("\(displayName(configPath)): \(error)")
    }
  }
  do {
    return try Capture.processorItems(documents, destination: destination)
  } catch {
    throw .badInput("\(displayName(path)): \(error)")
  }
}

/// `true` when the first byte that is not white space is `byte`.
func startsWith(_ byte: Character, _ bytes: some Collection<UInt8>) -> Bool {
  bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == byte.asciiValue
}
