// Public surface of the CLIP tokenizer.
export { ClipTokenizer, toInt64, DEFAULT_CONTEXT_LENGTH, START_OF_TEXT, END_OF_TEXT } from "./clipTokenizer";
export type { TokenBatch, TokenizeOptions } from "./clipTokenizer";
export { cleanText, ftfyLite, htmlUnescape } from "./textClean";
