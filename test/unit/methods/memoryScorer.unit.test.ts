// The ONNX Runtime nearest-neighbour search gives the memory branch's distances (vs the reference and vs branches.ts).
import * as assert from "assert";
import { buildMemoryBank, memoryDistances } from "../../../kernel/methods/branches";
import { createMemoryScorer } from "../../../kernel/methods/memoryScorer";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const TOKENS = 50;
const DIM = 32;

describe("methods/memoryScorer: ORT MatMul + ReduceMax memory search", () => {
  it("test_0 tap 2 vs few_seg_dist_test0 and vs the float64 TypeScript search", async function () {
    const mvfa = readRef("mvfa.safetensors");
    try {
      const mem = mvfa.readFloat64("seg_mem_tap2_f64").data;
      const bank = buildMemoryBank([mem.subarray(0, TOKENS * DIM), mem.subarray(TOKENS * DIM)], DIM, true);
      const tokens = { data: mvfa.readFloat64("seg_med_tap2_f64").data.subarray(0, TOKENS * DIM), dim: DIM, grid: 7 };
      const scorer = await createMemoryScorer(bank);
      try {
        const fast = await scorer.distances(tokens);
        const dRef = compare(fast, mvfa.readFloat64("few_seg_dist_test0_f64").data.subarray(0, 49));
        const dJs = compare(fast, memoryDistances(tokens, bank), 0, 1e-6);
        this.test!.title += ` — vs reference ${fmt(dRef)}; vs TS ${fmt(dJs)}`;
        assert.ok(dRef.ok && dJs.ok);
        await assert.rejects(scorer.distances({ ...tokens, dim: 16 }), /does not match/);
      } finally {
        await scorer.release();
      }
    } finally {
      mvfa.close();
    }
  });
});
