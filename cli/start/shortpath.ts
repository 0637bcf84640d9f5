// Paths in messages: relative to where the user is when that is shorter, else absolute.
import path from "node:path";

export function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}
