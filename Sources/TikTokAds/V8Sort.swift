/// The TimSort of V8 (`third_party/v8/builtins/array-sort.tq`), over indices, with a comparator that returns a
/// JavaScript number. As in the specification's SortCompare, a NaN result counts as 0 (equal); V8 then only asks
/// `order < 0` or `order >= 0`. Kept line for line with V8 so that inconsistent comparators (R18) give V8's order.
struct TimSort {
  private(set) var array: [Int]
  private let compareFn: (Int, Int) -> Double
  private var minGallop = 7
  private var runBase: [Int] = []
  private var runLength: [Int] = []
  private static let minGallopWins = 7

  init(array: [Int], compare: @escaping (Int, Int) -> Double) {
    self.array = array
    self.compareFn = compare
  }

  private func compare(_ x: Int, _ y: Int) -> Double {
    let v = compareFn(x, y)
    return v.isNaN ? 0 : v
  }

  mutating func run() {
    let length = array.count
    if length < 2 { return }
    var remaining = length
    var low = 0
    let minRun = Self.minRunLength(remaining)
    while remaining != 0 {
      var current = countAndMakeRun(low, low + remaining)
      if current < minRun {
        let forced = Swift.min(minRun, remaining)
        binaryInsertionSort(low, low + current, low + forced)
        current = forced
      }
      runBase.append(low)
      runLength.append(current)
      mergeCollapse()
      low += current
      remaining -= current
    }
    mergeForceCollapse()
  }

  private static func minRunLength(_ nArg: Int) -> Int {
    var n = nArg
    var r = 0
    while n >= 64 {
      r |= n & 1
      n >>= 1
    }
    return n + r
  }

  private mutating func countAndMakeRun(_ lowArg: Int, _ high: Int) -> Int {
    let low = lowArg + 1
    if low == high { return 1 }
    var runLength = 2
    var previous = array[low]
    let isDescending = compare(array[low], array[low - 1]) < 0
    var idx = low + 1
    while idx < high {
      let current = array[idx]
      let order = compare(current, previous)
      if isDescending ? order >= 0 : order < 0 { break }
      previous = current
      runLength += 1
      idx += 1
    }
    if isDescending { array[lowArg..<(lowArg + runLength)].reverse() }
    return runLength
  }

  private mutating func binaryInsertionSort(_ low: Int, _ startArg: Int, _ high: Int) {
    var start = low == startArg ? startArg + 1 : startArg
    while start < high {
      var left = low
      var right = start
      let pivot = array[start]
      while left < right {
        let mid = left + ((right - left) >> 1)
        if compare(pivot, array[mid]) < 0 { right = mid } else { left = mid + 1 }
      }
      var p = start
      while p > left {
        array[p] = array[p - 1]
        p -= 1
      }
      array[left] = pivot
      start += 1
    }
  }

  private func invariantHolds(_ n: Int) -> Bool {
    if n < 2 { return true }
    return runLength[n - 2] > runLength[n - 1] + runLength[n]
  }

  private mutating func mergeCollapse() {
    while runLength.count > 1 {
      var n = runLength.count - 2
      if !invariantHolds(n + 1) || !invariantHolds(n) {
        if runLength[n - 1] < runLength[n + 1] { n -= 1 }
        mergeAt(n)
      } else if runLength[n] <= runLength[n + 1] {
        mergeAt(n)
      } else {
        break
      }
    }
  }

  private mutating func mergeForceCollapse() {
    while runLength.count > 1 {
      var n = runLength.count - 2
      if n > 0 && runLength[n - 1] < runLength[n + 1] { n -= 1 }
      mergeAt(n)
    }
  }

  private mutating func mergeAt(_ i: Int) {
    var baseA = runBase[i]
    var lengthA = runLength[i]
    let baseB = runBase[i + 1]
    var lengthB = runLength[i + 1]
    runLength[i] = lengthA + lengthB
    runBase.remove(at: i + 1)
    runLength.remove(at: i + 1)
    let k = Self.gallopRight(array, array[baseB], baseA, lengthA, 0, compare)
    baseA += k
    lengthA -= k
    if lengthA == 0 { return }
    lengthB = Self.gallopLeft(array, array[baseA + lengthA - 1], baseB, lengthB, lengthB - 1, compare)
    if lengthB == 0 { return }
    if lengthA <= lengthB {
      mergeLow(baseA, lengthA, baseB, lengthB)
    } else {
      mergeHigh(baseA, lengthA, baseB, lengthB)
    }
  }

  private mutating func mergeLow(_ baseA: Int, _ lengthAArg: Int, _ baseB: Int, _ lengthBArg: Int) {
    var lengthA = lengthAArg
    var lengthB = lengthBArg
    let temp = Array(array[baseA..<(baseA + lengthA)])
    var dest = baseA
    var cursorTemp = 0
    var cursorB = baseB
    array[dest] = array[cursorB]
    dest += 1
    cursorB += 1
    enum Exit { case succeed, copyB }
    let exit: Exit = {
      lengthB -= 1
      if lengthB == 0 { return .succeed }
      if lengthA == 1 { return .copyB }
      var minGallop = self.minGallop
      while true {
        var winsA = 0
        var winsB = 0
        while true {
          if compare(array[cursorB], temp[cursorTemp]) < 0 {
            array[dest] = array[cursorB]
            dest += 1
            cursorB += 1
            winsB += 1
            lengthB -= 1
            winsA = 0
            if lengthB == 0 { return .succeed }
            if winsB >= minGallop { break }
          } else {
            array[dest] = temp[cursorTemp]
            dest += 1
            cursorTemp += 1
            winsA += 1
            lengthA -= 1
            winsB = 0
            if lengthA == 1 { return .copyB }
            if winsA >= minGallop { break }
          }
        }
        minGallop += 1
        var first = true
        while winsA >= Self.minGallopWins || winsB >= Self.minGallopWins || first {
          first = false
          minGallop = Swift.max(1, minGallop - 1)
          self.minGallop = minGallop
          winsA = Self.gallopRight(temp, array[cursorB], cursorTemp, lengthA, 0, compare)
          if winsA > 0 {
            for j in 0..<winsA { array[dest + j] = temp[cursorTemp + j] }
            dest += winsA
            cursorTemp += winsA
            lengthA -= winsA
            if lengthA == 1 { return .copyB }
            if lengthA == 0 { return .succeed }
          }
          array[dest] = array[cursorB]
          dest += 1
          cursorB += 1
          lengthB -= 1
          if lengthB == 0 { return .succeed }
          winsB = Self.gallopLeft(array, temp[cursorTemp], cursorB, lengthB, 0, compare)
          if winsB > 0 {
            for j in 0..<winsB { array[dest + j] = array[cursorB + j] }
            dest += winsB
            cursorB += winsB
            lengthB -= winsB
            if lengthB == 0 { return .succeed }
          }
          array[dest] = temp[cursorTemp]
          dest += 1
          cursorTemp += 1
          lengthA -= 1
          if lengthA == 1 { return .copyB }
        }
        minGallop += 1
        self.minGallop = minGallop
      }
    }()
    switch exit {
    case .succeed:
      for j in 0..<lengthA { array[dest + j] = temp[cursorTemp + j] }
    case .copyB:
      for j in 0..<lengthB { array[dest + j] = array[cursorB + j] }
      array[dest + lengthB] = temp[cursorTemp]
    }
  }

  private mutating func mergeHigh(_ baseA: Int, _ lengthAArg: Int, _ baseB: Int, _ lengthBArg: Int) {
    var lengthA = lengthAArg
    var lengthB = lengthBArg
    let temp = Array(array[baseB..<(baseB + lengthB)])
    var dest = baseB + lengthB - 1
    var cursorTemp = lengthB - 1
    var cursorA = baseA + lengthA - 1
    array[dest] = array[cursorA]
    dest -= 1
    cursorA -= 1
    enum Exit { case succeed, copyA }
    let exit: Exit = {
      lengthA -= 1
      if lengthA == 0 { return .succeed }
      if lengthB == 1 { return .copyA }
      var minGallop = self.minGallop
      while true {
        var winsA = 0
        var winsB = 0
        while true {
          if compare(temp[cursorTemp], array[cursorA]) < 0 {
            array[dest] = array[cursorA]
            dest -= 1
            cursorA -= 1
            winsA += 1
            lengthA -= 1
            winsB = 0
            if lengthA == 0 { return .succeed }
            if winsA >= minGallop { break }
          } else {
            array[dest] = temp[cursorTemp]
            dest -= 1
            cursorTemp -= 1
            winsB += 1
            lengthB -= 1
            winsA = 0
            if lengthB == 1 { return .copyA }
            if winsB >= minGallop { break }
          }
        }
        minGallop += 1
        var first = true
        while winsA >= Self.minGallopWins || winsB >= Self.minGallopWins || first {
          first = false
          minGallop = Swift.max(1, minGallop - 1)
          self.minGallop = minGallop
          var k = Self.gallopRight(array, temp[cursorTemp], baseA, lengthA, lengthA - 1, compare)
          winsA = lengthA - k
          if winsA > 0 {
            dest -= winsA
            cursorA -= winsA
            for j in stride(from: winsA - 1, through: 0, by: -1) { array[dest + 1 + j] = array[cursorA + 1 + j] }
            lengthA -= winsA
            if lengthA == 0 { return .succeed }
          }
          array[dest] = temp[cursorTemp]
          dest -= 1
          cursorTemp -= 1
          lengthB -= 1
          if lengthB == 1 { return .copyA }
          k = Self.gallopLeft(temp, array[cursorA], 0, lengthB, lengthB - 1, compare)
          winsB = lengthB - k
          if winsB > 0 {
            dest -= winsB
            cursorTemp -= winsB
            for j in 0..<winsB { array[dest + 1 + j] = temp[cursorTemp + 1 + j] }
            lengthB -= winsB
            if lengthB == 1 { return .copyA }
            if lengthB == 0 { return .succeed }
          }
          array[dest] = array[cursorA]
          dest -= 1
          cursorA -= 1
          lengthA -= 1
          if lengthA == 0 { return .succeed }
        }
        minGallop += 1
        self.minGallop = minGallop
      }
    }()
    switch exit {
    case .succeed:
      if lengthB > 0 { for j in 0..<lengthB { array[dest - (lengthB - 1) + j] = temp[j] } }
    case .copyA:
      dest -= lengthA
      cursorA -= lengthA
      for j in stride(from: lengthA - 1, through: 0, by: -1) { array[dest + 1 + j] = array[cursorA + 1 + j] }
      array[dest] = temp[cursorTemp]
    }
  }

  private static func gallopLeft(
    _ a: [Int], _ key: Int, _ base: Int, _ length: Int, _ hint: Int, _ compare: (Int, Int) -> Double
  ) -> Int {
    var lastOfs = 0
    var offset = 1
    if compare(a[base + hint], key) < 0 {
      let maxOfs = length - hint
      while offset < maxOfs {
        if compare(a[base + hint + offset], key) >= 0 { break }
        lastOfs = offset
        offset = (offset << 1) + 1
      }
      if offset > maxOfs { offset = maxOfs }
      lastOfs += hint
      offset += hint
    } else {
      let maxOfs = hint + 1
      while offset < maxOfs {
        if compare(a[base + hint - offset], key) < 0 { break }
        lastOfs = offset
        offset = (offset << 1) + 1
      }
      if offset > maxOfs { offset = maxOfs }
      let tmp = lastOfs
      lastOfs = hint - offset
      offset = hint - tmp
    }
    lastOfs += 1
    while lastOfs < offset {
      let m = lastOfs + ((offset - lastOfs) >> 1)
      if compare(a[base + m], key) < 0 { lastOfs = m + 1 } else { offset = m }
    }
    return offset
  }

  private static func gallopRight(
    _ a: [Int], _ key: Int, _ base: Int, _ length: Int, _ hint: Int, _ compare: (Int, Int) -> Double
  ) -> Int {
    var lastOfs = 0
    var offset = 1
    if compare(key, a[base + hint]) < 0 {
      let maxOfs = hint + 1
      while offset < maxOfs {
        if compare(key, a[base + hint - offset]) >= 0 { break }
        lastOfs = offset
        offset = (offset << 1) + 1
      }
      if offset > maxOfs { offset = maxOfs }
      let tmp = lastOfs
      lastOfs = hint - offset
      offset = hint - tmp
    } else {
      let maxOfs = length - hint
      while offset < maxOfs {
        if compare(key, a[base + hint + offset]) < 0 { break }
        lastOfs = offset
        offset = (offset << 1) + 1
      }
      if offset > maxOfs { offset = maxOfs }
      lastOfs += hint
      offset += hint
    }
    lastOfs += 1
    while lastOfs < offset {
      let m = lastOfs + ((offset - lastOfs) >> 1)
      if compare(key, a[base + m]) < 0 { offset = m } else { lastOfs = m + 1 }
    }
    return offset
  }
}
