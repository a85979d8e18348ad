// Reading back what tg.viz writes: PNG headers and pixels, SVG parsed by resvg.
import fs from 'node:fs';
import Module from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The size from a PNG's IHDR chunk, after checking the signature and that IHDR comes first. */
export function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  if (!b.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${file}: no PNG signature`);
  if (b.toString('latin1', 12, 16) !== 'IHDR' || b.readUInt32BE(8) !== 13) throw new Error(`${file}: IHDR is not the first chunk`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The decoded RGBA pixels (pngjs checks every chunk's CRC and the zlib stream). */
export function pngPixels(file: string): PNG {
  return PNG.sync.read(fs.readFileSync(file));
}

/** How many pixels are close to the color [r, g, b]. */
export function countColor(png: PNG, [r, g, b]: [number, number, number], tolerance = 40): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b) <= tolerance) n++;
  }
  return n;
}

/** The SVG's text, after resvg has parsed it (it throws on malformed SVG), and its size. */
export function readSvg(file: string): { text: string; width: number; height: number } {
  const text = fs.readFileSync(file, 'utf8');
  const parsed = new Resvg(text);
  return { text, width: parsed.width, height: parsed.height };
}

/** The strings drawn as <text> in an SVG, entities decoded, with their fill colors. */
export function svgTextFills(svg: string): { text: string; fill: string | undefined }[] {
  return [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => ({
    text: m[2].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"),
    fill: /\bfill="([^"]*)"/.exec(m[1])?.[1],
  }));
}

/** The strings drawn as <text> in an SVG. */
export function svgTexts(svg: string): string[] {
  return svgTextFills(svg).map((t) => t.text);
}

type Load = (request: string, ...rest: unknown[]) => unknown;

/**
 * Runs f as if `names` were not installed, then restores require. Module._load is what every
 * require() goes through, loaded before or not (resolution alone is cached per caller).
 */
export async function withoutPackages<T>(names: readonly string[], f: () => Promise<T> | T): Promise<T> {
  const m = Module as unknown as { _load: Load };
  const original = m._load;
  m._load = function (request, ...rest) {
    if (names.includes(request)) throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    return original.call(this, request, ...rest);
  };
  try {
    return await f();
  } finally {
    m._load = original;
  }
}
