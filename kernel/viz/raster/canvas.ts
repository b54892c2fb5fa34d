import { PNG } from "pngjs";
import type { Rgb } from "../../protocol/colormap";
import { ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows, hasGlyph, textWidth } from "./font";

/** Where a text was drawn (its box in canvas pixels), kept so tests can check a figure's layout. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}

/**
 * A small RGBA raster with the primitives our PNG fallbacks need: anti-aliased lines and discs (coverage from the
 * distance to the shape, so no supersampling buffer), rectangles, bitmap text and image blits. Coordinates are pixel
 * centres at integer + 0.5; colours are 0..255 RGB with a separate opacity.
 */
export class Canvas {
  readonly data: Uint8Array;
  /** Every text drawn, in order: layout tests check they stay inside the canvas and do not overlap. */
  readonly texts: TextBox[] = [];
  /** Characters drawn as the missing-glyph box. */
  readonly missingGlyphs = new Set<string>();

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`canvas size must be positive integers, got ${width}×${height}.`);
    }
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.data.set([background[0], background[1], background[2], 255], i * 4);
  }

  /** Source-over blend of one pixel; ignores pixels outside the canvas so shapes may be clipped freely. */
  blend(x: number, y: number, color: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 4;
    const a = alpha >= 1 ? 1 : alpha;
    for (let c = 0; c < 3; c++) this.data[i + c] = Math.round(this.data[i + c] * (1 - a) + color[c] * a);
  }

  pixel(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.blend(px, py, color, alpha);
  }

  /** One-pixel rectangle outline on pixel centres. */
  strokeRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.fillRect(x, y, w, 1, color);
    this.fillRect(x, y + h - 1, w, 1, color);
    this.fillRect(x, y, 1, h, color);
    this.fillRect(x + w - 1, y, 1, h, color);
  }

  /**
   * Anti-aliased segment of the given width: each pixel near the segment gets coverage 1 inside half the width and
   * fades over one pixel outside it. `dash` = [on, off] lengths in pixels along the segment.
   */
  line(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    color: Rgb,
    width = 1,
    dash?: [number, number],
    alpha = 1,
  ): void {
    const half = width / 2;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const length2 = dx * dx + dy * dy;
    const minX = Math.max(0, Math.floor(Math.min(x0, x1) - half - 1));
    const maxX = Math.min(this.width - 1, Math.ceil(Math.max(x0, x1) + half + 1));
    const minY = Math.max(0, Math.floor(Math.min(y0, y1) - half - 1));
    const maxY = Math.min(this.height - 1, Math.ceil(Math.max(y0, y1) + half + 1));
    const period = dash ? dash[0] + dash[1] : 0;
    for (let py = minY; py <= maxY; py++) {
      for (let px = minX; px <= maxX; px++) {
        const cx = px + 0.5 - x0;
        const cy = py + 0.5 - y0;
        const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, (cx * dx + cy * dy) / length2));
        const ex = cx - t * dx;
        const ey = cy - t * dy;
        const coverage = Math.min(1, half + 0.5 - Math.sqrt(ex * ex + ey * ey));
        if (coverage <= 0) continue;
        if (dash && (t * Math.sqrt(length2)) % period >= dash[0]) continue;
        this.blend(px, py, color, coverage * alpha);
      }
    }
  }

  /** Joined segments through the points (x, y pairs). Joins overlap slightly; fine for opaque strokes. */
  polyline(points: ArrayLike<number>, color: Rgb, width = 1): void {
    for (let i = 2; i + 1 < points.length; i += 2) {
      this.line(points[i - 2], points[i - 1], points[i], points[i + 1], color, width);
    }
  }

  /** Anti-aliased filled disc. */
  disc(cx: number, cy: number, radius: number, color: Rgb, alpha = 1): void {
    for (let py = Math.floor(cy - radius - 1); py <= Math.ceil(cy + radius + 1); py++) {
      for (let px = Math.floor(cx - radius - 1); px <= Math.ceil(cx + radius + 1); px++) {
        const d = Math.hypot(px + 0.5 - cx, py + 0.5 - cy);
        const coverage = Math.min(1, radius + 0.5 - d);
        if (coverage > 0) this.blend(px, py, color, coverage * alpha);
      }
    }
  }

  /**
   * Bitmap text with its top-left corner at (x, y), each font pixel drawn as scale×scale pixels. `vertical` turns it
   * 90° counter-clockwise (for y-axis titles); (x, y) is then the bottom-left corner.
   */
  text(x: number, y: number, text: string, color: Rgb, scale = 1, vertical = false): void {
    const ox = Math.round(x);
    const oy = Math.round(y);
    const along = textWidth(text, scale);
    const across = GLYPH_HEIGHT * scale;
    if (text.length > 0) {
      this.texts.push(
        vertical
          ? { x: ox, y: oy - along, width: across, height: along, text }
          : { x: ox, y: oy, width: along, height: across, text },
      );
    }
    for (let k = 0; k < text.length; k++) {
      if (!hasGlyph(text[k])) this.missingGlyphs.add(text[k]);
      const rows = glyphRows(text[k]);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (!(rows[gy] & (1 << (GLYPH_WIDTH - 1 - gx)))) continue;
          const u = (k * ADVANCE + gx) * scale; // along the text
          const v = gy * scale; // down the glyph
          if (vertical) this.fillRect(ox + v, oy - u - scale, scale, scale, color);
          else this.fillRect(ox + u, oy + v, scale, scale, color);
        }
      }
    }
  }

  /** Text whose anchor point is at (x, y): align "left" | "center" | "right" horizontally, vertically centred. */
  label(x: number, y: number, text: string, color: Rgb, scale = 1, align: "left" | "center" | "right" = "left"): void {
    const w = textWidth(text, scale);
    const left = align === "left" ? x : align === "center" ? x - w / 2 : x - w;
    this.text(left, y - (GLYPH_HEIGHT * scale) / 2, text, color, scale);
  }

  /** Copies an RGB(A) source into a destination rectangle with nearest-neighbour scaling. */
  blit(
    source: {
      width: number;
      height: number;
      rgb: (x: number, y: number) => Rgb;
      alpha?: (x: number, y: number) => number;
    },
    x: number,
    y: number,
    w: number,
    h: number,
  ): void {
    for (let py = 0; py < h; py++) {
      const sy = Math.min(source.height - 1, Math.floor(((py + 0.5) * source.height) / h));
      for (let px = 0; px < w; px++) {
        const sx = Math.min(source.width - 1, Math.floor(((px + 0.5) * source.width) / w));
        const a = source.alpha ? source.alpha(sx, sy) : 1;
        if (a > 0) this.blend(x + px, y + py, source.rgb(sx, sy), a);
      }
    }
  }

  /** PNG bytes (8-bit RGBA). */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
}
