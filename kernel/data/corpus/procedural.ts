/** Procedural RGB pictures (shapes, gradients, textures) whose captions say exactly what is drawn. */
import type { Rng } from "../../util/random/rng";
import type { Square } from "./sampler";

const COLOURS: readonly [string, [number, number, number]][] = [
  ["red", [0.85, 0.1, 0.1]], ["green", [0.1, 0.7, 0.2]], ["blue", [0.1, 0.2, 0.85]], ["yellow", [0.95, 0.85, 0.1]],
  ["white", [0.97, 0.97, 0.97]], ["black", [0.03, 0.03, 0.03]], ["grey", [0.5, 0.5, 0.5]],
  ["orange", [0.95, 0.5, 0.05]], ["purple", [0.5, 0.1, 0.6]], ["cyan", [0.1, 0.8, 0.85]],
];

function twoColours(rng: Rng): [(typeof COLOURS)[number], (typeof COLOURS)[number]] {
  const [a, b] = rng.sample(COLOURS, 2);
  return [a, b];
}

function fill(size: number, f: (x: number, y: number) => [number, number, number]): Float32Array {
  const out = new Float32Array(size * size * 3);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = f((c + 0.5) / size, (r + 0.5) / size);
      out.set(v, (r * size + c) * 3);
    }
  }
  return out;
}

function mix(a: readonly number[], b: readonly number[], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function proceduralImage(size: number, rng: Rng): { image: Square; phrase: string } {
  const kind = rng.int(0, 2);
  const [[fgName, fg], [bgName, bg]] = twoColours(rng);
  let phrase: string;
  let data: Float32Array;
  if (kind === 0) {
    const shape = ["circle", "square", "triangle"][rng.int(0, 2)];
    const cx = rng.uniform(0.3, 0.7);
    const cy = rng.uniform(0.3, 0.7);
    const rad = rng.uniform(0.12, 0.3);
    const inside = (x: number, y: number): boolean => {
      const dx = x - cx;
      const dy = y - cy;
      if (shape === "circle") return dx * dx + dy * dy < rad * rad;
      if (shape === "square") return Math.abs(dx) < rad && Math.abs(dy) < rad;
      return dy < rad && dy > -rad && Math.abs(dx) < (dy + rad) / 2;
    };
    const size2 = rad > 0.22 ? "large" : "small";
    phrase = `${size2 === "large" ? "a large" : "a small"} ${fgName} ${shape} on a ${bgName} background`;
    data = fill(size, (x, y) => (inside(x, y) ? fg : bg));
  } else if (kind === 1) {
    const dir = ["horizontal", "vertical", "radial"][rng.int(0, 2)];
    phrase = `a ${dir} gradient from ${fgName} to ${bgName}`;
    data = fill(size, (x, y) => mix(fg, bg, dir === "horizontal" ? x : dir === "vertical" ? y
      : Math.min(1, Math.hypot(x - 0.5, y - 0.5) / 0.707)));
  } else {
    const tex = ["horizontal stripes", "vertical stripes", "diagonal stripes", "a checkerboard", "polka dots",
      "random noise"][rng.int(0, 5)];
    const period = rng.uniform(0.05, 0.2);
    const seed = rng.int(0, 1 << 30);
    const noise = (x: number, y: number) => {
      const h = Math.imul(Math.floor(x * size) * 73856093 ^ Math.floor(y * size) * 19349663 ^ seed, 0x27d4eb2d);
      return ((h >>> 0) % 1000) / 1000;
    };
    const on = (x: number, y: number): number => {
      const m = (t: number) => ((t / period) % 1 + 1) % 1 < 0.5 ? 1 : 0;
      if (tex === "horizontal stripes") return m(y);
      if (tex === "vertical stripes") return m(x);
      if (tex === "diagonal stripes") return m((x + y) / Math.SQRT2);
      if (tex === "a checkerboard") return m(x) ^ m(y);
      if (tex === "polka dots") {
        const dx = ((x / period) % 1) - 0.5;
        const dy = ((y / period) % 1) - 0.5;
        return dx * dx + dy * dy < 0.09 ? 1 : 0;
      }
      return noise(x, y);
    };
    phrase = tex === "random noise" ? `random ${fgName} and ${bgName} noise` : `${tex} in ${fgName} and ${bgName}`;
    data = fill(size, (x, y) => mix(bg, fg, on(x, y)));
  }
  return { image: { size, channels: 3, data }, phrase };
}
