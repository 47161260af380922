/// A growable stack that moves elements in and out, so finished values travel from the parser's stack into their
/// container without reference-counting traffic (an `Array` stack would copy each element out and then destroy it).
///
/// The owner must call ``release()`` exactly once (the parser does so in a `defer`).
struct MoveStack<Element> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 1)
    base = .allocate(capacity: self.capacity)
  }

  /// Destroys the remaining elements and frees the storage.
  func release() {
    base.deinitialize(count: count)
    base.deallocate()
  }

  @inline(__always)
  mutating func push(_ element: consuming Element) {
    if count == capacity { grow() }
    (base + count).initialize(to: element)
    count += 1
  }

  private mutating func grow() {
    let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
    bigger.moveInitialize(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity *= 2
  }

  /// The element at `offset` from the bottom, borrowed for reading.
  @inline(__always)
  subscript(offset: Int) -> Element {
    _read { yield base[offset] }
  }

  /// Moves the elements from `start` to the top out, in order, and shrinks the stack to `start`.
  mutating func popArray(from start: Int) -> [Element] {
    var elements: [Element] = []
    elements.reserveCapacity(count - start)
    for i in start..<count { elements.append((base + i).move()) }
    count = start
    return elements
  }

  /// Moves the top element out. The stack must not be empty.
  mutating func popLast() -> Element {
    precondition(count > 0, "pop from an empty stack")
    count -= 1
    return (base + count).move()
  }

  /// Moves the element at `offset` out; the caller must then shrink past it with ``forget(downTo:)``.
  @inline(__always)
  func move(at offset: Int) -> Element {
    (base + offset).move()
  }

  /// Shrinks the stack to `start` without destroying anything: the elements were moved out.
  @inline(__always)
  mutating func forget(downTo start: Int) {
    count = start
  }
}
