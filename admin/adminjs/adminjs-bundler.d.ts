/**
 * AdminJS 7.8 exports its bundler as `adminjs/bundler` but ships its types under a path the
 * package's exports do not name; these are the parts the console uses (the signatures of
 * types/src/backend/bundler in adminjs 7.8.17).
 */
declare module 'adminjs/bundler' {
  interface AssetBundler {
    build(): Promise<void>;
    createEntry(options: { dir?: string; content: string }): Promise<void>;
    setInputOption(key: string, value: unknown): AssetBundler;
    setOutputOption(key: string, value: unknown): AssetBundler;
  }
  export const componentsBundler: AssetBundler;
  export function generateUserComponentEntry(admin: object, entryPath: string): string;
}
