// PyTorch checkpoint → safetensors, streamed tensor by tensor into a temporary file that is renamed into place, so
// a multi-GB checkpoint is never held in memory whole and a crash never leaves a half-written file under the final
// name. Bytes are copied as stored (same dtype, same names), so the converted file gives bit-identical weights.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../util/atomicWrite";
import { WeightsError } from "./errors";
import { DTYPE_BYTES, TorchCheckpoint } from "./torchCheckpoint";

export interface ConvertResult {
  tensors: number;
  bytes: number;
}

export function convertTorchToSafetensors(
  src: string,
  dest: string,
  metadata: Record<string, string> = {},
): ConvertResult {
  const ck = TorchCheckpoint.open(src);
  try {
    const header: Record<string, unknown> = {
      __metadata__: { format: "pt", converted_from: path.basename(src), source_kind: ck.kind, ...metadata },
    };
    let offset = 0;
    const names = ck.names();
    for (const name of names) {
      const t = ck.info(name);
      const n = t.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype];
      header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + n] };
      offset += n;
    }
    let json = JSON.stringify(header);
    json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    writeFileAtomic(dest, (fd) => {
      fs.writeSync(fd, len);
      fs.writeSync(fd, Buffer.from(json));
      for (const name of names) {
        const raw = ck.readRaw(name);
        for (let done = 0; done < raw.length; ) done += fs.writeSync(fd, raw, done, raw.length - done);
      }
    });
    return { tensors: names.length, bytes: 8 + Buffer.byteLength(json) + offset };
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    throw new WeightsError(dest, undefined, `converting ${src} failed: ${(e as Error).message}`);
  } finally {
    ck.close();
  }
}
