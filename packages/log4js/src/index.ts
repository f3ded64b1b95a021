declare const __PACKAGE_VERSION__: string;
/** The version of this package, injected at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
export function hello(name: string): string {
  return `hello ${name}`;
}
