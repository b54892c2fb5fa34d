// `npm run bench:realsize`: the real ViT-L/14-336 size on this machine. Builds (once, in --dir) a random checkpoint
// with the exact openai/clip-vit-large-patch14-336 config and Hugging Face tensor names in float16, including the
// int64 position_ids buffers real HF files carry, then runs each phase in its own child process so the peak RSS is
// per phase: hashing the weights (the model identity), zero-shot on 16 demo images, MVFA with 4 shots for 1 epoch
// plus 8 test images. Prints wall time and peak RSS per phase. Random weights: the metrics mean nothing.
// Flags: --dir DIR (default $TMPDIR/medad-realsize-vitl14-336), --phases hash,zero-shot,mvfa.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshotInProcess } from "../kernel/api";
import { sha256File } from "../kernel/methods/modelHash";
import { clipBpeDir } from "../kernel/models/demoModel";
import { writeFileAtomic } from "../kernel/util/atomicWrite";
import { arg } from "./args";

const V = { hidden: 1024, inter: 4096, layers: 24, heads: 16, image: 336, patch: 14 };
const T = { hidden: 768, inter: 3072, layers: 12, heads: 12, vocab: 49408, ctx: 77 };
const PROJ = 768;
const TOKENS = (V.image / V.patch) ** 2 + 1;

const CONFIG = {
  architectures: ["CLIPModel"],
  model_type: "clip",
  projection_dim: PROJ,
  logit_scale_init_value: 2.6592,
  torch_dtype: "float16",
  text_config: {
    model_type: "clip_text_model",
    hidden_size: T.hidden,
    intermediate_size: T.inter,
    num_hidden_layers: T.layers,
    num_attention_heads: T.heads,
    vocab_size: T.vocab,
    max_position_embeddings: T.ctx,
    hidden_act: "quick_gelu",
    layer_norm_eps: 1e-5,
    projection_dim: PROJ,
    bos_token_id: 49406,
    eos_token_id: 49407,
    pad_token_id: 1,
  },
  vision_config: {
    model_type: "clip_vision_model",
    hidden_size: V.hidden,
    intermediate_size: V.inter,
    num_hidden_layers: V.layers,
    num_attention_heads: V.heads,
    image_size: V.image,
    patch_size: V.patch,
    num_channels: 3,
    hidden_act: "quick_gelu",
    layer_norm_eps: 1e-5,
    projection_dim: PROJ,
  },
  medad_note: "random weights (npm run bench:realsize)",
};

type Spec = [name: string, shape: number[], kind: "w" | "one" | "ids"];

function tensorList(): Spec[] {
  const out: Spec[] = [];
  const block = (p: string, d: number, m: number) => {
    for (const n of ["q_proj", "k_proj", "v_proj", "out_proj"])
      out.push([`${p}.self_attn.${n}.weight`, [d, d], "w"], [`${p}.self_attn.${n}.bias`, [d], "w"]);
    out.push([`${p}.layer_norm1.weight`, [d], "one"], [`${p}.layer_norm1.bias`, [d], "w"]);
    out.push(
      [`${p}.mlp.fc1.weight`, [m, d], "w"],
      [`${p}.mlp.fc1.bias`, [m], "w"],
      [`${p}.mlp.fc2.weight`, [d, m], "w"],
      [`${p}.mlp.fc2.bias`, [d], "w"],
    );
    out.push([`${p}.layer_norm2.weight`, [d], "one"], [`${p}.layer_norm2.bias`, [d], "w"]);
  };
  out.push(["logit_scale", [], "w"]);
  out.push(["text_model.embeddings.position_embedding.weight", [T.ctx, T.hidden], "w"]);
  out.push(["text_model.embeddings.position_ids", [1, T.ctx], "ids"]);
  out.push(["text_model.embeddings.token_embedding.weight", [T.vocab, T.hidden], "w"]);
  for (let i = 0; i < T.layers; i++) block(`text_model.encoder.layers.${i}`, T.hidden, T.inter);
  out.push(
    ["text_model.final_layer_norm.weight", [T.hidden], "one"],
    ["text_model.final_layer_norm.bias", [T.hidden], "w"],
  );
  out.push(["text_projection.weight", [PROJ, T.hidden], "w"]);
  out.push(["vision_model.embeddings.class_embedding", [V.hidden], "w"]);
  out.push(["vision_model.embeddings.patch_embedding.weight", [V.hidden, 3, V.patch, V.patch], "w"]);
  out.push(["vision_model.embeddings.position_embedding.weight", [TOKENS, V.hidden], "w"]);
  out.push(["vision_model.embeddings.position_ids", [1, TOKENS], "ids"]);
  for (let i = 0; i < V.layers; i++) block(`vision_model.encoder.layers.${i}`, V.hidden, V.inter);
  out.push(
    ["vision_model.post_layernorm.weight", [V.hidden], "one"],
    ["vision_model.post_layernorm.bias", [V.hidden], "w"],
  );
  out.push(
    ["vision_model.pre_layrnorm.weight", [V.hidden], "one"],
    ["vision_model.pre_layrnorm.bias", [V.hidden], "w"],
  );
  out.push(["visual_projection.weight", [PROJ, V.hidden], "w"]);
  return out;
}

/** Streams the safetensors file: random float16 values of magnitude 2^-6…2^-4 (xorshift32), ones for norms. */
function buildCheckpoint(dir: string): void {
  const file = path.join(dir, "model.safetensors");
  if (fs.existsSync(file)) return;
  fs.mkdirSync(dir, { recursive: true });
  const specs = tensorList();
  const header: Record<string, unknown> = { __metadata__: { format: "pt", note: CONFIG.medad_note } };
  let offset = 0;
  for (const [name, shape, kind] of specs) {
    const n = shape.reduce((a, b) => a * b, 1) * (kind === "ids" ? 8 : 2);
    header[name] = { dtype: kind === "ids" ? "I64" : "F16", shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + json.length) % 8)) % 8);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeSync(fd, len);
  fs.writeSync(fd, json);
  let s = 0x9e3779b9;
  for (const [, shape, kind] of specs) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (kind === "ids") {
      fs.writeSync(fd, new Uint8Array(BigInt64Array.from({ length: count }, (_, i) => BigInt(i)).buffer));
      continue;
    }
    const out = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      out[i] =
        kind === "one" ? 0x3c00 : ((s & 0x8000) | ((9 + ((s >>> 16) & 1)) << 10) | ((s >>> 20) & 0x3ff)) & 0xffff;
    }
    fs.writeSync(fd, new Uint8Array(out.buffer));
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  writeFileAtomic(path.join(dir, "config.json"), JSON.stringify(CONFIG, null, 2) + "\n");
  for (const f of ["vocab.json", "merges.txt"]) fs.copyFileSync(path.join(clipBpeDir(), f), path.join(dir, f));
}

async function phase(name: string, dir: string): Promise<void> {
  const t0 = Date.now();
  let detail = "";
  if (name === "hash") {
    const bytes = fs.statSync(path.join(dir, "model.safetensors")).size;
    // A fresh digest folder, so the phase measures the digest and not the remembered one.
    sha256File(path.join(dir, "model.safetensors"), fs.mkdtempSync(path.join(os.tmpdir(), "medad-digest-")));
    detail = `${(bytes / 2 ** 30).toFixed(2)} GiB at ${(bytes / 2 ** 20 / ((Date.now() - t0) / 1000)).toFixed(0)} MiB/s`;
  } else if (name === "zero-shot") {
    const r = await fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "zero-shot",
      shots: 0,
      model: dir,
      maxTestImages: 16,
      featureCache: false,
    });
    detail = `${r.test.evaluated} test images at ${r.model.imageSize} px`;
  } else if (name === "mvfa") {
    const r = await fewshotInProcess({
      dataset: demoDatasetPath(),
      method: "mvfa",
      shots: 4,
      model: dir,
      maxTestImages: 8,
      featureCache: false,
      options: { epochs: 1 },
    });
    detail = `${r.settings.stepsRun ?? "?"} steps, ${r.test.evaluated} test images at ${r.model.imageSize} px`;
  } else {
    throw new Error(`unknown phase ${name}`);
  }
  const rssGiB = process.resourceUsage().maxRSS / 2 ** 20;
  console.log(JSON.stringify({ phase: name, seconds: (Date.now() - t0) / 1000, rssGiB, detail }));
}

async function main(): Promise<void> {
  const dir = arg("dir", path.join(os.tmpdir(), "medad-realsize-vitl14-336"));
  const child = arg("phase", "");
  if (child) return phase(child, dir);
  const t0 = Date.now();
  buildCheckpoint(dir);
  const bytes = fs.statSync(path.join(dir, "model.safetensors")).size;
  console.log(
    `checkpoint ${dir}: ${(bytes / 2 ** 30).toFixed(2)} GiB float16, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log("| Phase | Wall (s) | Peak RSS (GiB) | Detail |\n|---|---|---|---|");
  for (const name of arg("phases", "hash,zero-shot,mvfa").split(",")) {
    const out = execFileSync(process.execPath, [__filename, "--phase", name, "--dir", dir], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as {
      phase: string;
      seconds: number;
      rssGiB: number;
      detail: string;
    };
    console.log(`| ${r.phase} | ${r.seconds.toFixed(1)} | ${r.rssGiB.toFixed(2)} | ${r.detail} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
