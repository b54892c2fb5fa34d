import * as assert from "assert";
import { Rng } from "../../../kernel/util/random/rng";

describe("Rng", () => {
  it("repeats its stream for a seed and differs between seeds", () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.next())(new Rng(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.next())(new Rng(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.next())(new Rng(43)));
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a, c);
    assert.ok(a.every((v) => v >= 0 && v < 1));
  });

  it("draws integers in the inclusive range, distinct samples, and roughly standard normals", () => {
    const r = new Rng(1);
    const ints = Array.from({ length: 2000 }, () => r.int(2, 5));
    assert.deepStrictEqual([...new Set(ints)].sort(), [2, 3, 4, 5]);
    const s = r.sample([1, 2, 3, 4, 5, 6], 6);
    assert.deepStrictEqual([...s].sort(), [1, 2, 3, 4, 5, 6]);
    assert.throws(() => r.sample([1], 2), /cannot draw 2 distinct items from 1/);
    const n = Array.from({ length: 4000 }, () => r.normal());
    const mean = n.reduce((x, y) => x + y) / n.length;
    const sd = Math.sqrt(n.reduce((x, y) => x + (y - mean) ** 2, 0) / n.length);
    assert.ok(Math.abs(mean) < 0.06 && Math.abs(sd - 1) < 0.06, `${mean} ${sd}`);
  });
});
