/**
 * CLIP's BPE tokenizer (OpenAI / open_clip `SimpleTokenizer` semantics) built from a Hugging Face `vocab.json` and
 * `merges.txt`. `tokenize` produces the [n, context] id matrix the text encoder takes: SOT, tokens, EOT, then
 * zero padding; a text that does not fit is cut and its last kept slot becomes EOT, as open_clip does.
 */
import * as fs from "fs";
import * as path from "path";
import { BytePairEncoder, END_OF_WORD, parseMerges } from "./bpe";
import { fromByteAlphabet, toByteAlphabet } from "./byteUnicode";
import { cleanText } from "./textClean";
import { packageRoot } from "../util/packageRoot";

export const START_OF_TEXT = "<|startoftext|>";
export const END_OF_TEXT = "<|endoftext|>";
export const DEFAULT_CONTEXT_LENGTH = 77;

// Pre-tokeniser of the reference: the two special tokens, English contractions, letter runs, single digits, and
// runs of anything else that is not whitespace. `\s` of Python's `regex` module is the White_Space property.
const preTokenPattern =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\p{White_Space}\p{L}\p{N}]+/gu;

/** Token ids of a batch, row-major [rows, contextLength]; `toInt64` gives the int64 form ONNX inputs use. */
export interface TokenBatch {
  readonly ids: Int32Array;
  readonly dims: readonly [number, number];
}

export interface TokenizeOptions {
  /** Slots per row, SOT and EOT included (77 for CLIP). */
  contextLength?: number;
  /** Cut texts that do not fit (last slot = EOT, open_clip); false makes them an error (OpenAI clip default). */
  truncate?: boolean;
}

export class ClipTokenizer {
  readonly sotId: number;
  readonly eotId: number;
  private readonly bpe: BytePairEncoder;
  private idToToken: string[] | undefined;

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    merges: ReadonlyMap<string, number>,
  ) {
    const sot = vocab.get(START_OF_TEXT);
    const eot = vocab.get(END_OF_TEXT);
    if (sot === undefined || eot === undefined) {
      throw new Error(`vocab.json lacks ${START_OF_TEXT} or ${END_OF_TEXT}: is it a CLIP vocabulary?`);
    }
    this.sotId = sot;
    this.eotId = eot;
    this.bpe = new BytePairEncoder(merges);
  }

  /** Parses the texts of `vocab.json` and `merges.txt`. `source` names them in errors. */
  static fromStrings(vocabJson: string, mergesTxt: string, source = "tokenizer"): ClipTokenizer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(vocabJson);
    } catch (err) {
      throw new Error(`${source}/vocab.json is not valid JSON (${(err as Error).message}); download it again`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${source}/vocab.json must be an object mapping token to id`);
    }
    const vocab = new Map<string, number>();
    for (const [token, id] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof id !== "number" || !Number.isInteger(id))
        throw new Error(`${source}/vocab.json: id of ${JSON.stringify(token)} is not an integer`);
      vocab.set(token, id);
    }
    // The reference keeps exactly vocab - 256 bytes - 256 bytes+</w> - 2 specials merges, so a full OpenAI
    // merges file (longer than the vocabulary needs) is cut to the same length.
    const mergeLimit = Math.max(0, vocab.size - 512 - 2);
    let merges: Map<string, number>;
    try {
      merges = parseMerges(mergesTxt, mergeLimit);
    } catch (err) {
      throw new Error(`${source}/${(err as Error).message}`);
    }
    return new ClipTokenizer(vocab, merges);
  }

  /** Loads `vocab.json` and `merges.txt` from a model folder (e.g. the download cache). */
  static fromDirectory(dir: string): ClipTokenizer {
    // open_clip / timm repos and OpenAI .pt files ship no tokenizer: they all use OpenAI's CLIP BPE, vendored here.
    const has = (name: string) => fs.existsSync(path.join(dir, name));
    if (!has("vocab.json") && !has("merges.txt")) dir = path.join(packageRoot(), "data", "clip-bpe");
    const read = (name: string) => {
      const file = path.join(dir, name);
      try {
        return fs.readFileSync(file, "utf8");
      } catch (err) {
        throw new Error(
          `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run 'medad models pull <repo>' to fetch the tokenizer files`,
        );
      }
    };
    return ClipTokenizer.fromStrings(read("vocab.json"), read("merges.txt"), dir);
  }

  /** Token ids of one text, without SOT/EOT. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const match of cleanText(text).matchAll(preTokenPattern)) {
      const piece = match[0];
      if (piece === START_OF_TEXT || piece === END_OF_TEXT) {
        // The reference caches the special tokens as themselves, so they keep their own ids.
        ids.push(piece === START_OF_TEXT ? this.sotId : this.eotId);
        continue;
      }
      for (const symbol of this.bpe.encodeWord(toByteAlphabet(piece))) {
        const id = this.vocab.get(symbol);
        if (id === undefined)
          throw new Error(
            `BPE produced ${JSON.stringify(symbol)}, which vocab.json lacks: vocab.json and merges.txt do not belong together`,
          );
        ids.push(id);
      }
    }
    return ids;
  }

  /** Text of ids (special tokens and padding dropped), with `</w>` turned back into spaces. */
  decode(ids: ArrayLike<number>): string {
    if (!this.idToToken) {
      this.idToToken = [];
      for (const [token, id] of this.vocab) this.idToToken[id] = token;
    }
    let chars = "";
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.sotId || id === this.eotId) continue;
      if (id === 0 && i > 0 && (ids[i - 1] === this.eotId || ids[i - 1] === 0)) continue; // padding
      chars += this.idToToken[id] ?? "";
    }
    // As the reference: bytes first, then the end-of-word markers become spaces.
    return fromByteAlphabet(chars).split(END_OF_WORD).join(" ").trim();
  }

  /** [texts.length, contextLength] ids: SOT, tokens, EOT, zero padding. */
  tokenize(texts: string | readonly string[], options: TokenizeOptions | number = {}): TokenBatch {
    const opts = typeof options === "number" ? { contextLength: options } : options;
    const contextLength = opts.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const truncate = opts.truncate ?? true;
    if (!Number.isInteger(contextLength) || contextLength < 2)
      throw new Error(`contextLength must be an integer >= 2, got ${contextLength}`);
    const list = typeof texts === "string" ? [texts] : texts;
    const ids = new Int32Array(list.length * contextLength); // zeros are the padding id
    list.forEach((text, row) => {
      const tokens = [this.sotId, ...this.encode(text), this.eotId];
      if (tokens.length > contextLength) {
        if (!truncate)
          throw new Error(
            `text ${row} is ${tokens.length} tokens, longer than the context of ${contextLength}: shorten it or allow truncation`,
          );
        tokens.length = contextLength;
        tokens[contextLength - 1] = this.eotId;
      }
      ids.set(tokens, row * contextLength);
    });
    return { ids, dims: [list.length, contextLength] };
  }
}

/** int64 copy of a batch, the dtype CLIP's ONNX text encoder declares for `input_ids`. */
export function toInt64(batch: TokenBatch): BigInt64Array {
  const out = new BigInt64Array(batch.ids.length);
  for (let i = 0; i < batch.ids.length; i++) out[i] = BigInt(batch.ids[i]);
  return out;
}
