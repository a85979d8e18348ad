declare module 'node-gyp-build' {
  interface NodeGypBuild {
    (dir: string): unknown;
    /** The path of the binary that `load(dir)` would require. */
    path(dir: string): string;
  }
  const load: NodeGypBuild;
  export = load;
}
