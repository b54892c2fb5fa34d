/**
 * Exact multiset of uint32 keys (one class of pixels) in little memory, for streaming pixel AUROC.
 *
 * Two levels: the high 16 bits of a key pick one of 65 536 buckets, the low 16 bits a slot inside it. A bucket starts
 * sparse (a growing list of its 2-byte low halves, so a rarely hit bucket costs 2 bytes per sample) and becomes dense
 * (65 536 one-byte counters = 64 KiB) once the list would outgrow that. Dense counters that reach 256 roll over and
 * carry the 256 into a per-bucket map, so heavy ties (millions of background pixels at exactly 0) stay exact while
 * ordinary slots cost one byte. Memory is thus at most about min(2 bytes x samples, 64 KiB x buckets hit) plus the
 * carries; nothing is ever sorted globally and no count is approximated.
 */

const BUCKET_COUNT = 65536;
const SLOT_COUNT = 65536;
/** A sparse list of this many 2-byte entries is as large as a dense bucket: past it, dense is cheaper. */
const SPARSE_LIMIT = SLOT_COUNT / 2;
const FIRST_SPARSE_CAPACITY = 16;

export class KeyCountTable {
  private readonly dense: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(BUCKET_COUNT).fill(undefined);
  /** Per dense bucket: slot -> count beyond what its byte holds (always a multiple of 256). */
  private readonly carries: (Map<number, number> | undefined)[] = new Array<Map<number, number> | undefined>(BUCKET_COUNT).fill(undefined);
  private readonly sparse: (Uint16Array | undefined)[] = new Array<Uint16Array | undefined>(BUCKET_COUNT).fill(undefined);
  private readonly sparseLength = new Uint32Array(BUCKET_COUNT);

  /** Counts one occurrence of key. Kept tiny so V8 inlines it into the pixel loop. */
  add(key: number): void {
    const high = key >>> 16;
    const counters = this.dense[high];
    if (counters === undefined) {
      this.addSparse(high, key & 0xffff);
      return;
    }
    const slot = key & 0xffff;
    const next = counters[slot] + 1;
    if (next === 256) {
      counters[slot] = 0;
      this.carry(high, slot, 256);
    } else {
      counters[slot] = next;
    }
  }

  /** Counts `count` occurrences of key at once (used when merging tables). */
  addCount(key: number, count: number): void {
    const high = key >>> 16;
    const slot = key & 0xffff;
    if (this.dense[high] === undefined && this.sparseLength[high] + count <= SPARSE_LIMIT) {
      for (let i = 0; i < count; i++) this.addSparse(high, slot);
      return;
    }
    const counters = this.makeDense(high);
    const total = counters[slot] + count;
    const kept = total % 256;
    counters[slot] = kept;
    if (total !== kept) this.carry(high, slot, total - kept);
  }

  /** Adds every key of other into this table (other is unchanged). */
  merge(other: KeyCountTable): void {
    const scratchSlots = new Uint16Array(SLOT_COUNT);
    const scratchCounts = new Float64Array(SLOT_COUNT);
    for (let high = 0; high < BUCKET_COUNT; high++) {
      if (!other.hasBucket(high)) continue;
      const distinct = other.readBucket(high, scratchSlots, scratchCounts);
      for (let i = 0; i < distinct; i++) this.addCount(high * SLOT_COUNT + scratchSlots[i], scratchCounts[i]);
    }
  }

  hasBucket(high: number): boolean {
    return this.dense[high] !== undefined || this.sparseLength[high] > 0;
  }

  /**
   * Writes the bucket's distinct slots in increasing order into slots[] and their counts into counts[] (both at least
   * 65 536 long); returns how many were written.
   */
  readBucket(high: number, slots: Uint16Array, counts: Float64Array): number {
    const counters = this.dense[high];
    if (counters !== undefined) return this.readDense(counters, this.carries[high], slots, counts);
    const length = this.sparseLength[high];
    if (length === 0) return 0;
    const sorted = (this.sparse[high] as Uint16Array).slice(0, length).sort();
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
    let bytes = 0;
    for (let high = 0; high < BUCKET_COUNT; high++) {
      if (this.dense[high] !== undefined) bytes += SLOT_COUNT;
      const list = this.sparse[high];
      if (list !== undefined) bytes += list.byteLength;
      const carries = this.carries[high];
      if (carries !== undefined) bytes += carries.size * 16;
    }
    return bytes;
  }

  private readDense(counters: Uint8Array, carries: Map<number, number> | undefined, slots: Uint16Array, counts: Float64Array): number {
    let distinct = 0;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const carried = carries === undefined ? 0 : carries.get(slot) ?? 0;
      const count = counters[slot] + carried;
      if (count === 0) continue;
      slots[distinct] = slot;
      counts[distinct] = count;
      distinct++;
    }
    return distinct;
  }

  private addSparse(high: number, slot: number): void {
    let list = this.sparse[high];
    const length = this.sparseLength[high];
    if (list === undefined) {
      list = new Uint16Array(FIRST_SPARSE_CAPACITY);
      this.sparse[high] = list;
    } else if (length === list.length) {
      if (length >= SPARSE_LIMIT) {
        this.makeDense(high);
        this.add(high * SLOT_COUNT + slot);
        return;
      }
      const grown = new Uint16Array(Math.min(2 * length, SPARSE_LIMIT));
      grown.set(list);
      list = grown;
      this.sparse[high] = list;
    }
    list[length] = slot;
    this.sparseLength[high] = length + 1;
  }

  /** Returns the bucket's dense counters, converting its sparse list first if needed. */
  private makeDense(high: number): Uint8Array {
    const existing = this.dense[high];
    if (existing !== undefined) return existing;
    const counters = new Uint8Array(SLOT_COUNT);
    this.dense[high] = counters;
    const list = this.sparse[high];
    const length = this.sparseLength[high];
    this.sparse[high] = undefined;
    this.sparseLength[high] = 0;
    for (let i = 0; i < length; i++) this.add(high * SLOT_COUNT + (list as Uint16Array)[i]);
    return counters;
  }

  private carry(high: number, slot: number, amount: number): void {
    let carries = this.carries[high];
    if (carries === undefined) {
      carries = new Map();
      this.carries[high] = carries;
    }
    carries.set(slot, (carries.get(slot) ?? 0) + amount);
  }
}
