import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Font, PathCommand } from 'opentype.js';
import { PbfWriter } from 'pbf';

// opentype.js ships one UMD file for Node, whose exports bundlers and Node's ESM loader read differently.
const opentype = createRequire(import.meta.url)('opentype.js') as typeof import('opentype.js');

/** The one font stack the street style names; its glyphs come from the Noto Sans fonts below, in order. */
export const streetFontStack = 'Noto Sans Regular';

/**
 * The fonts, from npm, that make up {@link streetFontStack}: Noto Sans for Latin, Cyrillic, Greek and Vietnamese,
 * Noto Sans Arabic (with the presentation forms the right-to-left text plugin shapes into), Noto Sans Ethiopic.
 * The first font holding a character draws it.
 */
const fontFiles = [
  ['noto-sans', 'noto-sans-latin-400-normal.woff'],
  ['noto-sans', 'noto-sans-latin-ext-400-normal.woff'],
  ['noto-sans', 'noto-sans-cyrillic-400-normal.woff'],
  ['noto-sans', 'noto-sans-cyrillic-ext-400-normal.woff'],
  ['noto-sans', 'noto-sans-greek-400-normal.woff'],
  ['noto-sans', 'noto-sans-greek-ext-400-normal.woff'],
  ['noto-sans', 'noto-sans-vietnamese-400-normal.woff'],
  ['noto-sans-arabic', 'noto-sans-arabic-arabic-400-normal.woff'],
  ['noto-sans-ethiopic', 'noto-sans-ethiopic-ethiopic-400-normal.woff'],
] as const;

// MapLibre's glyph conventions: 24 px em, a 3 px margin, distances of up to 8 px, the edge at 3/4 of the range.
const fontSize = 24;
const buffer = 3;
const radius = 8;
const cutoff = 0.25;
/** Where MapLibre expects a glyph's top relative to the line (the ascender of a 24 px Latin font). */
const ascender = 26;

type Segment = [number, number, number, number];

/** The outline as straight segments, curves cut into eight pieces each (ample at 24 px). */
function outlineSegments(commands: PathCommand[]): Segment[] {
  const segments: Segment[] = [];
  let start = { x: 0, y: 0 };
  let at = { x: 0, y: 0 };
  const lineTo = (x: number, y: number) => {
    if (x !== at.x || y !== at.y) segments.push([at.x, at.y, x, y]);
    at = { x, y };
  };
  /** A curve as eight segments, from the point where it is at t (with u = 1 - t). */
  const curveTo = (pointAt: (t: number, u: number) => [number, number]) => {
    for (let step = 1; step <= 8; step++) lineTo(...pointAt(step / 8, 1 - step / 8));
  };
  for (const command of commands) {
    if (command.type === 'M') {
      if (at.x !== start.x || at.y !== start.y) lineTo(start.x, start.y);
      start = { x: command.x, y: command.y };
      at = start;
    } else if (command.type === 'L') {
      lineTo(command.x, command.y);
    } else if (command.type === 'Q') {
      const { x: x0, y: y0 } = at;
      curveTo((t, u) => [
        u * u * x0 + 2 * u * t * command.x1 + t * t * command.x,
        u * u * y0 + 2 * u * t * command.y1 + t * t * command.y,
      ]);
    } else if (command.type === 'C') {
      const { x: x0, y: y0 } = at;
      curveTo((t, u) => [
        u * u * u * x0 + 3 * u * u * t * command.x1 + 3 * u * t * t * command.x2 + t * t * t * command.x,
        u * u * u * y0 + 3 * u * u * t * command.y1 + 3 * u * t * t * command.y2 + t * t * t * command.y,
      ]);
    } else {
      lineTo(start.x, start.y);
    }
  }
  if (at.x !== start.x || at.y !== start.y) lineTo(start.x, start.y);
  return segments;
}

function distanceToSegment(px: number, py: number, [x1, y1, x2, y2]: Segment): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / lengthSquared));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** Where a row crosses the outline, with the direction of each crossing (TrueType fills by non-zero winding). */
function rowCrossings(py: number, segments: Segment[]): { x: number; direction: number }[] {
  const crossings: { x: number; direction: number }[] = [];
  for (const [x1, y1, x2, y2] of segments) {
    if (y1 <= py ? y2 > py : y2 <= py) {
      crossings.push({ x: x1 + ((py - y1) / (y2 - y1)) * (x2 - x1), direction: y2 > y1 ? 1 : -1 });
    }
  }
  return crossings.sort((a, b) => a.x - b.x);
}

interface SdfGlyph {
  id: number;
  bitmap: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

/** One character as MapLibre wants it: a signed distance field of its outline, with its metrics. */
function sdfGlyph(font: Font, codePoint: number): SdfGlyph {
  const glyph = font.charToGlyph(String.fromCodePoint(codePoint));
  const advance = Math.round(((glyph.advanceWidth ?? 0) * fontSize) / font.unitsPerEm);
  const segments = outlineSegments(glyph.getPath(0, 0, fontSize).commands);
  if (segments.length === 0) {
    return { id: codePoint, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -ascender, advance };
  }
  // Screen coordinates: y grows downwards from the baseline.
  const xs = segments.flatMap(([x1, , x2]) => [x1, x2]);
  const ys = segments.flatMap(([, y1, , y2]) => [y1, y2]);
  const x0 = Math.floor(Math.min(...xs));
  const y0 = Math.floor(Math.min(...ys));
  const width = Math.ceil(Math.max(...xs)) - x0;
  const height = Math.ceil(Math.max(...ys)) - y0;
  const columns = width + 2 * buffer;
  const rows = height + 2 * buffer;
  const bitmap = new Uint8Array(columns * rows);
  // Beyond this distance a pixel is 0 outside or 255 inside, so farther segments need not be measured.
  const reach = radius * (1 - cutoff);
  for (let row = 0; row < rows; row++) {
    const py = y0 - buffer + row + 0.5;
    const near = segments.filter(([, y1, , y2]) => Math.min(y1, y2) - reach <= py && Math.max(y1, y2) + reach >= py);
    const crossings = rowCrossings(py, segments);
    let next = 0;
    let winding = 0;
    for (let column = 0; column < columns; column++) {
      const px = x0 - buffer + column + 0.5;
      while (next < crossings.length && crossings[next]!.x < px) winding += crossings[next++]!.direction;
      let distance = reach;
      for (const segment of near) distance = Math.min(distance, distanceToSegment(px, py, segment));
      const signed = winding !== 0 ? -distance : distance;
      bitmap[row * columns + column] = Math.max(0, Math.min(255, Math.round(255 - 255 * (signed / radius + cutoff))));
    }
  }
  return { id: codePoint, bitmap, width, height, left: x0, top: -y0 - ascender, advance };
}

/**
 * Makes MapLibre's glyph ranges (`{fontstack}/{start}-{end}.pbf`, 256 characters each) from fonts installed from
 * npm, so the street map's labels need no font server. A range is computed on first request (a fraction of a
 * second, yielding between glyphs so other requests go on) and kept in memory.
 */
export class GlyphRanges {
  private fonts: Font[] | undefined;
  private readonly ranges = new Map<number, Promise<Buffer>>();

  /** The fonts' packages sit beside opentype.js, wherever npm installed them. */
  private readonly fontsourceDir = path.resolve(
    path.dirname(createRequire(import.meta.url).resolve('opentype.js')),
    '../../@fontsource',
  );

  private loadFonts(): Font[] {
    this.fonts ??= fontFiles.map(([pkg, file]) => {
      const bytes = fs.readFileSync(path.join(this.fontsourceDir, pkg, 'files', file));
      return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    });
    return this.fonts;
  }

  /** The protocol buffer of glyphs `start`…`start + 255` (start a multiple of 256 below 65536). */
  range(start: number): Promise<Buffer> {
    let range = this.ranges.get(start);
    if (!range) {
      range = this.build(start);
      this.ranges.set(start, range);
      range.catch(() => this.ranges.delete(start));
    }
    return range;
  }

  private async build(start: number): Promise<Buffer> {
    const fonts = this.loadFonts();
    const glyphs: SdfGlyph[] = [];
    for (let codePoint = start; codePoint < start + 256; codePoint++) {
      const font = fonts.find((candidate) => candidate.charToGlyphIndex(String.fromCodePoint(codePoint)) > 0);
      if (!font) continue;
      glyphs.push(sdfGlyph(font, codePoint));
      if (glyphs.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // glyphs.proto: glyphs { repeated fontstack stacks = 1 }, fontstack { name = 1; range = 2; repeated glyph = 3 }.
    const pbf = new PbfWriter();
    pbf.writeMessage(
      1,
      (_: undefined, stack: PbfWriter) => {
        stack.writeStringField(1, streetFontStack);
        stack.writeStringField(2, `${start}-${start + 255}`);
        for (const glyph of glyphs) {
          stack.writeMessage(
            3,
            (_: undefined, out: PbfWriter) => {
              out.writeVarintField(1, glyph.id);
              if (glyph.bitmap.length > 0) out.writeBytesField(2, glyph.bitmap);
              out.writeVarintField(3, glyph.width);
              out.writeVarintField(4, glyph.height);
              out.writeSVarintField(5, glyph.left);
              out.writeSVarintField(6, glyph.top);
              out.writeVarintField(7, glyph.advance);
            },
            undefined,
          );
        }
      },
      undefined,
    );
    return Buffer.from(pbf.finish());
  }
}
