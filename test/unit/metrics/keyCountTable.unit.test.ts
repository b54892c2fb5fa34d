import * as assert from "assert";
import { KeyCountTable } from "../../../kernel/metrics/keyCountTable";
import { SeededRandom } from "../../../kernel/util/random/xoshiro128";

/** All (key, count) pairs of a table in increasing key order, read bucket by bucket. */
function contents(table: KeyCountTable): Array<[number, number]> {
  const slots = new Uint16Array(65536);
  const counts = new Float64Array(65536);
  const out: Array<[number, number]> = [];
  for (let high = 0; high < 65536; high++) {
    if (!table.hasBucket(high)) continue;
    const distinct = table.readBucket(high, slots, counts);
    for (let i = 0; i < distinct; i++) out.push([high * 65536 + slots[i], counts[i]]);
  }
  return out;
}

function referenceContents(counts: Map<number, number>): Array<[number, number]> {
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

describe("metrics: two-level key count table", () => {
  const random = new SeededRandom(12);

  it("counts exactly across pending lists, dense counters and carries (bytes rolling over to exactly 0)", () => {
    const table = new KeyCountTable();
    const reference = new Map<number, number>();
    const add = (key: number, times: number): void => {
      for (let i = 0; i < times; i++) table.add(key);
      reference.set(key, (reference.get(key) ?? 0) + times);
    };
    const bucket = 0xbf80 * 65536;
    // Enough keys in one bucket to flush it into dense counters several times.
    for (let i = 0; i < 60000; i++) add(bucket + random.nextInt(65536), 1);
    add(bucket + 7, 512); // byte ends at 0, all in the carry
    add(bucket + 9, 300); // byte 44 + carry 256
    add(bucket + 65535, 256 * 3 + 1);
    // A sparse bucket and the extremes of the key space.
    for (let i = 0; i < 100; i++) add(0x1234 * 65536 + random.nextInt(50), 1);
    add(0, 3);
    add(0xffffffff, 2);
    assert.deepStrictEqual(contents(table), referenceContents(reference));
    // Reading flushes pending keys: reading again must give the same counts, and so must adding after a read.
    assert.deepStrictEqual(contents(table), referenceContents(reference));
    add(bucket + 7, 1);
    assert.deepStrictEqual(contents(table), referenceContents(reference));
  });

  it("addCount and merge agree with repeated add", () => {
    const left = new KeyCountTable();
    const right = new KeyCountTable();
    const reference = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const key = (0x3f00 + random.nextInt(4)) * 65536 + random.nextInt(2000);
      const count = random.nextFloat() < 0.1 ? 1 + random.nextInt(100000) : 1 + random.nextInt(3);
      (i % 2 === 0 ? left : right).addCount(key, count);
      reference.set(key, (reference.get(key) ?? 0) + count);
    }
    left.merge(right);
    assert.deepStrictEqual(contents(left), referenceContents(reference));
  });
});
