/**
 * Exact multiset of uint32 keys (one class of pixels) in little memory, for streaming pixel AUROC.
 *
 * Two levels: the high 16 bits of a key pick one of 65 536 buckets, the low 16 bits a slot inside it.
 * - Every key first lands in its bucket's pending list of 2-byte slots (grown by doubling up to 8 192 entries).
 *   A bucket that is rarely hit never needs more: it costs 2 bytes per sample.
 * - When a pending list is full it is flushed into the bucket's dense counters (65 536 one-byte counters, 64 KiB,
 *   created on the first flush). Flushing in batches keeps one bucket's counters hot in cache while thousands of
 *   increments land, instead of one cache miss per pixel: that is most of the speed.
 * - A one-byte counter that reaches 256 rolls over and carries 256 into a per-bucket map, so heavy ties (millions of
 *   background pixels at exactly 0) stay exact while ordinary slots cost one byte.
 * Memory is about min(2 bytes x samples, 80 KiB x buckets hit) plus carries; nothing is sorted globally and no count
 * is approximated.
 */

const BUCKET_COUNT = 65536;
const SLOT_COUNT = 65536;
/**
 * Pending entries per bucket before a flush (16 KiB): large enough to amortise the cache misses of a flush, small
 * enough that pending lists stay well below the dense counters in memory (the 1/10-of-a-sort memory target).
 */
const MAX_PENDING = 8192;
const FIRST_PENDING_CAPACITY = 16;

/**
 * Plain-data copy of a table (typed arrays and numbers only), so a worker can post it with postMessage
 * (structured clone keeps typed arrays, not class instances) and the main thread can merge it.
 */
export interface KeyCountTableState {
  /** For each non-empty bucket: its index (high 16 bits), dense counters or null, pending slots, and carries. */
  buckets: Array<{
    high: number;
    counters: Uint8Array | null;
    pending: Uint16Array;
    carrySlots: Uint16Array;
    carryCounts: Float64Array;
  }>;
}

export class KeyCountTable {
  /** Per bucket: its pending list. A direct JS array: the pixel loop reads it, and one indirection less is faster. */
  private readonly pending: (Uint16Array | undefined)[] = new Array<Uint16Array | undefined>(BUCKET_COUNT).fill(
    undefined,
  );
  private readonly pendingLength = new Uint32Array(BUCKET_COUNT);
  // Dense counters are only reached on flushes and reads: a typed index (-1 = none) into a short list saves the V8
  // heap a 65 536-element array would cost per table.
  private readonly denseIndex = new Int32Array(BUCKET_COUNT).fill(-1);
  private readonly denseCounters: Uint8Array[] = [];
  /** Per dense bucket (by high): slot -> count beyond what its byte holds (always a multiple of 256). */
  private readonly carries = new Map<number, Map<number, number>>();

  /** Counts one occurrence of key. Kept tiny so V8 inlines it into the pixel loop. */
  add(key: number): void {
    const high = key >>> 16;
    const list = this.pending[high];
    const length = this.pendingLength[high];
    if (list !== undefined && length < list.length) {
      list[length] = key & 0xffff;
      this.pendingLength[high] = length + 1;
    } else {
      this.addToFullList(high, key & 0xffff);
    }
  }

  /** Counts `count` occurrences of key at once (used when merging tables). */
  addCount(key: number, count: number): void {
    const high = key >>> 16;
    const slot = key & 0xffff;
    if (this.denseIndex[high] < 0 && this.pendingLength[high] + count <= MAX_PENDING) {
      for (let i = 0; i < count; i++) this.add(key);
      return;
    }
    const counters = this.flush(high);
    const total = counters[slot] + count;
    const kept = total % 256;
    counters[slot] = kept;
    if (total !== kept) this.carry(high, slot, total - kept);
  }

  /** Adds every key of other into this table (other's counts are unchanged). */
  merge(other: KeyCountTable): void {
    if (other === this)
      throw new Error("A key count table cannot be merged into itself; merge a copy (fromState(toState())).");
    const scratchSlots = new Uint16Array(SLOT_COUNT);
    const scratchCounts = new Float64Array(SLOT_COUNT);
    for (let high = 0; high < BUCKET_COUNT; high++) {
      if (!other.hasBucket(high)) continue;
      const distinct = other.readBucket(high, scratchSlots, scratchCounts);
      for (let i = 0; i < distinct; i++) this.addCount(high * SLOT_COUNT + scratchSlots[i], scratchCounts[i]);
    }
  }

  toState(): KeyCountTableState {
    const buckets: KeyCountTableState["buckets"] = [];
    for (let high = 0; high < BUCKET_COUNT; high++) {
      if (!this.hasBucket(high)) continue;
      const carries = this.carries.get(high) ?? new Map<number, number>();
      const dense = this.denseIndex[high];
      const pending = this.pending[high];
      buckets.push({
        high,
        counters: dense >= 0 ? this.denseCounters[dense].slice() : null,
        pending: (pending ?? new Uint16Array(0)).slice(0, this.pendingLength[high]),
        carrySlots: Uint16Array.from(carries.keys()),
        carryCounts: Float64Array.from(carries.values()),
      });
    }
    return { buckets };
  }

  static fromState(state: KeyCountTableState): KeyCountTable {
    const table = new KeyCountTable();
    for (const bucket of state.buckets) {
      if (bucket.counters !== null) {
        table.denseIndex[bucket.high] = table.denseCounters.length;
        table.denseCounters.push(Uint8Array.from(bucket.counters));
        if (bucket.carrySlots.length > 0) {
          table.carries.set(
            bucket.high,
            new Map(Array.from(bucket.carrySlots, (slot, i) => [slot, bucket.carryCounts[i]])),
          );
        }
      }
      for (const slot of bucket.pending) table.add(bucket.high * SLOT_COUNT + slot);
    }
    return table;
  }

  hasBucket(high: number): boolean {
    return this.denseIndex[high] >= 0 || this.pendingLength[high] > 0;
  }

  /**
   * Writes the bucket's distinct slots in increasing order into slots[] and their counts into counts[] (both at least
   * 65 536 long); returns how many were written. May flush pending keys into counters (counts do not change).
   */
  readBucket(high: number, slots: Uint16Array, counts: Float64Array): number {
    if (this.denseIndex[high] >= 0) return this.readDense(this.flush(high), this.carries.get(high), slots, counts);
    const length = this.pendingLength[high];
    if (length === 0) return 0;
    const sorted = (this.pending[high] as Uint16Array).slice(0, length).sort();
    let distinct = 0;
    for (let i = 0; i < length; ) {
      const slot = sorted[i];
      let j = i + 1;
      while (j < length && sorted[j] === slot) j++;
      slots[distinct] = slot;
      counts[distinct] = j - i;
      distinct++;
      i = j;
    }
    return distinct;
  }

  /** Bytes held by counters, lists and carries (an estimate of the table's own memory, for reports). */
  approximateBytes(): number {
    let bytes = this.pendingLength.byteLength + this.denseIndex.byteLength;
    bytes += this.denseCounters.length * SLOT_COUNT;
    for (const list of this.pending) if (list !== undefined) bytes += list.byteLength;
    for (const carries of this.carries.values()) bytes += carries.size * 16;
    return bytes;
  }

  private readDense(
    counters: Uint8Array,
    carries: Map<number, number> | undefined,
    slots: Uint16Array,
    counts: Float64Array,
  ): number {
    let distinct = 0;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (counters[slot] === 0) continue;
      slots[distinct] = slot;
      counts[distinct] = counters[slot];
      distinct++;
    }
    if (carries === undefined) return distinct;
    // Few slots carry (heavy ties only): add their carries, inserting slots whose byte rolled over to exactly 0.
    let extra = 0;
    for (const [slot, carried] of carries) {
      if (counters[slot] !== 0) {
        counts[lowerBound(slots, distinct, slot)] += carried;
      } else {
        slots[distinct + extra] = slot;
        counts[distinct + extra] = carried;
        extra++;
      }
    }
    return extra === 0 ? distinct : sortPairs(slots, counts, distinct + extra);
  }

  /** The pending list is missing or full: create it, grow it, or flush it. */
  private addToFullList(high: number, slot: number): void {
    const list = this.pending[high];
    if (list === undefined) {
      this.pending[high] = new Uint16Array(FIRST_PENDING_CAPACITY);
    } else if (list.length < MAX_PENDING) {
      const grown = new Uint16Array(2 * list.length);
      grown.set(list);
      this.pending[high] = grown;
    } else {
      this.flush(high);
    }
    const length = this.pendingLength[high];
    (this.pending[high] as Uint16Array)[length] = slot;
    this.pendingLength[high] = length + 1;
  }

  /** Moves the bucket's pending keys into its dense counters (created on first use) and returns the counters. */
  private flush(high: number): Uint8Array {
    if (this.denseIndex[high] < 0) {
      this.denseIndex[high] = this.denseCounters.length;
      this.denseCounters.push(new Uint8Array(SLOT_COUNT));
    }
    const counters = this.denseCounters[this.denseIndex[high]];
    const length = this.pendingLength[high];
    if (length === 0) return counters;
    const list = this.pending[high] as Uint16Array;
    for (let i = 0; i < length; i++) {
      const slot = list[i];
      const next = counters[slot] + 1;
      if (next === 256) {
        counters[slot] = 0;
        this.carry(high, slot, 256);
      } else {
        counters[slot] = next;
      }
    }
    this.pendingLength[high] = 0;
    return counters;
  }

  private carry(high: number, slot: number, amount: number): void {
    let carries = this.carries.get(high);
    if (carries === undefined) {
      carries = new Map();
      this.carries.set(high, carries);
    }
    carries.set(slot, (carries.get(slot) ?? 0) + amount);
  }
}

/** First index i < length with sorted[i] >= value. */
function lowerBound(sorted: Uint16Array, length: number, value: number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Sorts the first `length` (slot, count) pairs by slot (slots are distinct); returns length. */
function sortPairs(slots: Uint16Array, counts: Float64Array, length: number): number {
  const order = Array.from({ length }, (_, i) => i).sort((a, b) => slots[a] - slots[b]);
  const sortedSlots = order.map((i) => slots[i]);
  const sortedCounts = order.map((i) => counts[i]);
  slots.set(sortedSlots);
  counts.set(sortedCounts);
  return length;
}
