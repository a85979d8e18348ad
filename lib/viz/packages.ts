/**
 * The drawing packages, loaded on first use. They are optional peer dependencies: a plain
 * `npm install tensorgrad` does not fetch them (about 47 MB together, against a few MB for
 * tensorgrad), so training stays light and an install never fails on them; whoever draws installs
 * them once, and a missing one is named here with the command that installs it.
 *
 * Only the few members tensorgrad calls are typed, locally: the shipped .d.ts files must not name
 * packages that may be absent.
 */

export interface VegaView {
  toSVG(scaleFactor?: number): Promise<string>;
  finalize(): void;
}

export interface Vega {
  version: string;
  parse(spec: object): unknown;
  View: new (runtime: unknown, options: { renderer: 'none'; logLevel: number }) => VegaView;
  Error: number;
}

export interface VegaLite {
  version: string;
  compile(spec: object, options?: { logger?: object }): { spec: object };
}

export interface RenderedImage {
  asPng(): Buffer;
  width: number;
  height: number;
  pixels: Buffer;
}

export interface ResvgPackage {
  Resvg: new (svg: string, options?: object) => { render(): RenderedImage };
}

export interface Pngjs {
  PNG: { sync: { write(png: { width: number; height: number; data: Buffer }, options?: { colorType?: number }): Buffer } };
}

interface Packages {
  vega: Vega;
  'vega-lite': VegaLite;
  '@resvg/resvg-js': ResvgPackage;
  pngjs: Pngjs;
}

export type PackageName = keyof Packages;

/** The one command that installs every drawing package, at the majors tensorgrad is tested with. */
export const INSTALL_COMMAND = 'npm install vega@5 vega-lite@5 @resvg/resvg-js@2 pngjs@7';

/** The majors that load with require() and match the specs written here (vega 6 is ES-module only). */
const MAJOR: Partial<Record<PackageName, number>> = { vega: 5, 'vega-lite': 5 };

/** Thrown when a drawing package is missing or of another major version. */
export class MissingPackageError extends Error {
  readonly code = 'TENSORGRAD_VIZ_PACKAGES';

  constructor(
    readonly packages: readonly string[],
    what: string,
    detail: string,
  ) {
    super(`${what} needs ${detail}. They are optional, to keep tensorgrad light; install them beside it: ${INSTALL_COMMAND}`);
    this.name = 'MissingPackageError';
  }
}

/** The package, or the reason it cannot be used. Node's module cache makes a second call cheap. */
function tryLoad<N extends PackageName>(name: N): Packages[N] | string {
  let mod: Packages[N];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(name) as Packages[N];
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND') return `${name} (not installed)`;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return `${name}@${MAJOR[name] ?? ''} (the installed one is an ES-module-only version)`;
    throw e;
  }
  const major = MAJOR[name];
  const version = (mod as { version?: string }).version;
  if (major !== undefined && version !== undefined && Number(version.split('.')[0]) !== major) return `${name}@${major} (found ${version})`;
  return mod;
}

/** Loads the packages `what` (e.g. "tg.viz.plotHistory to write .png") needs, or throws one error naming every missing one. */
export function load<const N extends readonly PackageName[]>(names: N, what: string): { [K in N[number]]: Packages[K] } {
  const out: Partial<Packages> = {};
  const missing: string[] = [];
  for (const name of names) {
    const mod = tryLoad(name);
    if (typeof mod === 'string') missing.push(mod);
    else (out as Record<string, unknown>)[name] = mod;
  }
  if (missing.length > 0) throw new MissingPackageError(missing, what, missing.join(', '));
  return out as { [K in N[number]]: Packages[K] };
}
