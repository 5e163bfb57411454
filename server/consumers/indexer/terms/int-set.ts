/**
 * A set of 32-bit integers with O(1) clear, for collecting the distinct grams of a block (tens of
 * thousands per block, many blocks a second: a JS Set of numbers costs several times more).
 */
export class IntSet {
  private capacity: number;
  private keys: Int32Array;
  /** A slot is occupied when its stamp equals the current generation; clear() just moves on. */
  private stamps: Uint32Array;
  private generation = 1;
  readonly values: number[] = [];

  constructor(initialBits = 12) {
    this.capacity = 1 << initialBits;
    this.keys = new Int32Array(this.capacity);
    this.stamps = new Uint32Array(this.capacity);
  }

  get size(): number {
    return this.values.length;
  }

  add(value: number): void {
    const key = value | 0;
    const mask = this.capacity - 1;
    let slot = (Math.imul(key, 0x9e3779b1) >>> 16) & mask;
    while (this.stamps[slot] === this.generation) {
      if (this.keys[slot] === key) return;
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.generation;
    this.keys[slot] = key;
    this.values.push(value >>> 0);
    if (this.values.length * 2 > this.capacity) this.grow();
  }

  clear(): void {
    this.values.length = 0;
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  private grow(): void {
    const values = this.values.slice();
    this.capacity *= 2;
    this.keys = new Int32Array(this.capacity);
    this.stamps = new Uint32Array(this.capacity);
    this.generation = 1;
    this.values.length = 0;
    for (const v of values) this.add(v);
  }
}

/**
 * The same for non-negative integers below 2^53 (a block's short words, packed 8 bits a unit): a JS Set
 * would box every number above 2^31.
 */
export class WordSet {
  private capacity: number;
  private keys: Float64Array;
  private stamps: Uint32Array;
  private generation = 1;
  readonly values: number[] = [];

  constructor(initialBits = 10) {
    this.capacity = 1 << initialBits;
    this.keys = new Float64Array(this.capacity);
    this.stamps = new Uint32Array(this.capacity);
  }

  get size(): number {
    return this.values.length;
  }

  add(value: number): void {
    const mask = this.capacity - 1;
    const low = value >>> 0;
    const high = (value / 4294967296) >>> 0;
    let slot = (Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 12) & mask;
    while (this.stamps[slot] === this.generation) {
      if (this.keys[slot] === value) return;
      slot = (slot + 1) & mask;
    }
    this.stamps[slot] = this.generation;
    this.keys[slot] = value;
    this.values.push(value);
    if (this.values.length * 2 > this.capacity) this.grow();
  }

  clear(): void {
    this.values.length = 0;
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  private grow(): void {
    const values = this.values.slice();
    this.capacity *= 2;
    this.keys = new Float64Array(this.capacity);
    this.stamps = new Uint32Array(this.capacity);
    this.generation = 1;
    this.values.length = 0;
    for (const v of values) this.add(v);
  }
}
