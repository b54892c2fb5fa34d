// Public surface of the model download cache.
export { pullModel, REQUIRED_FILES, OPTIONAL_FILES } from "./pullModel";
export type { PullOptions, PullResult, FileEvent } from "./pullModel";
export { downloadFile, DownloadError } from "./downloadFile";
export type { DownloadOptions, DownloadProgress, DownloadResult } from "./downloadFile";
export { listCachedModels } from "./listModels";
export type { CachedModel } from "./listModels";
export { readChecksumManifest, sha256FromEtag } from "./checksums";
export { resolveCacheRoot, resolveEndpoint, modelDirName, fileUrl, DEFAULT_ENDPOINT } from "./hubLocation";
export { formatBytes, formatDuration } from "./format";
export { DEMO_MODEL_ID, DEMO_MODEL_NOTE, ensureDemoModel, demoModelDir } from "./demoModel";
