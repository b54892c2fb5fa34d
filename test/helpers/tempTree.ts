// Builds small dataset trees in a temp folder for loader tests.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { encodePng8 } from "../../kernel/imaging/pngEncode";

export function tempDir(prefix = "medad-data-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function write(root: string, rel: string, data: string | Uint8Array): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

/** A grey PNG of the given size filled with `value`, optionally with a square of `fg` (for masks). */
export function greyPng(
  w: number,
  h: number,
  value = 100,
  square?: { fg: number; x: number; y: number; s: number },
): Buffer {
  const px = new Uint8Array(w * h).fill(value);
  if (square)
    for (let y = square.y; y < square.y + square.s; y++)
      for (let x = square.x; x < square.x + square.s; x++) px[y * w + x] = square.fg;
  return encodePng8(w, h, px, "gray");
}

export function mask(w: number, h: number, fg = 255): Buffer {
  return greyPng(w, h, 0, { fg, x: 2, y: 2, s: 3 });
}

/** A minimal MVFA class folder: valid 2+2, test 2+2, masks for the abnormals. */
export function mvfaTree(root: string, name = "Brain_AD", size = 8): string {
  const dir = path.join(root, name);
  for (const split of ["valid", "test"]) {
    for (let i = 0; i < 2; i++) {
      write(dir, `${split}/good/img/n${i}.png`, greyPng(size, size, 50 + i));
      write(dir, `${split}/Ungood/img/a${i}.png`, greyPng(size, size, 60 + i));
      write(dir, `${split}/Ungood/anomaly_mask/a${i}.png`, mask(size, size));
    }
  }
  return dir;
}

export function rmTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
