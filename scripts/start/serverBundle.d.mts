export declare const serverInputs: string[];
export declare const serverEntries: Record<string, string>;
export declare const stampName: string;
export interface InputFile {
  /** Relative to the root, with `/`. */
  path: string;
  size: number;
  mtimeMs: number;
}
export declare function inputFiles(root: string, inputs?: readonly string[]): InputFile[];
export declare function contentHash(root: string, files: readonly InputFile[]): string;
export declare function listingHash(files: readonly InputFile[]): string;
export declare function bundleIsCurrent(root: string, outDir: string, inputs?: readonly string[]): boolean;
export declare function esbuildServer(root: string): (outDir: string) => Promise<void>;
export interface ServerBundleOptions {
  root: string;
  outDir: string;
  /** Writes the bundle into the folder it is given; esbuild unless a test says otherwise. */
  build?: (outDir: string) => Promise<void>;
  inputs?: readonly string[];
}
export declare function buildServerBundle(options: ServerBundleOptions): Promise<void>;
export declare function buildServerBundleIfChanged(
  options: ServerBundleOptions & { log?: (message: string) => void },
): Promise<boolean>;
